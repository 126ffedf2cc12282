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
  EXPECT_NE(shown.out.find("page 1, 4 rows x 3 columns, rule ruled"), std::string::npos) << shown.out;
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

namespace kobun::extract {
namespace {

// Pages drawn by hand: rules and one text box per cell line, in points, A4.
struct Drawing {
  PageText page;
  explicit Drawing(int page_no) {
    page.page_no = page_no;
    page.width = 595;
    page.height = 842;
  }
  void HLine(double y, double x0, double x1) { page.rules.push_back({x0, y, x1, y}); }
  void VLine(double x, double y0, double y1) { page.rules.push_back({x, y0, x, y1}); }
  // A full grid: every row line across, every column line down.
  void Grid(const std::vector<double>& ys, const std::vector<double>& xs) {
    for (double y : ys) HLine(y, xs.front(), xs.back());
    for (double x : xs) VLine(x, ys.front(), ys.back());
  }
  void Text(double x, double y, const std::string& text) {
    ingest::TextBox b;
    b.text = text;
    b.x0 = x, b.y0 = y, b.x1 = x + 10.0 * static_cast<double>(DecodeUtf8(text).size()), b.y1 = y + 10;
    b.font_size = 10;
    page.boxes.push_back(b);
  }
};

std::vector<TableRecord> ExtractDrawn(const std::vector<Drawing>& drawings) {
  std::vector<PageText> pages;
  for (const Drawing& d : drawings) pages.push_back(d.page);
  return Tables().Extract(pages).tables;
}

TEST(RuledTables, MergedCellsHoldTheirTextInTheTopLeftCell) {
  // | 区分 (2 rows) | 事業名 (2 rows) | 予算額 (2 columns)  |
  // |               |                 | 令和5年度 | 令和6年度 |
  // | 産業 (2 rows) | 創業支援        | 1,200     | 1,500     |
  // |               | 企業誘致        | 3,000     | 2,800     |
  Drawing d(1);
  const std::vector<double> ys = {100, 120, 140, 160, 180}, xs = {50, 110, 230, 330, 430};
  for (double y : {100.0, 180.0}) d.HLine(y, 50, 430);
  d.HLine(120, 230, 430);  // under 予算額 only: 区分 and 事業名 span two rows
  d.HLine(140, 50, 430);
  d.HLine(160, 110, 430);  // 産業 spans two rows
  for (double x : {50.0, 110.0, 230.0, 430.0}) d.VLine(x, 100, 180);
  d.VLine(330, 120, 180);  // 予算額 spans two columns
  d.Text(54, 114, "区分");  // vertically centred in its two rows
  d.Text(114, 114, "事業名");
  d.Text(250, 104, "予算額");
  d.Text(234, 124, "令和5年度");
  d.Text(334, 124, "令和6年度");
  d.Text(54, 154, "産業");
  d.Text(114, 144, "創業支援");
  d.Text(234, 144, "1,200");
  d.Text(334, 144, "1,500");
  d.Text(114, 164, "企業誘致");
  d.Text(234, 164, "3,000");
  d.Text(334, 164, "2,800");
  const std::vector<TableRecord> t = ExtractDrawn({d});
  ASSERT_EQ(t.size(), 1u);
  EXPECT_EQ(t[0].rule_id, "ruled");
  EXPECT_EQ(t[0].row_count, 4);
  EXPECT_EQ(t[0].col_count, 4);
  EXPECT_EQ(CellText(t[0], 0, 0), "区分");
  EXPECT_EQ(CellText(t[0], 1, 0), "");
  EXPECT_EQ(CellText(t[0], 0, 2), "予算額");
  EXPECT_EQ(CellText(t[0], 0, 3), "");
  EXPECT_EQ(CellText(t[0], 1, 3), "令和6年度");
  EXPECT_EQ(CellText(t[0], 2, 0), "産業");
  EXPECT_EQ(CellText(t[0], 3, 0), "");
  EXPECT_EQ(CellText(t[0], 3, 2), "3,000");
  EXPECT_EQ(t[0].x0, 50);
  EXPECT_EQ(t[0].y1, 180);
}

TEST(RuledTables, DoubleBordersAreOneLineAndAFrameIsNoTable) {
  Drawing d(1);
  // A 2 x 2 table drawn with double borders half a point apart.
  for (double off : {0.0, 0.5}) d.Grid({100 + off, 130 + off, 160 + off}, {50 + off, 150 + off, 300 + off});
  d.Text(54, 104, "指標");
  d.Text(154, 104, "目標値");
  d.Text(54, 134, "転入者数");
  d.Text(154, 134, "1,000人");
  // A box around a note: one cell, not a table.
  d.Grid({400, 440}, {50, 300});
  d.Text(54, 410, "※数値は速報値");
  const std::vector<TableRecord> t = ExtractDrawn({d});
  ASSERT_EQ(t.size(), 1u);
  EXPECT_EQ(t[0].row_count, 2);
  EXPECT_EQ(t[0].col_count, 2);
  EXPECT_EQ(CellText(t[0], 1, 1), "1,000人");
  for (const TableCell& c : t[0].cells) EXPECT_EQ(c.is_header, c.row == 0);
}

TEST(RuledTables, TablesDrawnOneUnderTheOtherAreTwoTables) {
  // They share the frame line between them, but not a single inner column line.
  Drawing d(1);
  d.Grid({100, 120, 140}, {50, 150, 400});
  d.Grid({140, 160, 180, 200}, {50, 100, 250, 400});
  d.Text(54, 104, "検討分野");
  d.Text(154, 104, "産業振興分野");
  d.Text(154, 124, "移住定住分野");
  d.Text(54, 144, "区分");
  d.Text(104, 144, "事業名");
  d.Text(254, 144, "概要");
  d.Text(54, 164, "新規");
  d.Text(104, 164, "農福連携推進事業");
  d.Text(254, 164, "マッチングを促進");
  d.Text(54, 184, "拡充");
  d.Text(104, 184, "移住・定住促進事業");
  d.Text(254, 184, "アンケートに連携");
  const std::vector<TableRecord> t = ExtractDrawn({d});
  ASSERT_EQ(t.size(), 2u);
  EXPECT_EQ(t[0].col_count, 2);
  EXPECT_EQ(t[0].row_count, 2);
  EXPECT_EQ(CellText(t[0], 1, 1), "移住定住分野");
  EXPECT_EQ(t[1].col_count, 3);
  EXPECT_EQ(t[1].row_count, 3);
  EXPECT_EQ(CellText(t[1], 2, 1), "移住・定住促進事業");
}

TEST(RuledTables, GridContinuingOnTheNextPageJoinsTheRowThePageBreakCut) {
  const std::vector<double> xs = {50, 90, 300, 500};
  Drawing first(1), second(2);
  first.Grid({700, 720, 760, 800}, xs);
  first.Text(54, 704, "No");
  first.Text(94, 704, "事業名");
  first.Text(304, 704, "内容");
  first.Text(54, 724, "1");
  first.Text(94, 724, "創業支援事業");
  first.Text(304, 724, "相談窓口の運営");
  first.Text(54, 764, "2");  // cut by the page break: its cells go on on page 2
  first.Text(94, 764, "産業振興人材育成事");
  first.Text(304, 764, "研修会の共同開催と");
  second.Grid({50, 70, 110}, xs);
  second.Text(94, 54, "業");
  second.Text(304, 54, "講師派遣");
  second.Text(54, 74, "3");
  second.Text(94, 74, "観光誘客事業");
  second.Text(304, 74, "周遊ルートの造成");
  const std::vector<TableRecord> t = ExtractDrawn({first, second});
  ASSERT_EQ(t.size(), 1u);
  EXPECT_EQ(t[0].first_page, 1);
  EXPECT_EQ(t[0].last_page, 2);
  EXPECT_EQ(t[0].row_count, 4);
  EXPECT_EQ(CellText(t[0], 2, 1), "産業振興人材育成事業");
  EXPECT_EQ(CellText(t[0], 2, 2), "研修会の共同開催と講師派遣");
  EXPECT_EQ(CellText(t[0], 3, 0), "3");
}

TEST(LayoutTables, AlignedBulletedLinesAreAListNotATable) {
  Drawing d(1);
  const char* rows[][3] = {{"- 平成", "22年", "定住自立圏形成"},
                           {"- 平成", "27年", "連携中枢都市宣言"},
                           {"- 平成", "28年", "ビジョン策定"},
                           {"- 令和", "2年", "第2次ビジョン策定"}};
  double y = 100;
  for (const auto& row : rows) {
    d.Text(50, y, row[0]);
    d.Text(120, y, row[1]);
    d.Text(180, y, row[2]);
    y += 16;
  }
  EXPECT_TRUE(ExtractDrawn({d}).empty());
  // The same lines without bullets are a table.
  Drawing plain(1);
  y = 100;
  for (const auto& row : rows) {
    plain.Text(50, y, std::string(row[0]).substr(2));
    plain.Text(120, y, row[1]);
    plain.Text(180, y, row[2]);
    y += 16;
  }
  const std::vector<TableRecord> t = ExtractDrawn({plain});
  ASSERT_EQ(t.size(), 1u);
  EXPECT_EQ(t[0].rule_id, "layout");
}

}  // namespace
}  // namespace kobun::extract
