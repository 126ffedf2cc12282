#include "normalize/normalize.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/uscript.h>

#include <algorithm>
#include <unordered_map>

namespace kobun::normalize {
namespace {

// ---------------------------------------------------------------------------
// Character classes

bool IsCircledNumber(char32_t c) {
  return (c >= 0x2460 && c <= 0x24FF) ||  // ① ⑴ ⒈ and enclosed letters
         (c >= 0x2776 && c <= 0x2793) ||  // dingbat negative circled ❶
         (c >= 0x3251 && c <= 0x325F) ||  // ㉑ … ㉟
         (c >= 0x32B1 && c <= 0x32BF);    // ㊱ … ㊿
}

bool IsRangeMark(char32_t c) { return c == 0x301C || c == 0xFF5E || c == U'~' || c == 0x223C || c == 0x2053; }

bool IsDroppedFormat(char32_t c) {
  return c == 0x200B || c == 0x200C || c == 0x200D || c == 0x2060 || c == 0xFEFF || c == 0x00AD;
}

bool IsStrayControl(char32_t c) { return (c < 0x20 && c != U'\t' && c != U'\n') || c == 0x7F; }

bool IsDigit(char32_t c) { return c >= U'0' && c <= U'9'; }
bool IsAsciiLetter(char32_t c) { return (c >= U'a' && c <= U'z') || (c >= U'A' && c <= U'Z'); }

// Japanese punctuation next to which a space is never meaningful.
bool IsJapanesePunctuation(char32_t c) {
  return (c >= 0x3001 && c <= 0x3003) || (c >= 0x3008 && c <= 0x3011) || (c >= 0x3014 && c <= 0x301B) ||
         c == 0x30FB;
}

// Han, kana, CJK symbols and what is left of the full-width block after NFKC.
bool IsJapanese(char32_t c) {
  if (c < 0x2E80) return IsCircledNumber(c);
  if ((c >= 0x3001 && c <= 0x30FF) || (c >= 0x3400 && c <= 0x9FFF) || (c >= 0xF900 && c <= 0xFAFF) ||
      (c >= 0xFF00 && c <= 0xFFEF) || (c >= 0x20000 && c <= 0x3FFFF) || (c >= 0x31F0 && c <= 0x31FF)) {
    return true;
  }
  return IsCircledNumber(c);
}

// Units that follow a number; a line-initial number followed by one is not an item number.
bool IsUnitAfterNumber(char32_t c) {
  static const std::u32string_view kUnits = U"年月日条項号度時分秒回人件円万億千百歳組台名校所箇か週倍割枚冊戸世";
  return kUnits.find(c) != std::u32string_view::npos;
}

// ---------------------------------------------------------------------------
// A text being built, each code point carrying the raw span it came from.

struct Mapped {
  std::u32string text;
  std::vector<int32_t> begin, end;

  void Push(char32_t c, int32_t b, int32_t e) {
    text.push_back(c);
    begin.push_back(b);
    end.push_back(e);
  }
  void CopyFrom(const Mapped& from, size_t i) { Push(from.text[i], from.begin[i], from.end[i]); }
  void Reserve(size_t n) {
    text.reserve(n);
    begin.reserve(n);
    end.reserve(n);
  }
};

const std::unordered_map<char32_t, char32_t>& RadicalsSupplement() {
  static const auto* table = new std::unordered_map<char32_t, char32_t>{
#include "normalize/radicals.inc"
  };
  return *table;
}

// ---------------------------------------------------------------------------
// Pass 1: one character (or one NFKC segment) at a time.

Mapped MapCharacters(std::u32string_view raw) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc = icu::Normalizer2::getNFKCInstance(status);
  const auto& radicals = RadicalsSupplement();
  Mapped out;
  out.Reserve(raw.size());
  const int32_t n = static_cast<int32_t>(raw.size());
  for (int32_t i = 0; i < n;) {
    const char32_t c = raw[i];
    if (c == U'\r') {
      if (i + 1 < n && raw[i + 1] == U'\n') {
        out.Push(U'\n', i, i + 2);
        i += 2;
      } else {
        out.Push(U'\n', i, i + 1);
        ++i;
      }
      continue;
    }
    if (IsDroppedFormat(c) || IsStrayControl(c)) {
      ++i;
      continue;
    }
    if (IsRangeMark(c)) {
      out.Push(kRangeMark, i, i + 1);
      ++i;
      continue;
    }
    if (IsCircledNumber(c)) {
      out.Push(c, i, i + 1);
      ++i;
      continue;
    }
    if (c >= 0x2E80 && c <= 0x2EFF) {
      auto it = radicals.find(c);
      out.Push(it == radicals.end() ? c : it->second, i, i + 1);
      ++i;
      continue;
    }
    if (U_FAILURE(status) || nfkc->isInert(static_cast<UChar32>(c))) {
      out.Push(c, i, i + 1);
      ++i;
      continue;
    }
    // An NFKC segment: this character and the combining ones that follow it.
    int32_t j = i + 1;
    while (j < n && !nfkc->hasBoundaryBefore(static_cast<UChar32>(raw[j])) && raw[j] != U'\r' &&
           !IsRangeMark(raw[j]) && !IsCircledNumber(raw[j])) {
      ++j;
    }
    icu::UnicodeString segment;
    for (int32_t k = i; k < j; ++k) segment.append(static_cast<UChar32>(raw[k]));
    UErrorCode s = U_ZERO_ERROR;
    const icu::UnicodeString normalized = nfkc->normalize(segment, s);
    if (U_FAILURE(s)) {
      for (int32_t k = i; k < j; ++k) out.Push(raw[k], k, k + 1);
    } else {
      for (int32_t k = 0; k < normalized.length();) {
        const UChar32 cp = normalized.char32At(k);
        k += U16_LENGTH(cp);
        const char32_t m = static_cast<char32_t>(cp);
        if (IsRangeMark(m)) {
          out.Push(kRangeMark, i, j);
        } else if (!IsDroppedFormat(m) && !IsStrayControl(m)) {
          out.Push(m, i, j);
        }
      }
    }
    i = j;
  }
  return out;
}

// ---------------------------------------------------------------------------
// Pass 2: join lines that a PDF wrapped inside a sentence.

struct Line {
  size_t begin, end;  // [begin, end) in the text, without the '\n'
};

std::vector<Line> SplitLines(const std::u32string& text) {
  std::vector<Line> lines;
  size_t start = 0;
  for (size_t i = 0; i <= text.size(); ++i) {
    if (i == text.size() || text[i] == U'\n') {
      lines.push_back({start, i});
      start = i + 1;
    }
  }
  return lines;
}

// Display width in half-width columns: wide (CJK) characters count two.
int DisplayWidth(std::u32string_view line) {
  int width = 0;
  for (char32_t c : line) {
    const int eaw = u_getIntPropertyValue(static_cast<UChar32>(c), UCHAR_EAST_ASIAN_WIDTH);
    width += (eaw == U_EA_WIDE || eaw == U_EA_FULLWIDTH || eaw == U_EA_AMBIGUOUS) ? 2 : 1;
  }
  return width;
}

size_t SkipSpaces(std::u32string_view s, size_t i) {
  while (i < s.size() && s[i] == U' ') ++i;
  return i;
}

bool IsKanjiNumeral(char32_t c) {
  static const std::u32string_view kNumerals = U"〇一二三四五六七八九十百千";
  return kNumerals.find(c) != std::u32string_view::npos;
}

// True when the line starts a heading or list item rather than continuing a sentence.
bool StartsBlock(std::u32string_view line) {
  const size_t i = SkipSpaces(line, 0);
  if (i > 0) return true;  // indented: a new paragraph
  if (line.empty()) return true;
  const char32_t c = line[0];
  static const std::u32string_view kBullets = U"・◆◇■□●○◎※▶►▪★☆〇•‣◯➢→【〔<>";
  if (kBullets.find(c) != std::u32string_view::npos || IsCircledNumber(c)) return true;
  if (c == U'(') {
    // (1) (ア) (一) item numbers, or a whole-line heading such as (目的).
    const size_t close = line.find(U')');
    if (close != std::u32string_view::npos && close <= 4) return true;
    if (close != std::u32string_view::npos && close + 1 == line.size() && close <= 30) return true;
    return false;
  }
  if (IsDigit(c)) {
    size_t k = 0;
    while (k < line.size() && IsDigit(line[k])) ++k;
    if (k == line.size()) return true;
    const char32_t after = line[k];
    return after == U' ' || after == U'.' || after == U')' || after == U'、' || after == U'.';
  }
  if (c == U'第') {
    size_t k = 1;
    while (k < line.size() && (IsDigit(line[k]) || IsKanjiNumeral(line[k]))) ++k;
    static const std::u32string_view kParts = U"条章節款項号部編";
    return k > 1 && k < line.size() && kParts.find(line[k]) != std::u32string_view::npos;
  }
  if (IsKanjiNumeral(c) && line.size() > 1 && (line[1] == U'、' || line[1] == U' ')) return true;
  // Roman-numbered headings (Ⅴ is V after NFKC): V チャレンジ…, IIIエリア…, not VIP or IoT.
  static const std::u32string_view kRoman[] = {U"VIII", U"VII", U"III", U"II", U"IV", U"IX", U"VI", U"I", U"V", U"X"};
  for (std::u32string_view r : kRoman) {
    if (line.substr(0, r.size()) == r && line.size() > r.size() && (line[r.size()] == U' ' || line[r.size()] > 0x7F))
      return true;
  }
  static const std::u32string_view kIroha = U"アイウエオカキクケコサシスセソタチツテトイロハニホヘト";
  if (kIroha.find(c) != std::u32string_view::npos && line.size() > 1 && (line[1] == U' ' || line[1] == U'.'))
    return true;
  static const std::u32string_view kHeadWords[] = {U"附則", U"別表", U"別記", U"備考", U"注)", U"記"};
  for (std::u32string_view w : kHeadWords) {
    if (line.substr(0, w.size()) == w && (line.size() == w.size() || line[w.size()] == U' ' || line[w.size()] == U'('))
      return true;
  }
  return false;
}

bool EndsSentence(std::u32string_view line) {
  size_t e = line.size();
  while (e > 0 && line[e - 1] == U' ') --e;
  if (e == 0) return true;
  static const std::u32string_view kEnders = U"。.!?:";
  return kEnders.find(line[e - 1]) != std::u32string_view::npos;
}

// The right margin of wrapped text: the widest width shared (within 8%) by at least
// three lines. Zero when the page shows no such margin, and then nothing is joined.
int WrapWidth(const std::vector<int>& widths) {
  std::vector<int> sorted;
  for (int w : widths) {
    if (w >= 40) sorted.push_back(w);
  }
  std::sort(sorted.rbegin(), sorted.rend());
  for (size_t i = 0; i + 2 < sorted.size(); ++i) {
    if (sorted[i + 2] * 100 >= sorted[i] * 92) return sorted[i];
  }
  return 0;
}

Mapped JoinWrappedLines(const Mapped& in) {
  const std::vector<Line> lines = SplitLines(in.text);
  std::vector<int> widths;
  widths.reserve(lines.size());
  for (const Line& l : lines) widths.push_back(DisplayWidth(std::u32string_view(in.text).substr(l.begin, l.end - l.begin)));
  const int margin = WrapWidth(widths);
  Mapped out;
  out.Reserve(in.text.size());
  for (size_t li = 0; li < lines.size(); ++li) {
    const Line& l = lines[li];
    for (size_t k = l.begin; k < l.end; ++k) out.CopyFrom(in, k);
    if (li + 1 == lines.size()) break;
    const std::u32string_view text(in.text);
    const std::u32string_view cur = text.substr(l.begin, l.end - l.begin);
    const std::u32string_view next = text.substr(lines[li + 1].begin, lines[li + 1].end - lines[li + 1].begin);
    const bool join = margin > 0 && widths[li] * 100 >= margin * 85 && !EndsSentence(cur) &&
                      next.find_first_not_of(U' ') != std::u32string_view::npos && !StartsBlock(next) &&
                      cur.find(U'\t') == std::u32string_view::npos && next.find(U'\t') == std::u32string_view::npos;
    if (!join) out.CopyFrom(in, l.end);  // the '\n'
  }
  return out;
}

// ---------------------------------------------------------------------------
// Pass 3: spaces.


// A token is a maximal run of non-space characters; its length in code points.
size_t TokenLengthBefore(std::u32string_view line, size_t pos) {
  size_t k = pos;
  while (k > 0 && line[k - 1] != U' ' && line[k - 1] != U'\t') --k;
  return pos - k;
}
size_t TokenLengthAfter(std::u32string_view line, size_t pos) {
  size_t k = pos;
  while (k < line.size() && line[k] != U' ' && line[k] != U'\t') ++k;
  return k - pos;
}

// Digits (with , and .) ending just before `pos`: the index where they start.
size_t NumberStart(std::u32string_view line, size_t pos) {
  size_t k = pos;
  while (k > 0 && (IsDigit(line[k - 1]) || ((line[k - 1] == U',' || line[k - 1] == U'.') && k >= 2 && IsDigit(line[k - 2]))))
    --k;
  return k;
}

// Decides on one run of spaces strictly inside a line, by its neighbours.
// `digits_joined` selects the sub-pass: numbers first, then words.
bool KeepRun(std::u32string_view line, size_t b, size_t e, bool digits_pass) {
  const char32_t p = line[b - 1];
  const char32_t n = line[e];
  const bool pj = IsJapanese(p), nj = IsJapanese(n);
  if (digits_pass) {
    if (pj && IsDigit(n)) return false;  // 令和元年 10 / 第 1
    if (IsDigit(p) && nj) {
      // A number that opens the line is a paragraph or item number: 2 前項の…
      const size_t start = NumberStart(line, b);
      if (start == 0 && !IsUnitAfterNumber(n)) return true;
      return false;  // 10 月 / 1 条
    }
    return true;
  }
  if (IsJapanesePunctuation(p) || IsJapanesePunctuation(n)) return false;
  if (pj && nj) {
    // Letter-spaced text (日 時, る と 半 分) has one-character tokens; names do not.
    return TokenLengthBefore(line, b) > 1 || TokenLengthAfter(line, e) > 1;
  }
  if (IsAsciiLetter(p) && IsAsciiLetter(n)) {
    return !(TokenLengthBefore(line, b) == 1 && TokenLengthAfter(line, e) == 1);  // I C T
  }
  if ((IsAsciiLetter(p) || IsDigit(p)) && nj && !u_hasBinaryProperty(static_cast<UChar32>(n), UCHAR_IDEOGRAPHIC))
    return false;  // ICT を / ICT インフラ
  if (pj && !u_hasBinaryProperty(static_cast<UChar32>(p), UCHAR_IDEOGRAPHIC) && IsAsciiLetter(n)) return false;
  return true;
}

// One sub-pass over every line: trims the line ends, and for each inner run of
// spaces either drops it or keeps a single space.
Mapped SpacePass(const Mapped& in, bool digits_pass) {
  Mapped out;
  out.Reserve(in.text.size());
  const std::u32string_view text(in.text);
  for (const Line& l : SplitLines(in.text)) {
    const std::u32string_view line = text.substr(l.begin, l.end - l.begin);
    size_t first = 0, last = line.size();
    while (first < last && line[first] == U' ') ++first;
    while (last > first && line[last - 1] == U' ') --last;
    for (size_t k = first; k < last;) {
      if (line[k] != U' ') {
        out.CopyFrom(in, l.begin + k);
        ++k;
        continue;
      }
      size_t e = k;
      while (e < last && line[e] == U' ') ++e;
      if (KeepRun(line, k, e, digits_pass)) out.CopyFrom(in, l.begin + k);
      k = e;
    }
    if (l.end < in.text.size()) out.CopyFrom(in, l.end);
  }
  return out;
}

}  // namespace

void Text::RawSpan(int32_t start, int32_t stop, int32_t* raw_start, int32_t* raw_stop) const {
  const int32_t n = static_cast<int32_t>(text.size());
  start = std::clamp(start, 0, n);
  stop = std::clamp(stop, start, n);
  if (start == stop) {
    *raw_start = *raw_stop = start < n ? raw_begin[start] : (n > 0 ? raw_end[n - 1] : 0);
    return;
  }
  *raw_start = raw_begin[start];
  *raw_stop = raw_end[stop - 1];
}

Text Normalize(std::u32string_view raw, const Options& options) {
  Mapped m = MapCharacters(raw);
  if (options.join_wrapped_lines) m = JoinWrappedLines(m);
  m = SpacePass(m, /*digits_pass=*/true);
  m = SpacePass(m, /*digits_pass=*/false);
  Text out;
  out.text = std::move(m.text);
  out.raw_begin = std::move(m.begin);
  out.raw_end = std::move(m.end);
  return out;
}

namespace {

// Whether no pass would change `raw`: every character inert under NFKC (or a circled
// number, kept as it is), none that pass 1 maps or drops, and no space for pass 3.
// Most table cells are so, and are then returned without building a map.
bool AlreadyNormal(std::u32string_view raw) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc = icu::Normalizer2::getNFKCInstance(status);
  if (U_FAILURE(status)) return false;
  for (const char32_t c : raw) {
    if (c == U' ' || c == U'\r' || IsDroppedFormat(c) || IsStrayControl(c) || IsRangeMark(c) ||
        (c >= 0x2E80 && c <= 0x2EFF))
      return false;
    if (!IsCircledNumber(c) && !nfkc->isInert(static_cast<UChar32>(c))) return false;
  }
  return true;
}

}  // namespace

std::u32string NormalizeString(std::u32string_view raw, const Options& options) {
  if (!options.join_wrapped_lines && AlreadyNormal(raw)) return std::u32string(raw);
  return Normalize(raw, options).text;
}

}  // namespace kobun::normalize
