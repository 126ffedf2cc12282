// normalize/: each rule, with examples as they occur in the shared corpus.
#include "normalize/normalize.h"

#include <gtest/gtest.h>

#include "tests/test_util.h"

namespace kobun::normalize {
namespace {

using testing::U32;
using testing::U8;

std::string N(const std::string& raw) { return U8(NormalizeString(U32(raw))); }
std::string NPdf(const std::string& raw) {
  Options options;
  options.join_wrapped_lines = true;
  return U8(NormalizeString(U32(raw), options));
}

// --- NFKC and the character mappings NFKC lacks -------------------------------------

TEST(NormalizeCharacters, FullWidthAsciiAndHalfWidthKanaBecomeStandardForms) {
  EXPECT_EQ(N("令和５年３月２８日"), "令和5年3月28日");
  EXPECT_EQ(N("ＩＣＴ"), "ICT");
  EXPECT_EQ(N("ｺｵﾘﾔﾏ"), "コオリヤマ");
  EXPECT_EQ(N("ｶﾞｲﾄﾞ"), "ガイド");  // half-width voiced marks compose
  EXPECT_EQ(N("（目的）"), "(目的)");
}

TEST(NormalizeCharacters, EraLigaturesAndCompanyMarksExpand) {
  EXPECT_EQ(N("㍻31年"), "平成31年");
  EXPECT_EQ(N("㋿元年"), "令和元年");
  EXPECT_EQ(N("㈱"), "(株)");
}

TEST(NormalizeCharacters, KangxiRadicalsBecomeUnifiedIdeographs) {
  // ⽇ U+2F47 and ⾧ U+2FA7 are what some PDFs emit for 日 and 長.
  EXPECT_EQ(N("\u2F47本"), "日本");
  EXPECT_EQ(N("市\u2FA7"), "市長");
}

TEST(NormalizeCharacters, CjkRadicalsSupplementBecomesUnifiedIdeographs) {
  // NFKC leaves U+2E80–U+2EFF alone; ⻑ U+2ED1 (長), ⻄ U+2EC4 (西), ⻘ U+2ED8 (青), ⻝ U+2EDD (食).
  EXPECT_EQ(N("市\u2ED1"), "市長");
  EXPECT_EQ(N("関\u2EC4"), "関西");
  EXPECT_EQ(N("\u2ED8森県"), "青森県");
  EXPECT_EQ(N("給\u2EDD"), "給食");
}

TEST(NormalizeCharacters, VerticalPresentationFormsBecomeHorizontal) {
  // The 官報 page in corpus/real emits ︒ ︑ ﹁ ﹂ for 。、「」.
  EXPECT_EQ(N("\uFE41改正\uFE42\uFE11施行する\uFE12"), "「改正」、施行する。");
}

TEST(NormalizeCharacters, EveryRangeMarkBecomesTheCanonicalOne) {
  EXPECT_EQ(N("4〜6月"), "4~6月");     // U+301C WAVE DASH, which other normalizers delete
  EXPECT_EQ(N("13:30～"), "13:30~");  // U+FF5E FULLWIDTH TILDE
  EXPECT_EQ(N("12/26~1/25"), "12/26~1/25");
  EXPECT_EQ(N("令和3年4月∼令和8年3月"), "令和3年4月~令和8年3月");
  EXPECT_EQ(kRangeMark, U'~');
}

TEST(NormalizeCharacters, CircledNumbersKeepTheirMeaning) {
  EXPECT_EQ(N("①圏域の経済成長"), "①圏域の経済成長");
  EXPECT_EQ(N("⑫ 地域振興"), "⑫ 地域振興");
  EXPECT_EQ(N("⑴ 事業"), "⑴ 事業");
}

TEST(NormalizeCharacters, ZeroWidthCharactersAndCarriageReturnsGo) {
  // U+FEFF inside text occurs in the 少子化社会対策白書 excerpt in corpus/real.
  EXPECT_EQ(N("婚\uFEFF姻\u200B件数"), "婚姻件数");
  EXPECT_EQ(N("一行目\r\n二行目\r三行目"), "一行目\n二行目\n三行目");
}

TEST(NormalizeCharacters, TabsAndLineBreaksStay) {
  EXPECT_EQ(N("取組\t内容\t郡山市の役割\n(1)\t経済\t推進"), "取組\t内容\t郡山市の役割\n(1)\t経済\t推進");
}

// --- Spaces -------------------------------------------------------------------------

TEST(NormalizeSpaces, SpacesAroundNumbersInsideJapaneseGo) {
  EXPECT_EQ(N("令和元年 10 月 18 日"), "令和元年10月18日");
  EXPECT_EQ(N("第 1 条"), "第1条");
  EXPECT_EQ(N("地方自治法（昭和 22 年法律第 67 号）第 252 条の 2 第 1 項"),
            "地方自治法(昭和22年法律第67号)第252条の2第1項");
  EXPECT_EQ(N("平成27 年3 月"), "平成27年3月");
  EXPECT_EQ(N("令和 2年 3月"), "令和2年3月");
  EXPECT_EQ(N("本連携協約書 2 通を作成"), "本連携協約書2通を作成");
  EXPECT_EQ(N("R2 国勢調査"), "R2国勢調査");
}

TEST(NormalizeSpaces, ParagraphNumberAtLineStartKeepsItsSpace) {
  EXPECT_EQ(N("2 前項の取組に基づき"), "2 前項の取組に基づき");
  EXPECT_EQ(N("1 圏域全体の経済成長"), "1 圏域全体の経済成長");
  // ...unless what follows is a unit, so the number is a quantity: 25 歳前後.
  EXPECT_EQ(N("25 歳前後の年齢"), "25歳前後の年齢");
  EXPECT_EQ(N("2022 年度"), "2022年度");
}

TEST(NormalizeSpaces, ArticleNumberKeepsTheSpaceBeforeItsText) {
  EXPECT_EQ(N("第 1 条 この連携協約は"), "第1条 この連携協約は");
  EXPECT_EQ(N("第 3 条 郡山市及び二本松市"), "第3条 郡山市及び二本松市");
}

TEST(NormalizeSpaces, LetterSpacedCapitalsJoin) {
  EXPECT_EQ(N("(8) I C T インフラの整備"), "(8) ICTインフラの整備");
  EXPECT_EQ(N("I C T の効果的な利活用"), "ICTの効果的な利活用");
}

TEST(NormalizeSpaces, LetterSpacedJapaneseJoins) {
  // Justified text in the white-paper excerpt, and 日 時 / 場 所 in notices.
  EXPECT_EQ(N("る と 半 分 程 度 の 水 準"), "ると半分程度の水準");
  EXPECT_EQ(N("日　時"), "日時");
  EXPECT_EQ(N("場 所 郡山市役所"), "場所 郡山市役所");
}

TEST(NormalizeSpaces, SpaceBetweenMultiCharacterWordsStays) {
  EXPECT_EQ(N("品川 萬里"), "品川 萬里");
  EXPECT_EQ(N("郡山市長　品川　萬里"), "郡山市長 品川 萬里");
  EXPECT_EQ(N("郡山市 二本松市"), "郡山市 二本松市");
}

TEST(NormalizeSpaces, EnglishWordsKeepTheirSpaces) {
  EXPECT_EQ(N("Open Data Charter"), "Open Data Charter");
  EXPECT_EQ(N("Plan A 2023"), "Plan A 2023");
}

TEST(NormalizeSpaces, SpacesNextToJapanesePunctuationGo) {
  EXPECT_EQ(N("三保、 忠一"), "三保、忠一");
  EXPECT_EQ(N("形成する。 次に"), "形成する。次に");
  EXPECT_EQ(N("「 圏域 」"), "「圏域」");
}

TEST(NormalizeSpaces, RunsCollapseAndLinesAreTrimmed) {
  EXPECT_EQ(N("   郡山市長      品川   萬里   "), "郡山市長 品川 萬里");
  EXPECT_EQ(N("164   (153)"), "164 (153)");
}

// --- Lines that a PDF wrapped ---------------------------------------------------------

// The opening of the agreement in corpus/pdf as poppler gives it: paragraphs wrapped at
// the right margin, headings and article starts on lines of their own.
const char* kWrappedAgreement =
    "郡山市及び二本松市は、こおりやま広域連携中枢都市圏（以下「圏域」という。）を形成するため、地方自\n"
    "治法（昭和 22 年法律第 67 号）第 252 条の 2 第 1 項の規定により、次のとおり連携協約を締結する。\n"
    "（目的）\n"
    "第 1 条 この連携協約は、郡山市及び二本松市が連携することで、人口減少・少子高齢社会にあっても、活力\n"
    "ある地域経済を維持するとともに、住民が安心して快適な暮らしを営むことができる圏域を形成することを\n"
    "目的とする。\n"
    "（連携する取組等）\n"
    "第 3 条 郡山市及び二本松市が相互に連携する取組、当該取組の内容及び役割分担は、別表に掲げるとおりと\n"
    "する。\n"
    "2 前項の取組に基づき実施する具体的な事業については、郡山市及び二本松市が協議して別に定める。\n";

TEST(NormalizeLines, WrappedSentencesAreJoinedWithoutASpace) {
  const std::string text = NPdf(kWrappedAgreement);
  EXPECT_NE(text.find("形成するため、地方自治法(昭和22年法律第67号)第252条の2第1項の規定により"), std::string::npos) << text;
  EXPECT_NE(text.find("第1条 この連携協約は、郡山市及び二本松市が連携することで、人口減少・少子高齢社会にあっても、"
                      "活力ある地域経済を維持するとともに、住民が安心して快適な暮らしを営むことができる圏域を形成する"
                      "ことを目的とする。\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("別表に掲げるとおりとする。\n2 前項の取組"), std::string::npos) << text;
}

TEST(NormalizeLines, HeadingsAndArticleStartsKeepTheirLines) {
  const std::string text = NPdf(kWrappedAgreement);
  EXPECT_NE(text.find("締結する。\n(目的)\n第1条 "), std::string::npos) << text;
  EXPECT_NE(text.find("目的とする。\n(連携する取組等)\n第3条 "), std::string::npos) << text;
}

TEST(NormalizeLines, ListItemsAreNotJoinedToTheLineBefore) {
  std::string page;
  for (int i = 0; i < 3; ++i) page += "圏域全体の経済成長のけん引に関する取組として、次の事業を連携して実施するものとし、その内容は\n";
  page += "・創業支援事業\n◆企業誘致事業\n(1) 産学金官民一体となった推進体制\n①観光振興\n第2条 基本方針\n";
  const std::string text = NPdf(page);
  EXPECT_NE(text.find("内容は\n・創業支援事業\n◆企業誘致事業\n(1) 産学金官民一体となった推進体制\n①観光振興\n第2条 基本方針"),
            std::string::npos)
      << text;
}

TEST(NormalizeLines, RomanNumberedHeadingsAreNotJoinedButWordsInCapitalsAre) {
  std::string page;
  for (int i = 0; i < 3; ++i) page += "圏域内で活躍する事業者等による「地域の応援団」を結成し、先進的・発展的な視点を導入\n";
  page += "Ⅴ チャレンジ・スタートアッププロジェクト\n";
  page += "圏域内で活躍する事業者等による「地域の応援団」を結成し、先進的・発展的な視点を導入\n";
  page += "Ⅵ住民の安全・安心プロジェクト\n";
  page += "圏域内で活躍する事業者等による「地域の応援団」を結成し、先進的・発展的な視点を導入\n";
  page += "VIP待遇の来訪者を迎える。\n";
  const std::string text = NPdf(page);
  EXPECT_NE(text.find("視点を導入\nVチャレンジ"), std::string::npos) << text;
  EXPECT_NE(text.find("視点を導入\nVI住民の安全"), std::string::npos) << text;
  EXPECT_NE(text.find("視点を導入VIP待遇"), std::string::npos) << text;
}

TEST(NormalizeLines, ShortLinesAndTablesAreNotJoined) {
  // Fragments of a table as poppler reads it: no line reaches a common right margin.
  const std::string fragments = "(1) 産学金官民一\n二本松市と連携して、産学\n体となった経済成\n金官民一体となつた経済成\n";
  EXPECT_EQ(NPdf(fragments), "(1) 産学金官民一\n二本松市と連携して、産学\n体となった経済成\n金官民一体となつた経済成\n");
}

TEST(NormalizeLines, TextReportsKeepTheirLineBreaks) {
  EXPECT_EQ(N(kWrappedAgreement).find("地方自治法"), std::string::npos);
}

// --- The offset map -------------------------------------------------------------------

// NormalizeString returns text that is already normal as it is, without a map: for
// every kind of character a pass touches, it must still agree with Normalize.
TEST(NormalizeString, AgreesWithNormalizeOnNormalAndOnTouchedText) {
  const std::vector<std::string> cases = {
      "郡山市", "令和4年1月31日", "①連携協約", "第1条\t目的\n第2条", "ＡＢＣ１２３", "ｶﾀｶﾅ", "㍻", "⺟",
      "4〜6月", "1～3", "a\r\nb", "ゼロ\u200b幅", "制御\x01文字", "郡山市 二本松市", " 前後 ", "が", "か\u3099",
      "日　時", ""};
  for (const std::string& c : cases) {
    const std::u32string raw = U32(c);
    EXPECT_EQ(U8(NormalizeString(raw)), U8(Normalize(raw).text)) << c;
  }
  EXPECT_EQ(N("郡山市"), "郡山市");
  EXPECT_EQ(N("4〜6月"), "4~6月");
  EXPECT_EQ(N("⺟"), "母");
}

TEST(OffsetMap, EveryNormalizedCharacterPointsBackToItsRawSpan) {
  const std::u32string raw = U32("令和元年 10 月 18 日（月）");
  const Text t = Normalize(raw);
  ASSERT_EQ(U8(t.text), "令和元年10月18日(月)");
  ASSERT_EQ(t.raw_begin.size(), t.text.size());
  // "10月" is normalized [4, 7); in the raw text it is "10 月", [5, 9).
  int32_t b, e;
  t.RawSpan(4, 7, &b, &e);
  EXPECT_EQ(U8(raw.substr(b, e - b)), "10 月");
  // "(" came from the full-width "（".
  t.RawSpan(10, 11, &b, &e);
  EXPECT_EQ(U8(raw.substr(b, e - b)), "（");
}

TEST(OffsetMap, ComposedCharactersPointAtAllTheirSources) {
  const std::u32string raw = U32("ｶﾞｲﾄﾞ");  // five raw code points, three normalized
  const Text t = Normalize(raw);
  ASSERT_EQ(U8(t.text), "ガイド");
  int32_t b, e;
  t.RawSpan(0, 1, &b, &e);
  EXPECT_EQ(b, 0);
  EXPECT_EQ(e, 2);
  t.RawSpan(2, 3, &b, &e);
  EXPECT_EQ(U8(raw.substr(b, e - b)), "ﾄﾞ");
}

TEST(OffsetMap, JoinedLinesMapAcrossTheRemovedLineBreak) {
  const std::u32string raw = U32(kWrappedAgreement);
  Options options;
  options.join_wrapped_lines = true;
  const Text t = Normalize(raw, options);
  const size_t at = t.text.find(U"地方自治法");
  ASSERT_NE(at, std::u32string::npos);
  int32_t b, e;
  t.RawSpan(static_cast<int32_t>(at), static_cast<int32_t>(at + 5), &b, &e);
  EXPECT_EQ(U8(raw.substr(b, e - b)), "地方自\n治法");
}

TEST(OffsetMap, MapIsMonotonicAndInsideTheRawText) {
  const std::u32string raw = U32(std::string(kWrappedAgreement) + "\r\n①　Ｉ Ｃ Ｔ ～ ㍻\uFEFF");
  const Text t = Normalize(raw);
  for (size_t i = 0; i < t.text.size(); ++i) {
    EXPECT_LE(t.raw_begin[i], t.raw_end[i]);
    EXPECT_LE(t.raw_end[i], static_cast<int32_t>(raw.size()));
    if (i > 0) {
      EXPECT_LE(t.raw_begin[i - 1], t.raw_begin[i]);
    }
  }
}

TEST(OffsetMap, EncodedMapRoundTrips) {
  const Text t = Normalize(U32("令和元年 10 月 18 日\r\nｶﾞｲﾄﾞ①～"));
  const std::string bytes = EncodeOffsetMap(t);
  Text back;
  ASSERT_TRUE(DecodeOffsetMap(bytes, t.text.size(), &back));
  EXPECT_EQ(back.raw_begin, t.raw_begin);
  EXPECT_EQ(back.raw_end, t.raw_end);
  EXPECT_FALSE(DecodeOffsetMap(bytes.substr(0, bytes.size() - 1), t.text.size(), &back));
  EXPECT_FALSE(DecodeOffsetMap("", t.text.size(), &back));
}

}  // namespace
}  // namespace kobun::normalize
