// ingest: file bytes in, a Document of pages out.
//
// PDFs are read through poppler: each page gives its text in reading order, its
// positioned text boxes and the ruling lines drawn on it. Text reports are decoded from UTF-8 (with or without BOM),
// UTF-16 (with BOM), Shift_JIS/CP932 or EUC-JP; a form feed starts a new page.
// Nothing here is normalized: Page::text is what the file says, for normalize/ to
// work on and for provenance to point back to.
#ifndef KOBUN_INGEST_INGEST_H_
#define KOBUN_INGEST_INGEST_H_

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kobun::ingest {

enum class MediaType { kPdf, kText };

// "application/pdf" or "text/plain", as stored in documents.media_type.
const char* MediaTypeName(MediaType type);

// What a file is, judged by its name and first bytes: a PDF (.pdf, or any file that
// starts with "%PDF-"), a text report (.txt, .text), or nullopt for anything else,
// which the pipeline skips with a note.
std::optional<MediaType> Classify(const std::filesystem::path& path, std::string_view head);

// A run of text that poppler placed on the page, roughly one word. Coordinates are in
// PDF points with the origin at the top left of the page.
struct TextBox {
  std::string text;  // UTF-8
  double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  double font_size = 0;
  bool vertical = false;  // vertical writing mode (縦書き)
  bool space_after = false;
};

// A horizontal (y0 == y1) or vertical (x0 == x1) line drawn on the page: a stroked
// segment or a filled rectangle thin enough to be one. Tables' cell borders are rules.
// Same coordinates as TextBox.
struct Rule {
  double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  bool horizontal() const { return y0 == y1; }
};

struct Page {
  std::string text;             // UTF-8, reading order, not normalized
  double width = 0, height = 0;  // points; 0 for text reports
  std::vector<TextBox> boxes;   // empty for text reports
  std::vector<Rule> rules;      // empty for text reports
};

struct Document {
  std::string title;     // PDF metadata title when it is a real one, else empty
  std::string encoding;  // charset a text report was decoded from; empty for PDFs
  std::vector<Page> pages;
  std::vector<std::string> warnings;  // e.g. pages without a text layer
};

// Bounds on one document, so that one hostile file cannot stall a batch.
struct Limits {
  int max_pages = 2000;
  // Checked between pages: a single page poppler spends longer on is not cut short.
  std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
  int timeout_seconds = 0;  // for the message only
};

// Reads a document from its bytes. On failure returns false and sets *error to a
// sentence saying what is wrong with the file (the caller names the file).
// An encrypted PDF that opens with an empty user password is read; one that needs a
// password is an error; one with more pages than limits.max_pages, or still being read
// at limits.deadline, is an error.
bool LoadDocument(std::string_view bytes, MediaType type, Document* out, std::string* error,
                  const Limits& limits = Limits());

// Decodes a text report to UTF-8. *encoding receives the charset name used
// ("UTF-8", "UTF-16LE", "Shift_JIS", "EUC-JP", ...). Fails on empty input, binary
// content (NUL bytes outside UTF-16) and bytes no Japanese charset decodes cleanly.
bool DecodeText(std::string_view bytes, std::string* utf8, std::string* encoding, std::string* error);

// Splits decoded text into pages at form feeds.
std::vector<Page> SplitPages(std::string_view utf8);

// The text boxes of a page as stored in pages.boxes: per box, little-endian float32
// x0 y0 x1 y1 font_size, a flags byte (1 = vertical, 2 = space after), a uint16 byte
// length and the UTF-8 text.
std::string EncodeBoxes(const std::vector<TextBox>& boxes);
bool DecodeBoxes(std::string_view bytes, std::vector<TextBox>* boxes);

// The rules of a page as stored in pages.rules: per rule, little-endian float32
// x0 y0 x1 y1.
std::string EncodeRules(const std::vector<Rule>& rules);
bool DecodeRules(std::string_view bytes, std::vector<Rule>* rules);

// Lower-case hex SHA-256 of `bytes`: a document's identity.
std::string Sha256Hex(std::string_view bytes);

}  // namespace kobun::ingest

#endif  // KOBUN_INGEST_INGEST_H_
