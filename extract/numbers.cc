#include "extract/numbers.h"

namespace kobun::extract {
namespace {

int KanjiDigit(char32_t c) {
  static const std::u32string_view kDigits = U"〇一二三四五六七八九";
  const size_t at = kDigits.find(c);
  if (at != std::u32string_view::npos) return static_cast<int>(at);
  return c == U'零' ? 0 : -1;
}

}  // namespace

int ParseJapaneseNumber(std::u32string_view text) {
  if (text.empty() || text.size() > 9) return -1;
  if (text == U"元") return 1;
  bool ascii = true;
  for (char32_t c : text) ascii = ascii && c >= U'0' && c <= U'9';
  if (ascii) {
    int value = 0;
    for (char32_t c : text) value = value * 10 + static_cast<int>(c - U'0');
    return value;
  }
  bool positional = false;
  for (char32_t c : text) positional = positional || c == U'十' || c == U'百' || c == U'千';
  if (!positional) {  // 二〇二三
    int value = 0;
    for (char32_t c : text) {
      const int d = KanjiDigit(c);
      if (d < 0) return -1;
      value = value * 10 + d;
    }
    return value;
  }
  int total = 0, digit = -1;
  for (char32_t c : text) {
    const int d = KanjiDigit(c);
    if (d >= 0) {
      if (digit >= 0) return -1;  // two digits in a row in positional form
      digit = d;
      continue;
    }
    int unit = c == U'十' ? 10 : c == U'百' ? 100 : c == U'千' ? 1000 : 0;
    if (unit == 0) return -1;
    total += (digit < 0 ? 1 : digit) * unit;
    digit = -1;
  }
  return total + (digit < 0 ? 0 : digit);
}

}  // namespace kobun::extract
