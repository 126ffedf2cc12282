#include "extract/text_lines.h"

#include <algorithm>
#include <climits>
#include <map>

#include "common/utf8.h"

namespace kobun::extract {

std::string TrimSpaces(const std::string& s) {
  const size_t b = s.find_first_not_of(' ');
  if (b == std::string::npos) return "";
  const size_t e = s.find_last_not_of(' ');
  return s.substr(b, e - b + 1);
}

std::vector<TextLine> LinesOutsideTables(const std::vector<PageText>& pages, const std::vector<TableRecord>& tables) {
  // Per page, the cells' spans by start, with the furthest end of any span so far: a line
  // [start, end) overlaps a cell iff some span starting before `end` ends after `start`.
  struct Covered {
    std::vector<std::pair<int, int>> spans;
    std::vector<int> furthest_end;
  };
  std::map<int, Covered> covered;
  for (const TableRecord& t : tables)
    for (const TableCell& c : t.cells)
      if (c.start_offset >= 0) covered[c.page_no].spans.push_back({c.start_offset, c.end_offset});
  for (auto& [page, c] : covered) {
    std::sort(c.spans.begin(), c.spans.end());
    int furthest = -1;
    for (const auto& span : c.spans) c.furthest_end.push_back(furthest = std::max(furthest, span.second));
  }
  std::vector<TextLine> lines;
  for (const PageText& page : pages) {
    const std::u32string_view text = page.text;
    const Covered& cells = covered[page.page_no];
    const size_t first = lines.size();
    for (size_t start = 0; start <= text.size();) {
      const size_t end = std::min(text.find(U'\n', start), text.size());
      const std::u32string_view line_text = text.substr(start, end - start);
      const size_t before_end =
          std::lower_bound(cells.spans.begin(), cells.spans.end(), std::pair<int, int>(static_cast<int>(end), INT_MIN)) -
          cells.spans.begin();
      const bool in_table = line_text.find(U'\t') != std::u32string_view::npos ||
                            (before_end > 0 && cells.furthest_end[before_end - 1] > static_cast<int>(start));
      if (!in_table) {
        std::string line = TrimSpaces(EncodeUtf8(line_text));
        if (!line.empty()) lines.push_back({&page, start, end, std::move(line)});
      }
      start = end + 1;
    }
    if (lines.size() > first) lines.back().last_on_page = true;
  }
  return lines;
}

}  // namespace kobun::extract
