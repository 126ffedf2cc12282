// Numbers as Japanese documents write them.
#ifndef KOBUN_EXTRACT_NUMBERS_H_
#define KOBUN_EXTRACT_NUMBERS_H_

#include <string_view>

namespace kobun::extract {

// ASCII digits (12), 元 (1), positional kanji (三十一, 百二), or kanji digit by digit
// (二〇二三). -1 when `text` is none of these.
int ParseJapaneseNumber(std::u32string_view text);

}  // namespace kobun::extract

#endif  // KOBUN_EXTRACT_NUMBERS_H_
