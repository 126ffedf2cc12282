// Agreements (連携協約) and article-structured documents: title, date, parties,
// signatories, legal basis, 条・項・号, 附則, 別表, and amendments.
#include <gtest/gtest.h>

#include <set>

#include "common/utf8.h"
#include "extract/extract.h"
#include "normalize/normalize.h"
#include "pipelines/pipeline.h"
#include "tests/default_extractor.h"
#include "tests/test_util.h"

namespace kobun::extract {
namespace {

std::vector<AgreementRecord> Agreements(const std::string& page) {
  const std::u32string text = normalize::NormalizeString(DecodeUtf8(page));
  return testing::DefaultExtractor().Extract({testing::Page(1, text)}).agreements;
}

const ClauseRecord* At(const AgreementRecord& a, const std::string& path) {
  for (const ClauseRecord& c : a.clauses)
    if (c.path == path) return &c;
  return nullptr;
}

const AgreementParty* Party(const AgreementRecord& a, const std::string& code) {
  for (const AgreementParty& p : a.parties)
    if (p.code == code) return &p;
  return nullptr;
}

// 熊本市 431001, 宇城市 432130.
const char* kKumamotoUki =
    "熊本市と宇城市との連携中枢都市圏形成に係る連携協約\n\n"
    "熊本市(以下「甲」という。)と宇城市(以下「乙」という。)は、地方自治法(昭和22年法律第67号)"
    "第252条の2第1項の規定により、次のとおり連携協約を締結する。\n\n"
    "(目的)\n"
    "第1条 この協約は、甲及び乙が連携し、圏域の発展を図ることを目的とする。\n"
    "(費用の負担)\n"
    "第2条 連携に要する費用は、甲及び乙が協議して負担する。\n"
    "2 前項の協議は、毎年度行うものとする。\n\n"
    "附 則\n"
    "この協約は、平成29年4月1日から効力を生ずる。\n\n"
    "この協約の締結を証するため、本書2通を作成し、甲乙記名押印の上、各自その1通を保有する。\n\n"
    "平成29年3月27日\n\n"
    "甲 熊本市長 大西 一史\n"
    "乙 宇城市長\n"
    "守田 憲史\n";

TEST(Agreements, PartiesByAliasSignatoriesLegalBasisAndTheSignatureDate) {
  const std::vector<AgreementRecord> a = Agreements(kKumamotoUki);
  ASSERT_EQ(a.size(), 1u);
  EXPECT_EQ(a[0].kind, "agreement");
  EXPECT_EQ(a[0].title, "熊本市と宇城市との連携中枢都市圏形成に係る連携協約");
  // The signature's date, not the date 附則 gives for when it takes effect.
  EXPECT_EQ(a[0].concluded_on, "2017-03-27");
  EXPECT_EQ(a[0].rule_id, "signature-date");
  EXPECT_EQ(a[0].legal_basis, "地方自治法第252条の2第1項");
  ASSERT_EQ(a[0].parties.size(), 2u);
  const AgreementParty* kumamoto = Party(a[0], "431001");
  const AgreementParty* uki = Party(a[0], "432130");
  ASSERT_NE(kumamoto, nullptr);
  ASSERT_NE(uki, nullptr);
  EXPECT_EQ(kumamoto->alias, "甲");
  EXPECT_EQ(uki->alias, "乙");
  EXPECT_EQ(kumamoto->signatory, "大西一史");
  EXPECT_EQ(uki->signatory, "守田憲史");  // on the line below the office
}

TEST(Agreements, ArticlesParagraphsAndTheSupplementaryProvisions) {
  const std::vector<AgreementRecord> a = Agreements(kKumamotoUki);
  ASSERT_EQ(a.size(), 1u);
  ASSERT_EQ(a[0].clauses.size(), 4u);
  const ClauseRecord* second = At(a[0], "第2条第2項");
  ASSERT_NE(second, nullptr);
  EXPECT_EQ(second->article, 2);
  EXPECT_EQ(second->paragraph, 2);
  EXPECT_EQ(second->heading, "費用の負担");
  EXPECT_EQ(second->text, "前項の協議は、毎年度行うものとする。");
  const ClauseRecord* supplementary = At(a[0], "附則第1項");
  ASSERT_NE(supplementary, nullptr);
  EXPECT_EQ(supplementary->part, "supplementary");
  EXPECT_EQ(supplementary->article, 0);
  // Offsets point at the clause in the page text.
  const std::u32string text = normalize::NormalizeString(DecodeUtf8(kKumamotoUki));
  EXPECT_EQ(EncodeUtf8(text.substr(second->start_offset, second->end_offset - second->start_offset)),
            "2 前項の協議は、毎年度行うものとする。");
}

TEST(Agreements, KanjiArticleNumbersArticleTheSecondItemsAndSubitems) {
  const std::vector<AgreementRecord> a = Agreements(
      "福山市と府中市との連携協約\n"
      "福山市及び府中市は、次のとおり連携協約を締結する。\n"
      "(目的)\n"
      "第一条 この協約は、圏域の発展を目的とする。\n"
      "(取組)\n"
      "第二条 福山市及び府中市は、次に掲げる取組を行う。\n"
      "一 産業の振興\n"
      "ア 創業の支援\n"
      "イ 販路の開拓\n"
      "二 観光の振興\n"
      "2 前項の取組の細目は、別に定める。\n"
      "(2) 前項の細目は公表する。\n"
      "(連携会議)\n"
      "第二条の二 福山市及び府中市は、連携会議を置く。\n"
      "第三条 この協約に定めのない事項は、協議して定める。\n");
  ASSERT_EQ(a.size(), 1u);
  ASSERT_NE(At(a[0], "第1条第1項"), nullptr);
  const ClauseRecord* item = At(a[0], "第2条第1項第1号");
  ASSERT_NE(item, nullptr);
  EXPECT_EQ(item->item, "1");
  EXPECT_EQ(item->text, "産業の振興");
  const ClauseRecord* sub = At(a[0], "第2条第1項第1号イ");
  ASSERT_NE(sub, nullptr);
  EXPECT_EQ(sub->subitem, "イ");
  EXPECT_EQ(sub->text, "販路の開拓");
  ASSERT_NE(At(a[0], "第2条第1項第2号"), nullptr);
  const ClauseRecord* paragraph = At(a[0], "第2条第2項");
  ASSERT_NE(paragraph, nullptr);
  EXPECT_EQ(At(a[0], "第2条第2項第2号"), nullptr);  // (2) with no (1) before it is text, not an item
  EXPECT_NE(paragraph->text.find("(2) 前項の細目は公表する。"), std::string::npos) << paragraph->text;
  const ClauseRecord* branch = At(a[0], "第2条の2第1項");
  ASSERT_NE(branch, nullptr);
  EXPECT_EQ(branch->article, 2);
  EXPECT_EQ(branch->article_sub, 2);
  EXPECT_EQ(branch->heading, "連携会議");
  const ClauseRecord* third = At(a[0], "第3条第1項");
  ASSERT_NE(third, nullptr);
  EXPECT_EQ(third->heading, "");  // no parenthesised line above it
}

// An amendment: what it quotes from the original is its content, not its clauses.
TEST(Agreements, AmendmentQuotingTheOriginal) {
  const std::vector<AgreementRecord> a = Agreements(
      "郡山市と二本松市との連携中枢都市圏形成に係る連携協約の一部を変更する協約\n"
      "郡山市及び二本松市は、令和元年10月18日に締結した郡山市と二本松市との連携中枢都市圏形成に係る連携協約の"
      "一部を次のように変更する。\n"
      "第3条を次のように改める。\n"
      "(連携する取組等)\n"
      "第3条 郡山市及び二本松市が相互に連携する取組は、別表に掲げるとおりとする。\n"
      "2 前項の取組の細目は、協議して別に定める。\n"
      "第5条中「定期的に」を「毎年度」に改める。\n"
      "附 則\n"
      "この協約は、令和3年4月1日から効力を生ずる。\n"
      "この協約の締結を証するため、本書2通を作成し、記名押印の上、各自1通を保有する。\n"
      "令和3年3月26日\n"
      "郡山市長 品川 萬里\n"
      "二本松市長 三保 恵一\n");
  ASSERT_EQ(a.size(), 1u);
  EXPECT_EQ(a[0].kind, "amendment");
  EXPECT_EQ(a[0].concluded_on, "2021-03-26");
  for (const ClauseRecord& c : a[0].clauses) EXPECT_EQ(c.part, "supplementary") << c.path << " " << c.text;
  EXPECT_NE(a[0].amended_content.find("第3条 郡山市及び二本松市が相互に連携する取組は"), std::string::npos)
      << a[0].amended_content;
  EXPECT_NE(a[0].amended_content.find("第5条中「定期的に」を「毎年度」に改める。"), std::string::npos);
  EXPECT_EQ(a[0].parties.size(), 2u);
}

TEST(Agreements, AmendmentInArticlesEndsTheQuotedTextAtItsOwnNextArticle) {
  const std::vector<AgreementRecord> a = Agreements(
      "連携協約の一部を変更する協約\n"
      "(連携協約の一部変更)\n"
      "第1条 熊本市と宇城市との連携協約の一部を次のように変更する。\n"
      "第4条を次のように改める。\n"
      "第4条 この協約の期間は、5年とする。\n"
      "(効力の発生)\n"
      "第2条 この協約は、令和4年4月1日から効力を生ずる。\n");
  ASSERT_EQ(a.size(), 1u);
  EXPECT_EQ(a[0].kind, "amendment");
  ASSERT_NE(At(a[0], "第2条第1項"), nullptr);
  EXPECT_EQ(At(a[0], "第2条第1項")->heading, "効力の発生");
  EXPECT_EQ(At(a[0], "第4条第1項"), nullptr);
  EXPECT_NE(a[0].amended_content.find("第4条 この協約の期間は、5年とする。"), std::string::npos);
}

// Regulations with a table of contents, chapters and commentary (like a model 就業規則):
// contents entries, chapter lines, commentary blocks and the laws they quote are not
// articles; 附 / 則 printed apart still opens the supplementary provisions.
TEST(Agreements, ArticlesOfRegulationsWithoutContentsOrCommentary) {
  const std::vector<AgreementRecord> a = Agreements(
      "モデル就業規則\n"
      "目次\n"
      "第1章 総則............10\n"
      "第1条(目的)\n"
      "第2条(適用範囲)\n"
      "第1章\n"
      "総則\n"
      "総則には、一般的に就業規則の作成の目的や適用範囲等を規定します。\n"
      "(目的)\n"
      "第1条\n"
      "この就業規則は、労働者の就業に関する事項を定めるものである。\n"
      "2この規則に定めた事項のほか、就業に関する事項については、法令の定めによる。\n"
      "【第1条 目的】\n"
      "1\n"
      "本規程例では、労働者の就業に関する事項を定めています。\n"
      "(適用範囲)\n"
      "第2条 この規則は、労働者に適用する。\n"
      "【第2条 適用範囲】\n"
      "第1条 労基法第1条は次のとおりです。\n"
      "附\n"
      "則\n"
      "(施行期日)\n"
      "第1条 この規則は、令和5年4月1日から施行する。\n");
  ASSERT_EQ(a.size(), 1u);
  EXPECT_EQ(a[0].kind, "articles");
  EXPECT_EQ(a[0].title, "モデル就業規則");
  EXPECT_EQ(a[0].concluded_on, "");
  std::vector<std::string> paths;
  for (const ClauseRecord& c : a[0].clauses) paths.push_back(c.path);
  EXPECT_EQ(paths, (std::vector<std::string>{"第1条第1項", "第1条第2項", "第2条第1項", "附則第1条第1項"}));
  EXPECT_EQ(At(a[0], "第1条第1項")->text, "この就業規則は、労働者の就業に関する事項を定めるものである。");
  EXPECT_EQ(At(a[0], "附則第1条第1項")->heading, "施行期日");
}

TEST(Agreements, APlanThatMentionsAgreementsAndArticlesHasNone) {
  EXPECT_TRUE(Agreements("こおりやま広域連携中枢都市圏ビジョン\n"
                         "令和元年10月18日に連携協約を締結した。\n"
                         "連携協約の第3条に基づき、取組を進める。\n"
                         "第2期ビジョンの期間は5年とする。\n")
                  .empty());
}

// fixtures/reports/kumamoto-uki-kyoyaku.pdf: the 別表 of roles runs over two pages.
TEST(Agreements, RolesTableSpanningPagesIsTheAppendixOfThePdfAgreement) {
  const pipelines::FileResult r = pipelines::ProcessFile(
      {testing::Fixture("reports/kumamoto-uki-kyoyaku.pdf"), ingest::MediaType::kPdf}, testing::DefaultExtractor(),
      {}, false);
  ASSERT_EQ(r.outcome, pipelines::FileResult::Outcome::kDocument) << r.message;
  const Records& records = r.document.records;
  ASSERT_EQ(records.agreements.size(), 1u);
  const AgreementRecord& a = records.agreements[0];
  EXPECT_EQ(a.concluded_on, "2017-03-27");
  EXPECT_EQ(a.legal_basis, "地方自治法第252条の2第1項");  // the preamble runs over two lines
  ASSERT_NE(Party(a, "431001"), nullptr);
  EXPECT_EQ(Party(a, "431001")->signatory, "大西一史");  // 大西 / 一史 on lines of their own
  ASSERT_NE(At(a, "第3条第2項"), nullptr);
  ASSERT_EQ(a.appendices.size(), 1u);
  EXPECT_EQ(a.appendices[0].label, "別表");
  ASSERT_EQ(a.appendices[0].tables.size(), 1u);
  const TableRecord& roles = records.tables.at(a.appendices[0].tables[0]);
  EXPECT_EQ(roles.first_page, 1);
  EXPECT_EQ(roles.last_page, 2);
  EXPECT_EQ(roles.row_count, 23);  // the header and 22 rows
  // Cells point into the page text below 別表, never at words of the articles above it
  // (the cell "2" is not the "2" of 第3条第2項).
  const std::u32string page1 = DecodeUtf8(r.document.pages.at(0).text);
  const int appendix = static_cast<int>(page1.find(U"別表"));
  int placed = 0;
  for (const TableCell& c : roles.cells) {
    if (c.page_no != 1 || c.start_offset < 0) continue;
    ++placed;
    EXPECT_GT(c.start_offset, appendix) << c.row << "," << c.col << " " << c.text;
  }
  EXPECT_GT(placed, 0);
}

// The model work rules in ../shared/corpus/real (93 pages, when present): its table of
// contents numbers articles 第1条 to 第70条; every one is found once or more (the model
// gives alternatives for some), each with its heading, and none comes from the contents
// or the commentary.
TEST(Agreements, ModelWorkRulesParseIntoTheirSeventyArticles) {
  const std::filesystem::path pdf = testing::SharedCorpus("real/mhlw_model-shugyo-kisoku_R4-11.pdf");
  if (pdf.empty()) GTEST_SKIP() << "../shared/corpus/real is not here";
  const pipelines::FileResult r =
      pipelines::ProcessFile({pdf, ingest::MediaType::kPdf}, testing::DefaultExtractor(), {}, false);
  ASSERT_EQ(r.outcome, pipelines::FileResult::Outcome::kDocument) << r.message;
  ASSERT_EQ(r.document.records.agreements.size(), 1u);
  const AgreementRecord& rules = r.document.records.agreements[0];
  EXPECT_EQ(rules.kind, "articles");
  std::set<int> articles;
  for (const ClauseRecord& c : rules.clauses) {
    if (c.part != "main") continue;
    articles.insert(c.article);
    EXPECT_FALSE(c.heading.empty()) << c.path;
  }
  EXPECT_EQ(articles.size(), 70u);
  EXPECT_EQ(*articles.begin(), 1);
  EXPECT_EQ(*articles.rbegin(), 70);
}

}  // namespace
}  // namespace kobun::extract
