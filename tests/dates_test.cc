// Dates: every form CONVENTIONS.md names, the traps, and rules as data.
#include <gtest/gtest.h>

#include <fstream>

#include "common/utf8.h"
#include "extract/extract.h"
#include "extract/japanese_calendar.h"
#include "extract/numbers.h"
#include "normalize/normalize.h"
#include "tests/test_util.h"

namespace kobun::extract {
namespace {

using testing::TempDir;

std::filesystem::path DateRules() {
  return std::filesystem::path(KOBUN_SOURCE_DIR) / "pipelines" / "rules" / "dates.toml";
}

const Extractor& Default() {
  static const std::unique_ptr<Extractor> extractor = [] {
    std::string error;
    auto e = Extractor::Load({DateRules()}, &error);
    EXPECT_NE(e, nullptr) << error;
    return e;
  }();
  return *extractor;
}

// Pages are normalized first, as the pipeline does.
Records Extract(const std::vector<std::string>& pages, const Extractor& extractor = Default()) {
  std::vector<PageText> texts;
  for (size_t i = 0; i < pages.size(); ++i) {
    texts.push_back(testing::Page(static_cast<int>(i + 1), normalize::NormalizeString(DecodeUtf8(pages[i]))));
  }
  return extractor.Extract(texts);
}

// "start..end precision" of every record, in order.
std::vector<std::string> Values(const std::string& text) {
  std::vector<std::string> out;
  for (const DateRecord& d : Extract({text}).dates) out.push_back(d.start_date + ".." + d.end_date + " " + d.precision);
  return out;
}

std::string Only(const std::string& text) {
  const std::vector<std::string> values = Values(text);
  EXPECT_EQ(values.size(), 1u) << text;
  return values.empty() ? "" : values[0];
}

// --- Eras, digits, Western forms -------------------------------------------------------

TEST(Dates, EraYearMonthDay) {
  EXPECT_EQ(Only("令和4年1月31日"), "2022-01-31..2022-01-31 day");
  EXPECT_EQ(Only("令和元年10月18日に締結"), "2019-10-18..2019-10-18 day");
  EXPECT_EQ(Only("平成30年9月"), "2018-09-01..2018-09-30 month");
  EXPECT_EQ(Only("昭和22年法律第67号"), "1947-01-01..1947-12-31 year");
  EXPECT_EQ(Only("明治22年"), "1889-01-01..1889-12-31 year");
  EXPECT_EQ(Only("大正12年9月1日"), "1923-09-01..1923-09-01 day");
}

TEST(Dates, EraLetters) {
  EXPECT_EQ(Only("R4"), "2022-01-01..2022-12-31 year");
  EXPECT_EQ(Only("人口(R2国勢調査)"), "2020-01-01..2020-12-31 year");
  EXPECT_EQ(Only("H29の実績"), "2017-01-01..2017-12-31 year");
  EXPECT_EQ(Only("R4.1.31"), "2022-01-31..2022-01-31 day");
  EXPECT_EQ(Only("R4.4"), "2022-04-01..2022-04-30 month");
  EXPECT_EQ(Only("R6.7月"), "2024-07-01..2024-07-31 month");
  EXPECT_EQ(Only("R5年度"), "2023-04-01..2024-03-31 fiscal_year");
}

TEST(Dates, KanjiAndFullWidthDigits) {
  EXPECT_EQ(Only("令和五年三月二十八日"), "2023-03-28..2023-03-28 day");
  EXPECT_EQ(Only("平成三十一年"), "2019-01-01..2019-12-31 year");
  EXPECT_EQ(Only("二〇二三年"), "2023-01-01..2023-12-31 year");
  EXPECT_EQ(Only("令和２年１０月１９日"), "2020-10-19..2020-10-19 day");
  EXPECT_EQ(Only("令和 2年 3月"), "2020-03-01..2020-03-31 month");
  EXPECT_EQ(Only("平成27 年3 月"), "2015-03-01..2015-03-31 month");
}

TEST(Dates, WesternForms) {
  EXPECT_EQ(Only("2022年1月31日"), "2022-01-31..2022-01-31 day");
  EXPECT_EQ(Only("2022/1/31"), "2022-01-31..2022-01-31 day");
  EXPECT_EQ(Only("2019.3月"), "2019-03-01..2019-03-31 month");
  EXPECT_EQ(Only("2040年"), "2040-01-01..2040-12-31 year");
  EXPECT_EQ(Only("2022-01-31"), "2022-01-31..2022-01-31 day");
}

TEST(Dates, WesternYearWithEraInParenthesesIsOneRecord) {
  const Records r = Extract({"日時：2022(令和4)年2月7日（月）13:30～15:00"});
  ASSERT_EQ(r.dates.size(), 1u);
  EXPECT_EQ(r.dates[0].start_date, "2022-02-07");
  EXPECT_EQ(r.dates[0].precision, "day");
  EXPECT_EQ(r.dates[0].surface, "2022(令和4)年2月7日(月)");
  EXPECT_FALSE(r.dates[0].weekday_mismatch);
  EXPECT_EQ(Only("平成22(2010)年から"), "2010-01-01..2010-12-31 year");
}

TEST(Dates, FiscalYearsAndDecades) {
  EXPECT_EQ(Only("令和6年度"), "2024-04-01..2025-03-31 fiscal_year");
  EXPECT_EQ(Only("2023年度スケジュール"), "2023-04-01..2024-03-31 fiscal_year");
  EXPECT_EQ(Only("平成31年度"), "2019-04-01..2020-03-31 fiscal_year");
  EXPECT_EQ(Only("平成27年度末"), "2015-04-01..2016-03-31 fiscal_year");
  EXPECT_EQ(Only("昭和40年代"), "1965-01-01..1974-12-31 decade");
  EXPECT_EQ(Only("1970年代"), "1970-01-01..1979-12-31 decade");
}

// --- Ranges ---------------------------------------------------------------------------

TEST(Dates, RangesAreOneRecordFromStartToEnd) {
  EXPECT_EQ(Only("令和3年4月～令和8年3月"), "2021-04-01..2026-03-31 month");
  EXPECT_EQ(Only("2022～2023年度に開催"), "2022-04-01..2024-03-31 fiscal_year");
  EXPECT_EQ(Only("計画期間 2024-2028"), "2024-01-01..2028-12-31 year");
  EXPECT_EQ(Only("平成22年度から平成27年度まで"), "2010-04-01..2016-03-31 fiscal_year");
  EXPECT_EQ(Only("令和3～7年度"), "2021-04-01..2026-03-31 fiscal_year");
  // Connectors with spaces around them, before the second piece and after the first.
  EXPECT_EQ(Only("2024 - 2028年度の計画"), "2024-04-01..2029-03-31 fiscal_year");
  EXPECT_EQ(Only("令和3年度から5年度まで"), "2021-04-01..2024-03-31 fiscal_year");
  EXPECT_EQ(Only("令和5年7月1日(土)から令和5年7月21日(金)まで"), "2023-07-01..2023-07-21 day");
  EXPECT_EQ(Only("令和5年〜令和7年"), "2023-01-01..2025-12-31 year");
}

TEST(Dates, RangeSurfaceIncludesMade) {
  const Records r = Extract({"平成22年度から平成27年度までの計画"});
  ASSERT_EQ(r.dates.size(), 1u);
  EXPECT_EQ(r.dates[0].surface, "平成22年度から平成27年度まで");
  EXPECT_EQ(r.dates[0].rule_id, "era~era");
}

// --- Years from context ------------------------------------------------------------------

TEST(Dates, ScheduleUnderAFiscalYearRollsIntoTheNextYear) {
  const std::vector<std::string> v = Values("2023年度スケジュール\n4~6月\t7~9月\t10~12月\t1~3月\nパブコメ 12/26~1/25");
  ASSERT_EQ(v.size(), 6u);
  EXPECT_EQ(v[1], "2023-04-01..2023-06-30 month");
  EXPECT_EQ(v[3], "2023-10-01..2023-12-31 month");
  EXPECT_EQ(v[4], "2024-01-01..2024-03-31 month");
  EXPECT_EQ(v[5], "2023-12-26..2024-01-25 day");
}

TEST(Dates, AsideInParenthesesDoesNotChangeTheGoverningYear) {
  const std::vector<std::string> v = Values("2023年度スケジュール\nワーキンググループ 3回開催(R4 4回開催) ●10/19 ●2/14");
  ASSERT_EQ(v.size(), 4u);
  EXPECT_EQ(v[2], "2023-10-19..2023-10-19 day");
  EXPECT_EQ(v[3], "2024-02-14..2024-02-14 day");
}

TEST(Dates, IssueDateGivesTheYearAndIsRecorded) {
  const Records r = Extract({"記者発表資料\n令和4年1月31日\n郡山市\n\n2月7日(月)に締結式を開催します。今年度内に改訂する。"});
  EXPECT_EQ(r.issued_on, "2022-01-31");
  ASSERT_EQ(r.dates.size(), 3u);
  EXPECT_EQ(r.dates[1].start_date, "2022-02-07");
  EXPECT_TRUE(r.dates[1].inferred);
  EXPECT_FALSE(r.dates[1].weekday_mismatch);  // 2022-02-07 was a Monday
  EXPECT_EQ(r.dates[2].start_date, "2021-04-01");  // 今年度 = fiscal 2021
  EXPECT_EQ(r.dates[2].end_date, "2022-03-31");
  EXPECT_FALSE(r.dates[0].inferred);
}

TEST(Dates, SameYearNextYearAndEralessYears) {
  const std::vector<std::string> v =
      Values("平成26年5月に協議会を設立し、同年7月に協約を締結。平成27年11月に改定、翌年2月に公表。平成23年末に解散し、24年5月に研究会を発足。");
  ASSERT_EQ(v.size(), 6u);
  EXPECT_EQ(v[1], "2014-07-01..2014-07-31 month");
  EXPECT_EQ(v[3], "2016-02-01..2016-02-29 month");
  EXPECT_EQ(v[4], "2011-01-01..2011-12-31 year");
  EXPECT_EQ(v[5], "2012-05-01..2012-05-31 month");
}

TEST(Dates, MonthWithoutYearTakesTheSentencesYear) {
  EXPECT_EQ(Values("平成29年1月に連携協約を締結し、3月にビジョンを策定した。")[1], "2017-03-01..2017-03-31 month");
}

TEST(Dates, WithoutAnyContextAYearlessDateIsNotGuessed) {
  EXPECT_TRUE(Values("2月7日(月)に開催").empty());
}

// --- Validation --------------------------------------------------------------------------

TEST(Dates, DayBeforeItsEraBeganIsFlaggedNotMoved) {
  const Records r = Extract({"令和元年4月1日"});
  ASSERT_EQ(r.dates.size(), 1u);
  EXPECT_TRUE(r.dates[0].impossible);
  EXPECT_EQ(r.dates[0].start_date, "2019-04-01");
  EXPECT_FALSE(Extract({"令和元年5月1日"}).dates[0].impossible);
  EXPECT_FALSE(Extract({"令和元年"}).dates[0].impossible);
  EXPECT_TRUE(Extract({"平成35年"}).dates[0].impossible);  // 平成 ended in 2019
}

TEST(Dates, DayTheMonthLacksIsFlaggedAndKeptAsWritten) {
  const Records r = Extract({"2023年2月30日"});
  ASSERT_EQ(r.dates.size(), 1u);
  EXPECT_TRUE(r.dates[0].impossible);
  EXPECT_EQ(r.dates[0].start_date, "2023-02-30");
  EXPECT_FALSE(Extract({"2024年2月29日"}).dates[0].impossible);
}

TEST(Dates, WrongWeekdayIsFlagged) {
  const Records r = Extract({"令和6年4月2日(月)"});  // a Tuesday
  ASSERT_EQ(r.dates.size(), 1u);
  EXPECT_TRUE(r.dates[0].weekday_mismatch);
  EXPECT_EQ(r.dates[0].start_date, "2024-04-02");
  EXPECT_FALSE(Extract({"令和6年4月1日(月)"}).dates[0].weekday_mismatch);
}

// --- Not dates -----------------------------------------------------------------------

TEST(Dates, DurationsCenturiesTimesVersionsAndNumbersAreNotDates) {
  for (const char* text : {"7 世紀後半", "13 世紀以上", "5年間", "5年毎に見直し", "年1回", "3年間の時限措置", "24時間",
                           "午後7時～午後11時", "13:30～15:00", "ビジョン2.0", "第2期", "87事業", "65歳以上",
                           "TEL 024-924-2001", "福島県の約1/3", "3か月", "江戸時代"}) {
    EXPECT_TRUE(Values(text).empty()) << text << " gave " << (Values(text).empty() ? "" : Values(text)[0]);
  }
}

TEST(Dates, PageNumberAloneOnItsLineIsNotADate) {
  EXPECT_TRUE(Values("令和2年10月19日\n\n2/3\n\n重症").size() == 1);
}

// --- Long pages: searched in stretches of lines ------------------------------------------

// A page is searched stretch by stretch (whole lines of about a hundred bytes), each rule
// only where it matches; what it finds must be what one search of the page finds.
TEST(Dates, EveryLineOfALongPageIsSearched) {
  std::string page;
  std::vector<std::string> expected;
  for (int month = 1; month <= 12; ++month) {
    for (int day : {3, 17, 28}) {
      page += "議事" + std::to_string(month) + "-" + std::to_string(day) + " は令和5年" + std::to_string(month) + "月" +
              std::to_string(day) + "日に開いた。\n";
      char iso[16];
      std::snprintf(iso, sizeof iso, "2023-%02d-%02d", month, day);
      expected.push_back(std::string(iso) + ".." + iso + " day");
    }
  }
  EXPECT_EQ(Values(page), expected);
}

TEST(Dates, RangesAreFoundOnAnyLineOfALongPage) {
  const std::string filler(40, 'x');
  std::string page;
  for (int i = 0; i < 6; ++i) page += filler + "\n";
  page += "計画期間は令和3～7年度とする。\n" + filler + "\n2024-2028年の見通し\n";
  EXPECT_EQ(Values(page), (std::vector<std::string>{"2021-04-01..2026-03-31 fiscal_year", "2024-01-01..2028-12-31 year"}));
}

TEST(Dates, ARuleThatSpansALineBreakIsStillSeenAcrossIt) {
  // month-slash-day throws away "約\n1/3" (about a third) even when the line breaks
  // after 約, and a long first line puts the two on different stretches.
  const std::string first = "令和5年4月1日、" + std::string(100, 'x') + "県の面積の約";
  EXPECT_EQ(Values(first + "\n1/3を占める。"), (std::vector<std::string>{"2023-04-01..2023-04-01 day"}));
  EXPECT_EQ(Values(first + "半分。\n1/3に開く。").size(), 2u);
}

// --- Provenance and rules as data -------------------------------------------------------

TEST(Dates, RecordsPointAtTheirSurfaceAndRule) {
  const std::string page = "郡山市は、令和元年 10 月 18 日に、2023年度の計画を定めた。";
  const std::u32string text = normalize::NormalizeString(DecodeUtf8(page));
  const Records r = Default().Extract({testing::Page(3, text)});
  ASSERT_EQ(r.dates.size(), 2u);
  for (const DateRecord& d : r.dates) {
    EXPECT_EQ(d.page_no, 3);
    EXPECT_EQ(EncodeUtf8(text.substr(d.start_offset, d.end_offset - d.start_offset)), d.surface);
  }
  EXPECT_EQ(r.dates[0].surface, "令和元年10月18日");
  EXPECT_EQ(r.dates[0].rule_id, "era");
  EXPECT_EQ(r.dates[1].rule_id, "western");
}

TEST(Dates, AUserRuleWorksWithoutRecompiling) {
  TempDir dir;
  std::ifstream in(DateRules());
  std::string rules((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  testing::WriteFile(dir / "dates.toml", rules);
  std::string error;
  auto before = Extractor::Load({dir / "dates.toml"}, &error);
  ASSERT_NE(before, nullptr) << error;
  EXPECT_TRUE(Extract({"FY2023の予算"}, *before).dates.empty());

  rules += "\n[[rules]]\nid = \"fy\"\npattern = '(?P<fiscal>FY)(?P<wyear>{WY})'\n";
  testing::WriteFile(dir / "dates.toml", rules);
  auto after = Extractor::Load({dir / "dates.toml"}, &error);
  ASSERT_NE(after, nullptr) << error;
  const Records r = Extract({"FY2023の予算"}, *after);
  ASSERT_EQ(r.dates.size(), 1u);
  EXPECT_EQ(r.dates[0].start_date, "2023-04-01");
  EXPECT_EQ(r.dates[0].precision, "fiscal_year");
  EXPECT_EQ(r.dates[0].rule_id, "fy");
}

TEST(Dates, BrokenRuleFilesAreRefusedWithTheRuleNamed) {
  TempDir dir;
  std::string error;
  testing::WriteFile(dir / "a.toml", "kind = \"dates\"\n[[rules]]\nid = \"bad\"\npattern = '(?P<year>[0-9'\n");
  EXPECT_EQ(Extractor::Load({dir / "a.toml"}, &error), nullptr);
  EXPECT_NE(error.find("bad"), std::string::npos) << error;
  testing::WriteFile(dir / "b.toml", "kind = \"dates\"\n[[rules]]\nid = \"odd\"\npattern = '(?P<yaer>[0-9]+)年'\n");
  EXPECT_EQ(Extractor::Load({dir / "b.toml"}, &error), nullptr);
  EXPECT_NE(error.find("yaer"), std::string::npos) << error;
  testing::WriteFile(dir / "c.toml", "kind = \"dates\"\n[[rules]]\nid = \"frag\"\npattern = '{NOPE}年'\n");
  EXPECT_EQ(Extractor::Load({dir / "c.toml"}, &error), nullptr);
  EXPECT_NE(error.find("NOPE"), std::string::npos) << error;
  testing::WriteFile(dir / "d.toml", "kind = \"weather\"\n[[rules]]\nid = \"x\"\npattern = 'x'\n");
  EXPECT_EQ(Extractor::Load({dir / "d.toml"}, &error), nullptr);
  EXPECT_NE(error.find("weather"), std::string::npos) << error;
}

// --- The pieces underneath ----------------------------------------------------------------

TEST(JapaneseNumbers, AllTheWaysOfWritingThem) {
  EXPECT_EQ(ParseJapaneseNumber(U"12"), 12);
  EXPECT_EQ(ParseJapaneseNumber(U"元"), 1);
  EXPECT_EQ(ParseJapaneseNumber(U"三十一"), 31);
  EXPECT_EQ(ParseJapaneseNumber(U"十"), 10);
  EXPECT_EQ(ParseJapaneseNumber(U"二〇二三"), 2023);
  EXPECT_EQ(ParseJapaneseNumber(U"一〇"), 10);
  EXPECT_EQ(ParseJapaneseNumber(U"百二"), 102);
  EXPECT_EQ(ParseJapaneseNumber(U"年"), -1);
}

TEST(JapaneseCalendar, EraBoundariesComeFromIcu) {
  const int reiwa = EraIndex("令和"), heisei = EraIndex("平成");
  ASSERT_GE(reiwa, 0);
  EXPECT_EQ(heisei, reiwa - 1);
  EXPECT_EQ(GregorianYear(reiwa, 1), 2019);
  EXPECT_EQ(GregorianYear(EraIndex("昭和"), 64), 1989);
  EXPECT_EQ(EraOn(2019, 4, 30), heisei);
  EXPECT_EQ(EraOn(2019, 5, 1), reiwa);
  EXPECT_EQ(EraOn(2023, 2, 30), -1);
  EXPECT_EQ(Weekday(2022, 2, 7), 1);  // Monday
  EXPECT_EQ(DaysInMonth(2024, 2), 29);
  EXPECT_EQ(EraIndex("天保元"), -1);
}

TEST(JapaneseCalendar, AnswersAskedAgainAreTheSameAndKeptApart) {
  // Answers are remembered per thread; asking twice, and asking about neighbouring days
  // and other questions about the same day, must not mix them up.
  const int reiwa = EraIndex("令和"), heisei = EraIndex("平成"), showa = EraIndex("昭和");
  for (int round = 0; round < 2; ++round) {
    EXPECT_EQ(EraOn(2019, 4, 30), heisei);
    EXPECT_EQ(EraOn(2019, 5, 1), reiwa);
    EXPECT_EQ(EraOn(1989, 1, 7), showa);
    EXPECT_EQ(EraOn(1989, 1, 8), heisei);
    EXPECT_EQ(EraOn(2023, 2, 29), -1);
    EXPECT_EQ(EraOn(2024, 2, 29), reiwa);
    EXPECT_EQ(DaysInMonth(2023, 2), 28);
    EXPECT_EQ(DaysInMonth(2024, 2), 29);
    EXPECT_EQ(DaysInMonth(2024, 13), 0);
    EXPECT_EQ(Weekday(2024, 2, 29), 4);  // Thursday
    EXPECT_EQ(Weekday(2024, 3, 1), 5);
    EXPECT_EQ(GregorianYear(reiwa, 6), 2024);
    EXPECT_EQ(GregorianYear(heisei, 6), 1994);
  }
}

}  // namespace
}  // namespace kobun::extract
