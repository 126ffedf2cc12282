// normalize: raw page text in, comparable Japanese text out, with a map from every
// normalized code point back to the raw text.
//
// What it does, in order:
//  1. Per character: NFKC (full-width ASCII, half-width kana, ㍻, Kangxi radicals,
//     vertical presentation forms, U+3000 → space); CJK Radicals Supplement → unified
//     ideographs (NFKC leaves them alone); the range marks 〜 ～ ~ ∼ → "~"; CR LF → LF;
//     zero-width characters and stray controls dropped. Circled and parenthesised
//     numbers (①, ⑴, ㉑) are kept as they are: they number items.
//  2. PDF pages only (join_wrapped_lines): a line that reaches the page's right margin
//     and does not end a sentence is joined to the next without a space, unless the
//     next line starts a heading or list item (・ ◆ (1) ① 第N条 2 …) or is indented.
//  3. Spaces: removed where PDF extraction inserts them inside Japanese
//     (令和元年 10 月 18 日 → 令和元年10月18日, 第 1 条 → 第1条, letter-spaced 日 時 → 日時,
//     I C T → ICT, spaces next to kana or Japanese punctuation); kept between two
//     multi-character Japanese words (品川 萬里, 郡山市 二本松市), between English words
//     and after a paragraph number at the start of a line (2 前項の…). Other runs of
//     spaces become one space; lines are trimmed. Tabs and line breaks are kept.
#ifndef KOBUN_NORMALIZE_NORMALIZE_H_
#define KOBUN_NORMALIZE_NORMALIZE_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace kobun::normalize {

struct Options {
  bool join_wrapped_lines = false;  // true for PDF pages, whose line breaks are layout
};

// The canonical range mark that 〜 ～ ~ ∼ all become.
inline constexpr char32_t kRangeMark = U'~';

struct Text {
  std::u32string text;
  // For each code point text[i], the raw code points [raw_begin[i], raw_end[i]) it
  // came from. Both are non-decreasing.
  std::vector<int32_t> raw_begin;
  std::vector<int32_t> raw_end;

  // The raw span that produced the normalized span [start, end); an empty span maps to
  // the raw position of `start`.
  void RawSpan(int32_t start, int32_t end, int32_t* raw_start, int32_t* raw_stop) const;
};

Text Normalize(std::u32string_view raw, const Options& options = {});

// Normalizes a short string (a cell, a name) by the same rules, dropping the map.
std::u32string NormalizeString(std::u32string_view raw, const Options& options = {});

// The map as stored in pages.offset_map: little-endian int32 triples
// (offset, raw_begin, raw_end) at every offset where the map does not simply go on
// by one from the previous code point.
std::string EncodeOffsetMap(const Text& text);
// Rebuilds raw_begin/raw_end for `length` normalized code points; false if the bytes
// are not a map of that length.
bool DecodeOffsetMap(std::string_view bytes, size_t length, Text* text);

}  // namespace kobun::normalize

#endif  // KOBUN_NORMALIZE_NORMALIZE_H_
