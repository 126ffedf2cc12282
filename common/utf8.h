// UTF-8 <-> UTF-32 conversion. Offsets everywhere in kobun are code-point offsets, as
// SQLite's substr() counts them, so text is worked on as std::u32string.
#ifndef KOBUN_COMMON_UTF8_H_
#define KOBUN_COMMON_UTF8_H_

#include <string>
#include <string_view>

namespace kobun {

// Decodes UTF-8. Invalid sequences become U+FFFD, one per bad byte.
std::u32string DecodeUtf8(std::string_view utf8);

// Encodes code points; surrogates and values above U+10FFFF become U+FFFD.
std::string EncodeUtf8(std::u32string_view text);

// True when `bytes` is well-formed UTF-8 (no overlongs, no surrogates).
bool IsValidUtf8(std::string_view bytes);

// Byte offset of the first byte that does not start a valid UTF-8 sequence; npos when
// there is none.
size_t FirstInvalidUtf8(std::string_view bytes);

}  // namespace kobun

#endif  // KOBUN_COMMON_UTF8_H_
