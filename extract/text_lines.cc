#include "extract/text_lines.h"

#include <algorithm>
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
  std::map<int, std::vector<std::pair<int, int>>> covered;
  for (const TableRecord& t : tables)
    for (const TableCell& c : t.cells)
      if (c.start_offset >= 0) covered[c.page_no].push_back({c.start_offset, c.end_offset});
  std::vector<TextLine> lines;
  for (const PageText& page : pages) {
    const std::u32string& text = page.text;
    const auto& spans = covered[page.page_no];
    const size_t first = lines.size();
    for (size_t start = 0; start <= text.size();) {
      const size_t end = std::min(text.find(U'\n', start), text.size());
      const bool in_table =
          text.substr(start, end - start).find(U'\t') != std::u32string::npos ||
          std::any_of(spans.begin(), spans.end(), [&](const auto& s) {
            return s.first < static_cast<int>(end) && s.second > static_cast<int>(start);
          });
      if (!in_table) {
        std::string line = TrimSpaces(EncodeUtf8(text.substr(start, end - start)));
        if (!line.empty()) lines.push_back({&page, start, end, std::move(line)});
      }
      start = end + 1;
    }
    if (lines.size() > first) lines.back().last_on_page = true;
  }
  return lines;
}

}  // namespace kobun::extract
