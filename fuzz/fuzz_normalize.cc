// libFuzzer: any text through the normalizer. The offset map must cover every
// normalized code point with non-decreasing spans inside the raw text, and survive its
// stored encoding.
#include <cstdlib>
#include <string>

#include "common/utf8.h"
#include "normalize/normalize.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  kobun::normalize::Options options;
  options.join_wrapped_lines = data[0] & 1;  // PDF pages join wrapped lines; reports do not
  const std::u32string raw =
      kobun::DecodeUtf8(std::string_view(reinterpret_cast<const char*>(data) + 1, size - 1));
  const kobun::normalize::Text text = kobun::normalize::Normalize(raw, options);
  const size_t n = text.text.size();
  if (text.raw_begin.size() != n || text.raw_end.size() != n) std::abort();
  for (size_t i = 0; i < n; ++i) {
    if (text.raw_begin[i] < 0 || text.raw_begin[i] > text.raw_end[i] ||
        text.raw_end[i] > static_cast<int32_t>(raw.size()))
      std::abort();
    if (i > 0 && (text.raw_begin[i] < text.raw_begin[i - 1] || text.raw_end[i] < text.raw_end[i - 1])) std::abort();
  }
  kobun::normalize::Text decoded;
  decoded.text = text.text;
  if (!kobun::normalize::DecodeOffsetMap(kobun::normalize::EncodeOffsetMap(text), n, &decoded)) std::abort();
  if (decoded.raw_begin != text.raw_begin || decoded.raw_end != text.raw_end) std::abort();
  // The short form (with its shortcut for text that is already normal) says the same.
  if (kobun::normalize::NormalizeString(raw, options) != text.text) std::abort();
  return 0;
}
