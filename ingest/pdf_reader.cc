// PDFs through poppler's core library (libpoppler-private-dev), not poppler-cpp: the
// C++ wrapper offers no access to vector graphics, so ruling lines were out of reach, and
// it lays out each page's text twice (once for the reading-order text, once for the
// word boxes). Here one TextOutputDev pass per page gives both, and the same pass
// records the horizontal and vertical strokes that draw table rules.
//
// Japanese CID fonts without embedded ToUnicode maps need the poppler-data package for
// their CMaps; without it poppler returns empty text.
#include <poppler/Error.h>
#include <poppler/GfxState.h>
#include <poppler/GlobalParams.h>
#include <poppler/PDFDoc.h>
#include <poppler/Stream.h>
#include <poppler/TextOutputDev.h>
#include <poppler/goo/GooString.h>

#include <algorithm>
#include <memory>
#include <mutex>

#include "common/utf8.h"
#include "ingest/readers.h"

namespace kobun::ingest {
namespace {

// A stroke or a filled rectangle this thin is a rule, not a shape.
constexpr double kMaxRuleThickness = 2.5;
// Shorter strokes are tick marks, underlines of single characters, bullets.
constexpr double kMinRuleLength = 6.0;

// poppler prints its complaints about damaged files to stderr; the pipeline reports
// per-file errors itself, so they are dropped.
void InitPoppler() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (!globalParams) globalParams = std::make_unique<GlobalParams>();
    globalParams->setTextEncoding("UTF-8");
    setErrorCallback([](ErrorCategory, Goffset, const char*) {});
  });
}

void AppendToString(void* stream, const char* text, int length) {
  static_cast<std::string*>(stream)->append(text, length);
}

// The page text in reading order, as pdftotext without -layout dumps it, into *text;
// the word boxes stay available until the next page; and the page's rules: stroked
// axis-parallel segments, and filled rectangles thin enough to be lines.
class RuleCollectingTextDev : public TextOutputDev {
 public:
  explicit RuleCollectingTextDev(std::string* text) : TextOutputDev(&AppendToString, text, false, 0, false) {}

  std::vector<Rule> TakeRules() { return std::move(rules_); }

  void stroke(GfxState* state) override {
    TextOutputDev::stroke(state);
    const GfxPath* path = state->getPath();
    for (int s = 0; s < path->getNumSubpaths(); ++s) {
      const GfxSubpath* sub = path->getSubpath(s);
      for (int i = 1; i < sub->getNumPoints(); ++i) {
        if (sub->getCurve(i)) continue;
        AddSegment(state, sub->getX(i - 1), sub->getY(i - 1), sub->getX(i), sub->getY(i));
      }
      if (sub->isClosed() && sub->getNumPoints() > 2) {
        const int last = sub->getNumPoints() - 1;
        AddSegment(state, sub->getX(last), sub->getY(last), sub->getX(0), sub->getY(0));
      }
    }
  }
  void fill(GfxState* state) override {
    TextOutputDev::fill(state);
    AddThinRectangles(state);
  }
  void eoFill(GfxState* state) override {
    TextOutputDev::eoFill(state);
    AddThinRectangles(state);
  }

 private:
  void AddSegment(GfxState* state, double ux0, double uy0, double ux1, double uy1) {
    double x0, y0, x1, y1;
    state->transform(ux0, uy0, &x0, &y0);
    state->transform(ux1, uy1, &x1, &y1);
    AddRule(std::min(x0, x1), std::min(y0, y1), std::max(x0, x1), std::max(y0, y1));
  }

  // Office suites draw cell borders as filled rectangles a fraction of a point wide.
  void AddThinRectangles(GfxState* state) {
    const GfxPath* path = state->getPath();
    for (int s = 0; s < path->getNumSubpaths(); ++s) {
      const GfxSubpath* sub = path->getSubpath(s);
      const int n = sub->getNumPoints();
      if (n < 4 || n > 5) continue;
      double x0 = 1e9, y0 = 1e9, x1 = -1e9, y1 = -1e9;
      bool straight = true;
      for (int i = 0; i < n; ++i) {
        if (sub->getCurve(i)) straight = false;
        double x, y;
        state->transform(sub->getX(i), sub->getY(i), &x, &y);
        x0 = std::min(x0, x), y0 = std::min(y0, y), x1 = std::max(x1, x), y1 = std::max(y1, y);
      }
      if (!straight) continue;
      if (x1 - x0 <= kMaxRuleThickness) {
        const double x = (x0 + x1) / 2;
        AddRule(x, y0, x, y1);
      } else if (y1 - y0 <= kMaxRuleThickness) {
        const double y = (y0 + y1) / 2;
        AddRule(x0, y, x1, y);
      }
    }
  }

  void AddRule(double x0, double y0, double x1, double y1) {
    const bool horizontal = y1 - y0 <= kMaxRuleThickness && x1 - x0 >= kMinRuleLength;
    const bool vertical = x1 - x0 <= kMaxRuleThickness && y1 - y0 >= kMinRuleLength;
    if (horizontal) {
      const double y = (y0 + y1) / 2;
      rules_.push_back(Rule{x0, y, x1, y});
    } else if (vertical) {
      const double x = (x0 + x1) / 2;
      rules_.push_back(Rule{x, y0, x, y1});
    }
  }

  std::vector<Rule> rules_;
};

std::string GooToString(const GooString* s) { return s ? s->toStr() : std::string(); }

// Document-information strings are UTF-16BE with a byte-order mark, or PDFDocEncoding,
// whose printable ASCII range is all that titles use in practice.
std::string InfoStringToUtf8(const GooString* s) {
  if (!s) return {};
  const std::string& bytes = s->toStr();
  std::u32string text;
  if (bytes.size() >= 2 && static_cast<unsigned char>(bytes[0]) == 0xFE &&
      static_cast<unsigned char>(bytes[1]) == 0xFF) {
    for (size_t i = 2; i + 1 < bytes.size(); i += 2) {
      char32_t unit = (static_cast<unsigned char>(bytes[i]) << 8) | static_cast<unsigned char>(bytes[i + 1]);
      if (unit >= 0xD800 && unit < 0xDC00 && i + 3 < bytes.size()) {
        const char32_t low =
            (static_cast<unsigned char>(bytes[i + 2]) << 8) | static_cast<unsigned char>(bytes[i + 3]);
        unit = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
        i += 2;
      }
      text.push_back(unit);
    }
  } else {
    for (unsigned char c : bytes) text.push_back(c);
  }
  return EncodeUtf8(text);
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

void ReadPage(PDFDoc* doc, int number, Page* page) {
  const int rotate = doc->getPageRotate(number);
  page->width = doc->getPageCropWidth(number);
  page->height = doc->getPageCropHeight(number);
  if (rotate == 90 || rotate == 270) std::swap(page->width, page->height);

  RuleCollectingTextDev dev(&page->text);
  doc->displayPage(&dev, number, 72, 72, 0, /*useMediaBox=*/false, /*crop=*/true, /*printing=*/false);
  page->rules = dev.TakeRules();
  if (std::unique_ptr<TextWordList> words = dev.makeWordList()) {
    page->boxes.reserve(words->getLength());
    for (int i = 0; i < words->getLength(); ++i) {
      const TextWord* word = words->get(i);
      std::unique_ptr<GooString> word_text(word->getText());
      TextBox box;
      box.text = GooToString(word_text.get());
      word->getBBox(&box.x0, &box.y0, &box.x1, &box.y1);
      box.font_size = word->getFontSize();
      box.vertical = word->getLength() > 0 && word->getFontInfo(0)->getWMode() == 1;
      box.space_after = word->hasSpaceAfter();
      page->boxes.push_back(std::move(box));
    }
  }
}

}  // namespace

bool kobun_load_pdf(std::string_view bytes, const Limits& limits, Document* out, std::string* error) {
  InitPoppler();
  if (bytes.empty()) {
    *error = "the file is empty";
    return false;
  }
  // The stream reads `bytes` in place; they outlive the PDFDoc.
  auto* stream = new MemStream(bytes.data(), 0, static_cast<Goffset>(bytes.size()), Object(objNull));
  auto doc = std::make_unique<PDFDoc>(stream);
  if (!doc->isOk()) {
    *error = doc->getErrorCode() == errEncrypted
                 ? "it is encrypted and needs a password to open"
                 : "poppler cannot open it as a PDF (damaged, truncated or not a PDF)";
    return false;
  }
  const int page_count = doc->getNumPages();
  if (page_count <= 0) {
    *error = "the PDF has no pages";
    return false;
  }
  if (page_count > limits.max_pages) {
    *error = "it has " + std::to_string(page_count) + " pages, more than the limit of " +
             std::to_string(limits.max_pages) + " (--max-pages)";
    return false;
  }
  const std::string title = InfoStringToUtf8(doc->getDocInfoTitle().get());
  if (IsRealTitle(title)) out->title = title;

  std::vector<int> pages_without_text;
  out->pages.reserve(page_count);
  for (int number = 1; number <= page_count; ++number) {
    if (std::chrono::steady_clock::now() > limits.deadline) {
      *error = "reading it took longer than the limit of " + std::to_string(limits.timeout_seconds) +
               " s (--timeout); stopped at page " + std::to_string(number) + " of " + std::to_string(page_count);
      out->pages.clear();
      return false;
    }
    Page page;
    if (!doc->getPage(number)) {
      out->warnings.push_back("page " + std::to_string(number) + " could not be read");
      out->pages.push_back(std::move(page));
      continue;
    }
    ReadPage(doc.get(), number, &page);
    if (page.text.find_first_not_of(" \t\r\n\f") == std::string::npos) pages_without_text.push_back(number);
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
