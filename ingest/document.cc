#include <algorithm>
#include <cctype>

#include "ingest/readers.h"

namespace kobun::ingest {

const char* MediaTypeName(MediaType type) {
  return type == MediaType::kPdf ? "application/pdf" : "text/plain";
}

std::optional<MediaType> Classify(const std::filesystem::path& path, std::string_view head) {
  std::string ext = path.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  if (ext == ".pdf") return MediaType::kPdf;
  // A PDF's header may follow a little junk; readers accept it within the first KiB.
  if (head.substr(0, 1024).find("%PDF-") != std::string_view::npos) return MediaType::kPdf;
  if (ext == ".txt" || ext == ".text") return MediaType::kText;
  return std::nullopt;
}

std::vector<Page> SplitPages(std::string_view utf8) {
  std::vector<Page> pages;
  size_t start = 0;
  while (true) {
    const size_t ff = utf8.find('\f', start);
    Page page;
    page.text = std::string(utf8.substr(start, ff == std::string_view::npos ? std::string_view::npos : ff - start));
    pages.push_back(std::move(page));
    if (ff == std::string_view::npos) break;
    start = ff + 1;
  }
  // A trailing form feed ends the last page; it does not start an empty one.
  if (pages.size() > 1 && pages.back().text.find_first_not_of(" \t\r\n") == std::string::npos) pages.pop_back();
  return pages;
}

bool LoadDocument(std::string_view bytes, MediaType type, Document* out, std::string* error, const Limits& limits) {
  *out = Document();
  if (type == MediaType::kPdf) return LoadPdf(bytes, limits, out, error);
  std::string utf8;
  if (!DecodeText(bytes, &utf8, &out->encoding, error)) return false;
  out->pages = SplitPages(utf8);
  if (static_cast<int>(out->pages.size()) > limits.max_pages) {
    *error = "it has " + std::to_string(out->pages.size()) + " pages (form feeds), more than the limit of " +
             std::to_string(limits.max_pages) + " (--max-pages)";
    out->pages.clear();
    return false;
  }
  return true;
}

}  // namespace kobun::ingest
