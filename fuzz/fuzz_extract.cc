// libFuzzer: any text as the pages of a document (a form feed starts a page), through
// the extractor that KOBUN_FUZZ_KIND names with the rule files it reads. With a first
// byte of 'B', the rest is a page of PDF text boxes (ingest::EncodeBoxes) instead, for
// the layout path of the table extractor. Offsets of every record must lie on its page.
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "common/utf8.h"
#include "extract/extract.h"
#include "normalize/normalize.h"

namespace {

const kobun::extract::Extractor& TheExtractor() {
  static const std::unique_ptr<kobun::extract::Extractor> extractor = [] {
    std::vector<std::filesystem::path> files;
    for (const char* name : {KOBUN_FUZZ_RULES}) files.push_back(std::filesystem::path(KOBUN_RULES_DIR) / name);
    std::string error;
    auto loaded = kobun::extract::Extractor::Load(files, &error);
    if (!loaded) {
      fprintf(stderr, "%s\n", error.c_str());
      std::abort();
    }
    return loaded;
  }();
  return *extractor;
}

void Check(bool ok) {
  if (!ok) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  std::vector<kobun::extract::PageText> pages;
  if (!bytes.empty() && bytes[0] == 'B') {
    kobun::extract::PageText page;
    page.page_no = 1;
    if (!kobun::ingest::DecodeBoxes(bytes.substr(1), &page.boxes)) return 0;
    std::string text;
    for (const kobun::ingest::TextBox& b : page.boxes) text += b.text + (b.space_after ? " " : "\n");
    page.text = kobun::normalize::NormalizeString(kobun::DecodeUtf8(text), {true});
    page.width = 595;
    page.height = 842;
    pages.push_back(std::move(page));
  } else {
    size_t start = 0;
    while (start <= bytes.size()) {
      size_t ff = bytes.find('\f', start);
      if (ff == std::string_view::npos) ff = bytes.size();
      kobun::extract::PageText page;
      page.page_no = static_cast<int>(pages.size()) + 1;
      page.text = kobun::normalize::NormalizeString(kobun::DecodeUtf8(bytes.substr(start, ff - start)));
      pages.push_back(std::move(page));
      start = ff + 1;
    }
  }
  const kobun::extract::Records records = TheExtractor().Extract(pages);
  auto on_page = [&](int page_no, int begin, int end) {
    Check(page_no >= 1 && page_no <= static_cast<int>(pages.size()));
    Check(0 <= begin && begin <= end && end <= static_cast<int>(pages[static_cast<size_t>(page_no - 1)].text.size()));
  };
  for (const auto& d : records.dates) on_page(d.page_no, d.start_offset, d.end_offset);
  for (const auto& m : records.municipalities) on_page(m.page_no, m.start_offset, m.end_offset);
  for (const auto& t : records.tables) {
    for (const auto& c : t.cells) {
      Check(c.row >= 0 && c.row < t.row_count && c.col >= 0 && c.col < t.col_count);
      if (c.start_offset >= 0) on_page(c.page_no, c.start_offset, c.end_offset);
    }
  }
  for (const auto& p : records.projects)
    if (p.start_offset >= 0) on_page(p.page_no, p.start_offset, p.end_offset);
  for (const auto& a : records.agreements) {
    on_page(a.page_no, a.start_offset, a.end_offset);
    for (const auto& c : a.clauses) on_page(c.page_no, c.start_offset, c.end_offset);
    for (const auto& x : a.appendices)
      for (int t : x.tables) Check(t >= 0 && t < static_cast<int>(records.tables.size()));
  }
  return 0;
}
