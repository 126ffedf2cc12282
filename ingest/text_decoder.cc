// Text reports: which charset, then strict decoding. A file is only accepted when a
// charset decodes every byte of it; a wrong guess that "mostly works" would put
// mojibake into the database with nothing to show for it.
#include <unicode/ucnv.h>
#include <unicode/ucsdet.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <memory>

#include "common/utf8.h"
#include "ingest/ingest.h"

namespace kobun::ingest {
namespace {

struct Candidate {
  const char* detector_name;  // what ICU's detector calls it
  const char* converter;      // the ICU converter used to decode it
  const char* label;          // what documents.encoding records
};

// CP932 rather than plain Shift_JIS: government documents use its extensions (①, ㈱, 髙).
constexpr Candidate kJapanese[] = {
    {"Shift_JIS", "windows-31j", "CP932"},
    {"EUC-JP", "EUC-JP", "EUC-JP"},
    {"ISO-2022-JP", "ISO-2022-JP", "ISO-2022-JP"},
};

// Decodes with `converter`, failing at the first byte sequence it cannot map.
bool DecodeStrict(std::string_view bytes, const char* converter, std::string* utf8) {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<UConverter, void (*)(UConverter*)> conv(ucnv_open(converter, &status), ucnv_close);
  if (U_FAILURE(status)) return false;
  ucnv_setToUCallBack(conv.get(), UCNV_TO_U_CALLBACK_STOP, nullptr, nullptr, nullptr, &status);
  if (U_FAILURE(status)) return false;
  icu::UnicodeString decoded;
  const int32_t capacity = static_cast<int32_t>(bytes.size()) * 2 + 16;
  UChar* buffer = decoded.getBuffer(capacity);
  const int32_t length =
      ucnv_toUChars(conv.get(), buffer, capacity, bytes.data(), static_cast<int32_t>(bytes.size()), &status);
  decoded.releaseBuffer(U_SUCCESS(status) ? length : 0);
  if (U_FAILURE(status)) return false;
  utf8->clear();
  decoded.toUTF8String(*utf8);
  return true;
}

// Charsets ICU's detector proposes, best first.
std::vector<std::string> Detect(std::string_view bytes) {
  std::vector<std::string> names;
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<UCharsetDetector, void (*)(UCharsetDetector*)> detector(ucsdet_open(&status), ucsdet_close);
  if (U_FAILURE(status)) return names;
  ucsdet_setText(detector.get(), bytes.data(), static_cast<int32_t>(bytes.size()), &status);
  int32_t count = 0;
  const UCharsetMatch** matches = ucsdet_detectAll(detector.get(), &count, &status);
  if (U_FAILURE(status)) return names;
  for (int32_t i = 0; i < count; ++i) {
    const char* name = ucsdet_getName(matches[i], &status);
    if (U_SUCCESS(status) && name != nullptr) names.emplace_back(name);
  }
  return names;
}

}  // namespace

bool DecodeText(std::string_view bytes, std::string* utf8, std::string* encoding, std::string* error) {
  if (bytes.empty()) {
    *error = "the file is empty";
    return false;
  }
  auto starts_with = [&](std::string_view prefix) { return bytes.substr(0, prefix.size()) == prefix; };
  if (starts_with("\xEF\xBB\xBF")) {
    std::string_view body = bytes.substr(3);
    if (!IsValidUtf8(body)) {
      *error = "it starts with a UTF-8 byte-order mark but is not valid UTF-8";
      return false;
    }
    *utf8 = std::string(body);
    *encoding = "UTF-8 (BOM)";
    return true;
  }
  if (starts_with("\xFF\xFE") || starts_with("\xFE\xFF")) {
    const bool little = bytes[0] == '\xFF';
    if (!DecodeStrict(bytes.substr(2), little ? "UTF-16LE" : "UTF-16BE", utf8)) {
      *error = "it starts with a UTF-16 byte-order mark but is not valid UTF-16";
      return false;
    }
    *encoding = little ? "UTF-16LE" : "UTF-16BE";
    return true;
  }
  if (bytes.find('\0') != std::string_view::npos) {
    *error = "it holds binary data (NUL bytes) and has no UTF-16 byte-order mark";
    return false;
  }
  // ISO-2022-JP is 7-bit, so it passes as UTF-8; its escape sequences give it away.
  const bool iso2022 = bytes.find("\x1B$B") != std::string_view::npos || bytes.find("\x1B$@") != std::string_view::npos;
  if (iso2022 && DecodeStrict(bytes, "ISO-2022-JP", utf8)) {
    *encoding = "ISO-2022-JP";
    return true;
  }
  if (IsValidUtf8(bytes)) {
    *utf8 = std::string(bytes);
    *encoding = "UTF-8";
    return true;
  }
  // Try what the detector ranks first, then every Japanese charset in turn.
  std::vector<const Candidate*> order;
  for (const std::string& name : Detect(bytes)) {
    for (const Candidate& c : kJapanese) {
      if (name == c.detector_name) order.push_back(&c);
    }
  }
  for (const Candidate& c : kJapanese) order.push_back(&c);
  for (const Candidate* c : order) {
    if (DecodeStrict(bytes, c->converter, utf8)) {
      *encoding = c->label;
      return true;
    }
  }
  // Say where UTF-8 breaks: most such files are UTF-8 with a damaged or pasted-in part.
  const size_t bad = FirstInvalidUtf8(bytes);
  const size_t line = 1 + static_cast<size_t>(std::count(bytes.begin(), bytes.begin() + static_cast<ptrdiff_t>(bad), '\n'));
  *error = "its text encoding is not one kobun reads: not UTF-8 (an invalid byte at line " + std::to_string(line) +
           ", byte " + std::to_string(bad) + "), nor wholly CP932/Shift_JIS or EUC-JP (mixed encodings?)";
  return false;
}

}  // namespace kobun::ingest
