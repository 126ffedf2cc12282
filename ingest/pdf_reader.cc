// PDFs through poppler-cpp. Japanese CID fonts without embedded ToUnicode maps need the
// poppler-data package for their CMaps; without it poppler returns empty text.
#include <poppler/cpp/poppler-document.h>
#include <poppler/cpp/poppler-global.h>
#include <poppler/cpp/poppler-page.h>

#include <algorithm>
#include <memory>
#include <mutex>

#include "ingest/readers.h"

namespace kobun::ingest {
namespace {

std::string ToUtf8(const poppler::ustring& text) {
  const poppler::byte_array bytes = text.to_utf8();
  return std::string(bytes.begin(), bytes.end());
}

// poppler prints its complaints about damaged files to stderr; the pipeline reports
// per-file errors itself, so they are dropped.
void SilencePoppler() {
  static std::once_flag once;
  std::call_once(once, [] { poppler::set_debug_error_function([](const std::string&, void*) {}, nullptr); });
}

// Office suites write file names or placeholders into the Title field.
bool IsRealTitle(const std::string& title) {
  if (title.find_first_not_of(" \t") == std::string::npos) return false;
  static const char* kJunk[] = {".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".jtd", ".pdf", ".txt",
                                "Microsoft Word", "Microsoft Excel", "Untitled", "無題"};
  for (const char* junk : kJunk) {
    if (title.find(junk) != std::string::npos) return false;
  }
  return true;
}

}  // namespace

bool LoadPdf(std::string_view bytes, Document* out, std::string* error) {
  SilencePoppler();
  if (bytes.empty()) {
    *error = "the file is empty";
    return false;
  }
  std::unique_ptr<poppler::document> doc(
      poppler::document::load_from_raw_data(bytes.data(), static_cast<int>(bytes.size())));
  if (!doc) {
    *error = "poppler cannot open it as a PDF (damaged, truncated or not a PDF)";
    return false;
  }
  if (doc->is_locked()) {
    *error = "it is encrypted and needs a password to open";
    return false;
  }
  const int page_count = doc->pages();
  if (page_count <= 0) {
    *error = "the PDF has no pages";
    return false;
  }
  const std::string title = ToUtf8(doc->get_title());
  if (IsRealTitle(title)) out->title = title;

  std::vector<int> pages_without_text;
  out->pages.reserve(page_count);
  for (int i = 0; i < page_count; ++i) {
    Page page;
    std::unique_ptr<poppler::page> p(doc->create_page(i));
    if (!p) {
      out->warnings.push_back("page " + std::to_string(i + 1) + " could not be read");
      out->pages.push_back(std::move(page));
      continue;
    }
    const poppler::rectf rect = p->page_rect();
    page.width = rect.width();
    page.height = rect.height();
    page.text = ToUtf8(p->text(poppler::rectf(), poppler::page::non_raw_non_physical_layout));
    for (const poppler::text_box& box : p->text_list(poppler::page::text_list_include_font)) {
      const poppler::rectf b = box.bbox();
      TextBox tb;
      tb.text = ToUtf8(box.text());
      tb.x0 = b.left();
      tb.y0 = b.top();
      tb.x1 = b.right();
      tb.y1 = b.bottom();
      tb.font_size = box.get_font_size();
      tb.vertical = box.get_wmode() == poppler::text_box::vertical_wmode;
      tb.space_after = box.has_space_after();
      page.boxes.push_back(std::move(tb));
    }
    if (page.text.find_first_not_of(" \t\r\n\f") == std::string::npos) pages_without_text.push_back(i + 1);
    out->pages.push_back(std::move(page));
  }
  if (static_cast<int>(pages_without_text.size()) == page_count) {
    out->warnings.push_back("no page has any text: a scan without a text layer?");
  } else if (!pages_without_text.empty()) {
    std::string list;
    for (size_t k = 0; k < pages_without_text.size() && k < 10; ++k)
      list += (k ? ", " : "") + std::to_string(pages_without_text[k]);
    if (pages_without_text.size() > 10) list += ", ...";
    out->warnings.push_back("no text on page " + list + " (blank, or an image without a text layer)");
  }
  return true;
}

}  // namespace kobun::ingest
