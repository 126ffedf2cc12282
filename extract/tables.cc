#include "extract/tables.h"

#include <algorithm>
#include <map>

#include "common/utf8.h"

namespace kobun::extract {
namespace {

struct Params {
  int min_text_rows = 2;  // tab-separated lines that make a table
};


double Param(const std::map<std::string, std::string>& values, const char* name, double fallback) {
  auto it = values.find(name);
  return it == values.end() ? fallback : std::atof(it->second.c_str());
}

}  // namespace

struct TableExtractor::Impl {
  Params params;
  void TextTables(const std::vector<PageText>& pages, std::vector<TableRecord>* out) const;
};

TableExtractor::TableExtractor(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
TableExtractor::~TableExtractor() = default;

std::unique_ptr<TableExtractor> TableExtractor::Create(const RuleFile& file, std::string*) {
  auto impl = std::make_unique<Impl>();
  auto it = file.tables.find("text");
  if (it != file.tables.end()) {
    impl->params.min_text_rows = static_cast<int>(Param(it->second, "min_rows", impl->params.min_text_rows));
  }
  return std::unique_ptr<TableExtractor>(new TableExtractor(std::move(impl)));
}

void TableExtractor::Impl::TextTables(const std::vector<PageText>& pages, std::vector<TableRecord>* out) const {
  struct Run {
    TableRecord table;
    bool at_start, at_end;  // first / last content of its page
  };
  std::vector<Run> runs;
  for (const PageText& page : pages) {
    const std::u32string& text = page.text;
    std::vector<std::pair<size_t, size_t>> lines;  // [begin, end) of each line
    for (size_t start = 0;;) {
      const size_t end = std::min(text.find(U'\n', start), text.size());
      lines.emplace_back(start, end);
      if (end == text.size()) break;
      start = end + 1;
    }
    auto line = [&](size_t i) {
      return std::u32string_view(text).substr(lines[i].first, lines[i].second - lines[i].first);
    };
    auto blank = [&](size_t i) { return line(i).find_first_not_of(U' ') == std::u32string_view::npos; };
    auto tabbed = [&](size_t i) { return line(i).find(U'\t') != std::u32string_view::npos; };
    size_t first_content = 0, last_content = lines.size() - 1;
    while (first_content < lines.size() && blank(first_content)) ++first_content;
    while (last_content > 0 && blank(last_content)) --last_content;
    for (size_t i = 0; i < lines.size();) {
      if (!tabbed(i)) {
        ++i;
        continue;
      }
      Run run{TableRecord(), i == first_content, false};
      TableRecord& t = run.table;
      t.first_page = t.last_page = page.page_no;
      t.rule_id = "tsv";
      for (; i < lines.size(); ++i) {
        if (!tabbed(i)) {
          // Blank lines inside a table do not end it when the rows go on after them.
          size_t next = i;
          while (next < lines.size() && blank(next)) ++next;
          if (next == i || next == lines.size() || !tabbed(next)) break;
          const int fields = 1 + static_cast<int>(std::count(text.begin() + lines[next].first,
                                                             text.begin() + lines[next].second, U'\t'));
          if (fields != t.col_count) break;  // same columns: the same table
          i = next;
        }
        const int row = t.row_count++;
        int col = 0;
        for (size_t f = lines[i].first;; ++col) {
          const size_t in_line = line(i).find(U'\t', f - lines[i].first);
          const size_t tab = in_line == std::u32string_view::npos ? lines[i].second : lines[i].first + in_line;
          size_t cb = f, ce = tab;
          while (cb < ce && text[cb] == U' ') ++cb;
          while (ce > cb && text[ce - 1] == U' ') --ce;
          if (ce > cb) {
            TableCell cell;
            cell.row = row;
            cell.col = col;
            cell.text = EncodeUtf8(text.substr(cb, ce - cb));
            cell.page_no = page.page_no;
            cell.start_offset = static_cast<int>(cb);
            cell.end_offset = static_cast<int>(ce);
            t.cells.push_back(std::move(cell));
          }
          t.col_count = std::max(t.col_count, col + 1);
          if (tab >= lines[i].second) break;
          f = tab + 1;
        }
      }
      run.at_end = i - 1 == last_content;
      runs.push_back(std::move(run));
    }
  }
  // A table at the end of a page and one at the start of the next, with as many
  // columns, are one table.
  for (size_t k = 0; k < runs.size(); ++k) {
    Run& run = runs[k];
    if (!out->empty() && k > 0 && runs[k - 1].at_end && run.at_start &&
        out->back().last_page + 1 == run.table.first_page && out->back().col_count == run.table.col_count) {
      TableRecord& t = out->back();
      for (TableCell& c : run.table.cells) {
        c.row += t.row_count;
        t.cells.push_back(std::move(c));
      }
      t.row_count += run.table.row_count;
      t.last_page = run.table.last_page;
      continue;
    }
    out->push_back(std::move(run.table));
  }
  out->erase(std::remove_if(out->begin(), out->end(),
                            [&](const TableRecord& t) { return t.row_count < params.min_text_rows; }),
             out->end());
  for (TableRecord& t : *out) {
    // The first row is a header when it looks like one: short labels, no sentences.
    bool header = t.row_count >= 2;
    for (const TableCell& c : t.cells) {
      if (c.row != 0) continue;
      const std::u32string s = DecodeUtf8(c.text);
      if (s.size() > 20 || s.back() == U'。') header = false;
    }
    for (TableCell& c : t.cells) c.is_header = header && c.row == 0;
  }
}

void TableExtractor::Extract(const std::vector<PageText>& pages, Records* records) const {
  std::vector<PageText> text_pages;
  for (const PageText& p : pages)
    if (p.boxes.empty()) text_pages.push_back(p);
  impl_->TextTables(text_pages, &records->tables);
}

}  // namespace kobun::extract
