// Tables in text reports, and `kobun show`.
#include <gtest/gtest.h>

#include "common/utf8.h"
#include "extract/extract.h"
#include "normalize/normalize.h"
#include "pipelines/pipeline.h"
#include "tests/default_extractor.h"
#include "tests/test_util.h"

namespace kobun::extract {
namespace {

using testing::Fixture;

const Extractor& Tables() {
  static const std::unique_ptr<Extractor> extractor = [] {
    std::string error;
    auto e = Extractor::Load({std::filesystem::path(KOBUN_SOURCE_DIR) / "pipelines/rules/tables.toml"}, &error);
    EXPECT_NE(e, nullptr) << error;
    return e;
  }();
  return *extractor;
}

std::vector<TableRecord> Extract(const std::vector<std::string>& pages) {
  std::vector<PageText> texts;
  for (size_t i = 0; i < pages.size(); ++i)
    texts.push_back(testing::Page(static_cast<int>(i + 1), normalize::NormalizeString(DecodeUtf8(pages[i]))));
  return Tables().Extract(texts).tables;
}

std::string CellText(const TableRecord& t, int row, int col) {
  for (const TableCell& c : t.cells)
    if (c.row == row && c.col == col) return c.text;
  return "";
}

TEST(TextTables, TabSeparatedLinesAreRowsAndCells) {
  const std::string page = "2023年度スケジュール\n\n\t4~6月\t7~9月\n策定作業\t課題整理\t素案作成\n各種会議等\t\t●10/19 懇談会\n\n以上";
  const std::vector<TableRecord> tables = Extract({page});
  ASSERT_EQ(tables.size(), 1u);
  const TableRecord& t = tables[0];
  EXPECT_EQ(t.row_count, 3);
  EXPECT_EQ(t.col_count, 3);
  EXPECT_EQ(t.rule_id, "tsv");
  EXPECT_EQ(CellText(t, 0, 1), "4~6月");  // normalized like page text
  EXPECT_EQ(CellText(t, 1, 0), "策定作業");
  EXPECT_EQ(CellText(t, 2, 1), "");
  EXPECT_EQ(CellText(t, 2, 2), "●10/19懇談会");
  for (const TableCell& c : t.cells) EXPECT_EQ(c.is_header, c.row == 0) << c.text;
}

TEST(TextTables, CellsPointIntoThePageText) {
  const std::u32string text = normalize::NormalizeString(DecodeUtf8("見出し\nNo.\t事業名\n1\t創業支援事業\n2\t移住・定住促進事業\n"));
  const Records r = Tables().Extract({testing::Page(1, text)});
  ASSERT_EQ(r.tables.size(), 1u);
  for (const TableCell& c : r.tables[0].cells) {
    ASSERT_GE(c.start_offset, 0);
    EXPECT_EQ(EncodeUtf8(text.substr(c.start_offset, c.end_offset - c.start_offset)), c.text);
  }
}

TEST(TextTables, BlankLineBetweenRowsOfTheSameColumnsDoesNotSplitATable) {
  const std::vector<TableRecord> one = Extract({"取組\t内容\n(1)\t経済\n\n(2)\t観光\n"});
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(one[0].row_count, 3);
  const std::vector<TableRecord> two = Extract({"取組\t内容\n(1)\t経済\n\nA\tB\tC\nD\tE\tF\n"});
  EXPECT_EQ(two.size(), 2u);
}

TEST(TextTables, TextBetweenTablesSplitsThem) {
  const std::vector<TableRecord> t = Extract({"a\tb\nc\td\n2 高次の都市機能\ne\tf\ng\th\n"});
  EXPECT_EQ(t.size(), 2u);
}

TEST(TextTables, TableContinuingOnTheNextPageIsOneTable) {
  const std::vector<TableRecord> t = Extract({"本文\nNo.\t名称\n1\t郡山市\n2\t須賀川市\n", "3\t二本松市\n4\t田村市\n\n以上"});
  ASSERT_EQ(t.size(), 1u);
  EXPECT_EQ(t[0].first_page, 1);
  EXPECT_EQ(t[0].last_page, 2);
  EXPECT_EQ(t[0].row_count, 5);
  EXPECT_EQ(CellText(t[0], 4, 1), "田村市");
}

TEST(TextTables, ASingleTabbedLineIsNotATable) {
  EXPECT_TRUE(Extract({"日時\t令和4年2月7日\n本文が続く。"}).empty());
}

TEST(TextTables, SentencesInTheFirstRowAreNotAHeader) {
  const std::vector<TableRecord> t = Extract({"郡山市と連携して取り組む。\t二本松市と連携して取り組む。\nA\tB\n"});
  ASSERT_EQ(t.size(), 1u);
  for (const TableCell& c : t[0].cells) EXPECT_FALSE(c.is_header);
}

TEST(ShowCommand, PrintsADocumentsTablesAligned) {
  testing::TempDir dir;
  const std::string db = (dir / "k.db").string();
  ASSERT_EQ(testing::RunKobun("run --db " + db + " " + Fixture("reports/morioka-vision-utf16.txt").string()).exit_code, 0);
  const auto shown = testing::RunKobun("show --db " + db + " morioka-vision-utf16.txt");
  EXPECT_EQ(shown.exit_code, 0) << shown.err;
  EXPECT_NE(shown.out.find("rule tsv"), std::string::npos) << shown.out;
  EXPECT_NE(shown.out.find("+="), std::string::npos) << shown.out;  // header rule
  EXPECT_EQ(testing::RunKobun("show --db " + db + " nothing-like-this.pdf").exit_code, 2);
  EXPECT_EQ(testing::RunKobun("show --db " + (dir / "none.db").string() + " 1").exit_code, 2);
}

}  // namespace
}  // namespace kobun::extract

namespace kobun::extract {
namespace {

// A ruled table in a PDF written by an office suite: centred header, one wrapped cell.
TEST(PdfTables, RuledTableWithAWrappedCellBecomesRowsAndColumns) {
  testing::TempDir dir;
  const std::string db = (dir / "k.db").string();
  ASSERT_EQ(testing::RunKobun("run --db " + db + " " + Fixture("reports/koriyama-agreement.pdf").string()).exit_code, 0);
  const auto shown = testing::RunKobun("show --width 80 --db " + db + " koriyama-agreement.pdf");
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  EXPECT_NE(shown.out.find("page 1, 4 rows x 3 columns, rule layout"), std::string::npos) << shown.out;
  // The cell that wraps over two lines in the PDF is one cell, joined without a space.
  EXPECT_NE(shown.out.find("| 観光振興     | 安達太良山周辺の観光資源を活用した広域周遊ルートの造成と情報発信 |"),
            std::string::npos)
      << shown.out;
  EXPECT_NE(shown.out.find("| 分野         | 取組の内容"), std::string::npos) << shown.out;
}

}  // namespace
}  // namespace kobun::extract

namespace kobun::extract {
namespace {

// Tables of a PDF in fixtures/tables (see its README for what each one holds).
std::vector<TableRecord> PdfTables(const std::string& name) {
  const pipelines::FileResult r =
      pipelines::ProcessFile({Fixture("tables/" + name), ingest::MediaType::kPdf}, testing::DefaultExtractor(), {}, false);
  EXPECT_EQ(r.outcome, pipelines::FileResult::Outcome::kDocument) << r.message;
  return r.document.records.tables;
}

TEST(PdfTables, RuledTableWithCellsWrappingOverThreeLines) {
  const std::vector<TableRecord> t = PdfTables("ruled-wrapped.pdf");
  ASSERT_EQ(t.size(), 1u);
  EXPECT_EQ(t[0].row_count, 6);
  EXPECT_EQ(t[0].col_count, 4);
  EXPECT_EQ(CellText(t[0], 0, 2), "内容");
  EXPECT_EQ(CellText(t[0], 1, 1), "広域観光周遊促進事業");
  EXPECT_EQ(CellText(t[0], 1, 2), "圏域内の観光資源を結ぶ周遊ルートを造成し、スタンプラリーや共通パンフレットにより誘客を図る。");
  EXPECT_EQ(CellText(t[0], 5, 3), "本宮市");
  for (const TableCell& c : t[0].cells) EXPECT_EQ(c.is_header, c.row == 0);
}

TEST(PdfTables, UnruledTableWithOneLinePerRow) {
  const std::vector<TableRecord> t = PdfTables("unruled.pdf");
  ASSERT_EQ(t.size(), 1u);
  EXPECT_EQ(t[0].row_count, 7);
  EXPECT_EQ(t[0].col_count, 3);
  EXPECT_EQ(CellText(t[0], 2, 1), "市道舗装改良事業");
  EXPECT_EQ(CellText(t[0], 2, 2), "318,000");
  EXPECT_EQ(CellText(t[0], 4, 1), "ウルトラマン観光振興事業");
}

TEST(PdfTables, TwoTablesSideBySideAreTwoTables) {
  const std::vector<TableRecord> t = PdfTables("side-by-side.pdf");
  ASSERT_EQ(t.size(), 2u);
  for (const TableRecord& table : t) {
    EXPECT_EQ(table.row_count, 7);
    EXPECT_EQ(table.col_count, 2);
  }
  EXPECT_EQ(CellText(t[0], 1, 1), "霞ヶ城公園整備事業");
  EXPECT_EQ(CellText(t[1], 1, 1), "東和地区交流拠点事業");
  EXPECT_EQ(CellText(t[1], 6, 0), "12");
  EXPECT_EQ(CellText(t[1], 6, 1), "本宮市連携防災事業");
}

TEST(PdfTables, TableContinuingOnTheNextPageIsOneTable) {
  const std::vector<TableRecord> t = PdfTables("across-pages.pdf");
  ASSERT_EQ(t.size(), 1u);
  EXPECT_EQ(t[0].first_page, 1);
  EXPECT_EQ(t[0].last_page, 2);
  EXPECT_EQ(t[0].row_count, 46);
  EXPECT_EQ(t[0].col_count, 3);
  EXPECT_EQ(CellText(t[0], 37, 1), "矢吹町");
  EXPECT_EQ(CellText(t[0], 38, 0), "38");
  EXPECT_EQ(CellText(t[0], 38, 1), "棚倉町");
  EXPECT_EQ(CellText(t[0], 45, 2), "公共施設への太陽光発電導入");
}

}  // namespace
}  // namespace kobun::extract
