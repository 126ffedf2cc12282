// ingest/: telling file types apart, decoding every supported encoding, reading PDFs.
#include "ingest/ingest.h"

#include <gtest/gtest.h>

#include "tests/test_util.h"

namespace kobun::ingest {
namespace {

using testing::Fixture;
using testing::ReadFile;

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// --- Classify -----------------------------------------------------------------------

TEST(Classify, ByExtensionAndByPdfHeader) {
  EXPECT_EQ(Classify("a/report.PDF", ""), MediaType::kPdf);
  EXPECT_EQ(Classify("a/report.txt", "令和"), MediaType::kText);
  EXPECT_EQ(Classify("a/report.text", ""), MediaType::kText);
  EXPECT_EQ(Classify("a/download.bin", "%PDF-1.7\n"), MediaType::kPdf);
  EXPECT_EQ(Classify("a/picture.png", "\x89PNG"), std::nullopt);
  EXPECT_EQ(Classify("a/README.md", "# title"), std::nullopt);
}

// --- Text reports -----------------------------------------------------------------------

struct Decoded {
  bool ok;
  std::string text, encoding, error;
};

Decoded Decode(const std::string& bytes) {
  Decoded d;
  d.ok = DecodeText(bytes, &d.text, &d.encoding, &d.error);
  return d;
}

TEST(DecodeText, Utf8WithoutBom) {
  const Decoded d = Decode(ReadFile(Fixture("reports/kitakami-press-2023.txt")));
  ASSERT_TRUE(d.ok) << d.error;
  EXPECT_EQ(d.encoding, "UTF-8");
  EXPECT_TRUE(Contains(d.text, "令和5年6月12日"));
}

TEST(DecodeText, Utf8BomIsRemoved) {
  const Decoded d = Decode(ReadFile(Fixture("reports/utf8-bom-note.txt")));
  ASSERT_TRUE(d.ok) << d.error;
  EXPECT_EQ(d.encoding, "UTF-8 (BOM)");
  EXPECT_EQ(d.text.rfind("メモ", 0), 0u);
}

TEST(DecodeText, Utf16LittleEndianWithBom) {
  const Decoded d = Decode(ReadFile(Fixture("reports/morioka-vision-utf16.txt")));
  ASSERT_TRUE(d.ok) << d.error;
  EXPECT_EQ(d.encoding, "UTF-16LE");
  EXPECT_TRUE(Contains(d.text, "盛岡広域連携中枢都市圏ビジョン"));
}

TEST(DecodeText, Utf16BigEndianWithBom) {
  // "郡山市" is U+90E1 U+5C71 U+5E02.
  const Decoded d = Decode(std::string("\xFE\xFF\x90\xE1\x5C\x71\x5E\x02", 8));
  ASSERT_TRUE(d.ok) << d.error;
  EXPECT_EQ(d.encoding, "UTF-16BE");
  EXPECT_EQ(d.text, "郡山市");
}

TEST(DecodeText, Cp932WithNecSpecialCharacters) {
  const Decoded d = Decode(ReadFile(Fixture("reports/fukuyama-kyoyaku-cp932.txt")));
  ASSERT_TRUE(d.ok) << d.error;
  EXPECT_EQ(d.encoding, "CP932");
  EXPECT_TRUE(Contains(d.text, "福山市と府中市との連携中枢都市圏形成に係る連携協約"));
  EXPECT_TRUE(Contains(d.text, "①"));  // 0x8740: CP932 only
  EXPECT_TRUE(Contains(d.text, "㈱"));
}

TEST(DecodeText, EucJp) {
  const Decoded d = Decode(ReadFile(Fixture("reports/kumamoto-notice-eucjp.txt")));
  ASSERT_TRUE(d.ok) << d.error;
  EXPECT_EQ(d.encoding, "EUC-JP");
  EXPECT_TRUE(Contains(d.text, "熊本市西区役所"));
  // A1C1 is the wave dash; ICU maps it to U+FF5E, which normalize/ makes "~" like 〜.
  EXPECT_TRUE(Contains(d.text, "〜") || Contains(d.text, "～")) << d.text;
}

TEST(DecodeText, Iso2022Jp) {
  // "郡山市" in ISO-2022-JP: ESC $ B, JIS X 0208 rows, ESC ( B.
  const Decoded d = Decode("\x1B$B74;3;T\x1B(B");
  ASSERT_TRUE(d.ok) << d.error;
  EXPECT_EQ(d.encoding, "ISO-2022-JP");
  EXPECT_EQ(d.text, "郡山市");
}

TEST(DecodeText, EmptyFileIsAnError) {
  const Decoded d = Decode("");
  EXPECT_FALSE(d.ok);
  EXPECT_TRUE(Contains(d.error, "empty"));
}

TEST(DecodeText, BinaryFileIsAnError) {
  const Decoded d = Decode(ReadFile(Fixture("bad/binary.txt")));
  EXPECT_FALSE(d.ok);
  EXPECT_TRUE(Contains(d.error, "binary")) << d.error;
}

TEST(DecodeText, BytesNoJapaneseCharsetDecodesAreAnError) {
  // 0xFF never occurs in CP932 or EUC-JP, nor in UTF-8.
  const Decoded d = Decode("\xFF\xFF\xFF abc \xFF");
  EXPECT_FALSE(d.ok);
  EXPECT_TRUE(Contains(d.error, "encoding")) << d.error;
}

TEST(DecodeText, BrokenUtf8AfterABomIsAnError) {
  EXPECT_FALSE(Decode("\xEF\xBB\xBF\x81\x82").ok);
}

TEST(SplitPages, FormFeedStartsANewPage) {
  const std::vector<Page> pages = SplitPages("一ページ目\n\f二ページ目\f三\f");
  ASSERT_EQ(pages.size(), 3u);
  EXPECT_EQ(pages[0].text, "一ページ目\n");
  EXPECT_EQ(pages[1].text, "二ページ目");
  EXPECT_EQ(pages[2].text, "三");
}

TEST(LoadDocument, Utf16ReportWithFormFeedHasTwoPages) {
  Document doc;
  std::string error;
  ASSERT_TRUE(LoadDocument(ReadFile(Fixture("reports/morioka-vision-utf16.txt")), MediaType::kText, &doc, &error))
      << error;
  ASSERT_EQ(doc.pages.size(), 2u);
  EXPECT_TRUE(Contains(doc.pages[1].text, "第3章"));
  EXPECT_TRUE(doc.pages[0].boxes.empty());
}

// --- PDFs ---------------------------------------------------------------------------

TEST(LoadDocument, PdfGivesReadingOrderTextAndPositionedBoxes) {
  Document doc;
  std::string error;
  ASSERT_TRUE(LoadDocument(ReadFile(Fixture("reports/koriyama-agreement.pdf")), MediaType::kPdf, &doc, &error))
      << error;
  ASSERT_GE(doc.pages.size(), 1u);
  const Page& page = doc.pages[0];
  EXPECT_TRUE(Contains(page.text, "連携協約")) << page.text;
  EXPECT_NEAR(page.width, 595, 2);  // A4
  EXPECT_NEAR(page.height, 842, 2);
  ASSERT_FALSE(page.boxes.empty());
  bool found_article = false;
  for (const TextBox& box : page.boxes) {
    EXPECT_LT(box.x0, box.x1);
    EXPECT_LT(box.y0, box.y1);
    EXPECT_GE(box.x0, 0);
    EXPECT_LE(box.y1, page.height + 1);
    EXPECT_GT(box.font_size, 0);
    EXPECT_FALSE(box.vertical);
    if (Contains(box.text, "第")) found_article = true;
  }
  EXPECT_TRUE(found_article);
}

// The agreement's role table is drawn with borders; the unruled table fixture has none.
TEST(LoadDocument, PdfPagesKeepTheirRulingLines) {
  Document ruled, unruled;
  std::string error;
  ASSERT_TRUE(LoadDocument(ReadFile(Fixture("reports/koriyama-agreement.pdf")), MediaType::kPdf, &ruled, &error))
      << error;
  ASSERT_TRUE(LoadDocument(ReadFile(Fixture("tables/unruled.pdf")), MediaType::kPdf, &unruled, &error)) << error;
  int horizontal = 0, vertical = 0;
  for (const Rule& r : ruled.pages[0].rules) {
    EXPECT_TRUE(r.x0 == r.x1 || r.y0 == r.y1);
    EXPECT_LE(r.x0, r.x1);
    EXPECT_LE(r.y0, r.y1);
    EXPECT_LE(r.x1, ruled.pages[0].width);
    (r.horizontal() ? horizontal : vertical) += 1;
  }
  EXPECT_GE(horizontal, 5);  // header, three rows, and the frame
  EXPECT_GE(vertical, 4);
  EXPECT_TRUE(unruled.pages[0].rules.empty());
}

TEST(LoadDocument, PdfEncryptedWithEmptyUserPasswordIsRead) {
  Document doc;
  std::string error;
  ASSERT_TRUE(LoadDocument(ReadFile(Fixture("bad/empty-user-password.pdf")), MediaType::kPdf, &doc, &error)) << error;
  ASSERT_FALSE(doc.pages.empty());
  EXPECT_TRUE(Contains(doc.pages[0].text, "連携協約"));
}

TEST(LoadDocument, PdfThatNeedsAPasswordIsAnError) {
  Document doc;
  std::string error;
  EXPECT_FALSE(LoadDocument(ReadFile(Fixture("bad/needs-password.pdf")), MediaType::kPdf, &doc, &error));
  EXPECT_TRUE(Contains(error, "password")) << error;
}

TEST(LoadDocument, TruncatedPdfIsAnError) {
  Document doc;
  std::string error;
  EXPECT_FALSE(LoadDocument(ReadFile(Fixture("bad/truncated.pdf")), MediaType::kPdf, &doc, &error));
  EXPECT_TRUE(Contains(error, "damaged")) << error;
}

TEST(LoadDocument, EmptyPdfIsAnError) {
  Document doc;
  std::string error;
  EXPECT_FALSE(LoadDocument("", MediaType::kPdf, &doc, &error));
  EXPECT_TRUE(Contains(error, "empty")) << error;
}

TEST(LoadDocument, TextThatIsNotAPdfIsAnError) {
  Document doc;
  std::string error;
  EXPECT_FALSE(LoadDocument("令和元年10月18日", MediaType::kPdf, &doc, &error));
}

// --- Small pieces -----------------------------------------------------------------------

TEST(Sha256Hex, KnownVector) {
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Boxes, EncodedBoxesRoundTrip) {
  std::vector<TextBox> boxes(2);
  boxes[0] = {"令和元年", 72.5, 100.25, 140, 112, 10.5, false, true};
  boxes[1] = {"縦", 300, 40, 312, 52, 12, true, false};
  const std::string bytes = EncodeBoxes(boxes);
  std::vector<TextBox> back;
  ASSERT_TRUE(DecodeBoxes(bytes, &back));
  ASSERT_EQ(back.size(), 2u);
  EXPECT_EQ(back[0].text, "令和元年");
  EXPECT_FLOAT_EQ(back[0].x0, 72.5);
  EXPECT_FLOAT_EQ(back[0].y0, 100.25);
  EXPECT_FLOAT_EQ(back[0].font_size, 10.5);
  EXPECT_TRUE(back[0].space_after);
  EXPECT_TRUE(back[1].vertical);
  EXPECT_FALSE(DecodeBoxes(bytes.substr(0, bytes.size() - 2), &back));
}

TEST(Rules, EncodedRulesRoundTrip) {
  const std::vector<Rule> rules = {{56.5, 100.25, 567.5, 100.25}, {56.5, 100.25, 56.5, 810}};
  const std::string bytes = EncodeRules(rules);
  std::vector<Rule> back;
  ASSERT_TRUE(DecodeRules(bytes, &back));
  ASSERT_EQ(back.size(), 2u);
  EXPECT_TRUE(back[0].horizontal());
  EXPECT_FALSE(back[1].horizontal());
  EXPECT_FLOAT_EQ(back[1].y1, 810);
  EXPECT_FALSE(DecodeRules(bytes.substr(0, 20), &back));
}

}  // namespace
}  // namespace kobun::ingest
