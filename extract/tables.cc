#include "extract/tables.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "common/utf8.h"
#include "normalize/normalize.h"

namespace kobun::extract {
namespace {

// Layout thresholds, from the rule file's [layout] table; lengths in units of the
// font size unless named otherwise.
struct Params {
  double same_line = 2.0;         // points: boxes whose tops differ less share a line
  double segment_gap = 1.0;       // a wider gap between boxes on a line starts a new segment
  double column_tolerance = 4.0;  // points: left edges this close are one column
  double cell_gap = 1.8;          // in a column, a wider step between lines starts a new cell
  double region_gap = 6.0;        // table lines further apart are two tables
  double edge_gap = 1.6;          // a continuation line this close above or below a table joins it
  double narrow = 0.5;            // of the text width: a line narrower than this may be inside a table
  int min_table_lines = 3;
  int min_text_rows = 2;
  double page_edge = 0.2;         // of the page height: a table this near the bottom/top may continue
};

struct Segment {
  double x0, x1, y0, y1, font;
  std::u32string text;
};

struct Line {
  double y0, y1, font;
  std::vector<Segment> segments;
  double x0() const { return segments.front().x0; }
  double x1() const { return segments.back().x1; }
};

bool IsAsciiWord(char32_t c) { return c < 0x80 && (std::isalnum(static_cast<int>(c)) != 0); }

std::vector<Line> Lines(const std::vector<ingest::TextBox>& boxes, const Params& p) {
  std::vector<const ingest::TextBox*> sorted;
  for (const auto& b : boxes)
    if (!b.vertical && !b.text.empty()) sorted.push_back(&b);
  std::sort(sorted.begin(), sorted.end(), [](const auto* a, const auto* b) { return a->y0 < b->y0; });
  std::vector<std::vector<const ingest::TextBox*>> groups;
  for (const auto* b : sorted) {
    if (!groups.empty() && std::abs(groups.back().front()->y0 - b->y0) <= p.same_line) {
      groups.back().push_back(b);
    } else {
      groups.push_back({b});
    }
  }
  std::vector<Line> lines;
  for (auto& g : groups) {
    std::sort(g.begin(), g.end(), [](const auto* a, const auto* b) { return a->x0 < b->x0; });
    Line line{g.front()->y0, g.front()->y1, g.front()->font_size, {}};
    const ingest::TextBox* prev = nullptr;
    for (const auto* b : g) {
      const double font = b->font_size > 0 ? b->font_size : 10;
      const std::u32string text = DecodeUtf8(b->text);
      if (prev == nullptr || b->x0 - prev->x1 > p.segment_gap * font) {
        line.segments.push_back({b->x0, b->x1, b->y0, b->y1, font, text});
      } else {
        Segment& s = line.segments.back();
        if (prev->space_after && !s.text.empty() && IsAsciiWord(s.text.back()) && IsAsciiWord(text.front()))
          s.text += U' ';
        s.text += text;
        s.x1 = std::max(s.x1, b->x1);
        s.y1 = std::max(s.y1, b->y1);
      }
      line.y1 = std::max(line.y1, b->y1);
      prev = b;
    }
    lines.push_back(std::move(line));
  }
  return lines;
}

struct LayoutTable {
  TableRecord record;
  std::vector<double> columns;  // left edges
};

std::string Normalized(const std::u32string& text) { return EncodeUtf8(normalize::NormalizeString(text)); }

// One table from the lines [begin, end) of a page.
LayoutTable BuildTable(const std::vector<Line>& lines, size_t begin, size_t end, int page_no, const Params& p) {
  LayoutTable table;
  std::vector<double> edges;
  for (size_t i = begin; i < end; ++i) {
    if (lines[i].segments.size() < 2) continue;
    for (const Segment& s : lines[i].segments) edges.push_back(s.x0);
  }
  std::sort(edges.begin(), edges.end());
  std::vector<std::pair<double, int>> clusters;  // left edge, support
  for (double x : edges) {
    if (!clusters.empty() && x - clusters.back().first <= p.column_tolerance) {
      ++clusters.back().second;
    } else {
      clusters.emplace_back(x, 1);
    }
  }
  for (const auto& [x, support] : clusters)
    if (support >= 2) table.columns.push_back(x);
  if (table.columns.size() < 2) return table;

  struct Cell {
    int col;
    double top, bottom;
    std::u32string text;
  };
  std::vector<std::vector<Cell>> by_column(table.columns.size());
  double x0 = 1e9, y0 = 1e9, x1 = 0, y1 = 0;
  for (size_t i = begin; i < end; ++i) {
    for (const Segment& s : lines[i].segments) {
      int col = 0;
      for (size_t c = 0; c < table.columns.size(); ++c)
        if (table.columns[c] <= s.x0 + p.column_tolerance) col = static_cast<int>(c);
      auto& cells = by_column[col];
      if (!cells.empty() && s.y0 - cells.back().bottom <= (p.cell_gap - 1.0) * s.font &&
          s.y0 - cells.back().top > 0) {
        cells.back().text += s.text;
        cells.back().bottom = std::max(cells.back().bottom, s.y1);
      } else if (!cells.empty() && std::abs(s.y0 - cells.back().top) <= p.same_line) {
        cells.back().text += s.text;  // two segments of one line in one column
      } else {
        cells.push_back({col, s.y0, s.y1, s.text});
      }
      x0 = std::min(x0, s.x0), y0 = std::min(y0, s.y0), x1 = std::max(x1, s.x1), y1 = std::max(y1, s.y1);
    }
  }
  std::vector<Cell> all;
  for (auto& cells : by_column) all.insert(all.end(), cells.begin(), cells.end());
  std::sort(all.begin(), all.end(), [](const Cell& a, const Cell& b) { return a.top < b.top; });
  // Rows: cells whose vertical spans overlap.
  std::map<std::pair<int, int>, std::u32string> grid;
  int row = -1;
  double band_bottom = -1e9;
  for (const Cell& c : all) {
    if (c.top >= band_bottom - 0.5) ++row;
    band_bottom = row >= 0 && c.top < band_bottom - 0.5 ? std::max(band_bottom, c.bottom) : c.bottom;
    grid[{row, c.col}] += c.text;
  }
  TableRecord& r = table.record;
  r.first_page = r.last_page = page_no;
  r.row_count = row + 1;
  r.col_count = static_cast<int>(table.columns.size());
  r.x0 = x0, r.y0 = y0, r.x1 = x1, r.y1 = y1;
  r.rule_id = "layout";
  for (const auto& [rc, text] : grid) {
    TableCell cell;
    cell.row = rc.first;
    cell.col = rc.second;
    cell.text = Normalized(text);
    cell.is_header = rc.first == 0;
    cell.page_no = page_no;
    if (!cell.text.empty()) r.cells.push_back(std::move(cell));
  }
  return table;
}

std::vector<LayoutTable> PageTables(const PageText& page, const Params& p) {
  std::vector<LayoutTable> out;
  const std::vector<Line> lines = Lines(page.boxes, p);
  if (lines.empty()) return out;
  double left = 1e9, right = 0;
  for (const Line& l : lines) left = std::min(left, l.x0()), right = std::max(right, l.x1());
  const double width = std::max(1.0, right - left);
  auto narrow = [&](const Line& l) { return l.x1() - l.x0() < p.narrow * width; };
  auto table_line = [&](const Line& l) { return l.segments.size() >= 2; };

  size_t i = 0;
  while (i < lines.size()) {
    if (!table_line(lines[i])) {
      ++i;
      continue;
    }
    // Table lines, with only narrow lines between them, not too far apart.
    size_t last = i;
    int count = 1;
    for (size_t j = i + 1; j < lines.size(); ++j) {
      if (!narrow(lines[j]) && !table_line(lines[j])) break;
      if (lines[j].y0 - lines[last].y1 > p.region_gap * lines[last].font) break;
      if (table_line(lines[j])) last = j, ++count;
    }
    if (count < p.min_table_lines) {
      i = last + 1;
      continue;
    }
    size_t begin = i, end = last + 1;
    while (begin > 0 && narrow(lines[begin - 1]) && !table_line(lines[begin - 1]) &&
           lines[begin].y0 - lines[begin - 1].y0 <= p.edge_gap * lines[begin].font) {
      --begin;
    }
    while (end < lines.size() && narrow(lines[end]) && !table_line(lines[end]) &&
           lines[end].y0 - lines[end - 1].y0 <= p.edge_gap * lines[end].font) {
      ++end;
    }
    LayoutTable t = BuildTable(lines, begin, end, page.page_no, p);
    if (t.columns.size() >= 2 && t.record.row_count >= 2) out.push_back(std::move(t));
    i = end;
  }
  return out;
}

const TableCell* CellAt(const TableRecord& t, int row, int col) {
  for (const TableCell& c : t.cells)
    if (c.row == row && c.col == col) return &c;
  return nullptr;
}

// Appends `next` (the same table on the following page) to `table`.
void Continue(TableRecord* table, TableRecord next) {
  int skip = 0;
  // A repeated header row is dropped.
  bool same_header = true;
  for (int c = 0; c < table->col_count; ++c) {
    const TableCell* a = CellAt(*table, 0, c);
    const TableCell* b = CellAt(next, 0, c);
    if ((a ? a->text : "") != (b ? b->text : "")) same_header = false;
  }
  if (same_header) skip = 1;
  // A first row that does not start the way the other rows start finishes the row the
  // page break cut: "(1) …", "(2) …", then "進及び…" is the rest of (2).
  std::map<char32_t, int> starts;
  for (int row = 1; row < table->row_count; ++row) {
    const TableCell* c = CellAt(*table, row, 0);
    if (c) ++starts[DecodeUtf8(c->text).front()];
  }
  const TableCell* first = CellAt(next, skip, 0);
  if (!same_header && starts.size() == 1 && starts.begin()->second >= 2 && first != nullptr &&
      DecodeUtf8(first->text).front() != starts.begin()->first) {
    const int last = table->row_count - 1;
    for (const TableCell& c : next.cells) {
      if (c.row != 0) continue;
      TableCell* into = nullptr;
      for (TableCell& t : table->cells)
        if (t.row == last && t.col == c.col) into = &t;
      if (into) {
        into->text += c.text;
      } else {
        TableCell copy = c;
        copy.row = last;
        table->cells.push_back(copy);
      }
    }
    skip = 1;
  }
  const int offset = table->row_count - skip;
  for (TableCell& c : next.cells) {
    if (c.row < skip) continue;
    c.row += offset;
    c.is_header = false;
    table->cells.push_back(std::move(c));
  }
  table->row_count = offset + next.row_count;
  table->last_page = next.last_page;
}

double Param(const std::map<std::string, std::string>& values, const char* name, double fallback) {
  auto it = values.find(name);
  return it == values.end() ? fallback : std::atof(it->second.c_str());
}

}  // namespace

struct TableExtractor::Impl {
  Params params;
  void TextTables(const std::vector<PageText>& pages, std::vector<TableRecord>* out) const;
  void LayoutTables(const std::vector<PageText>& pages, std::vector<TableRecord>* out) const;
};

TableExtractor::TableExtractor(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
TableExtractor::~TableExtractor() = default;

std::unique_ptr<TableExtractor> TableExtractor::Create(const RuleFile& file, std::string*) {
  auto impl = std::make_unique<Impl>();
  auto it = file.tables.find("layout");
  if (it != file.tables.end()) {
    Params& p = impl->params;
    const auto& v = it->second;
    p.same_line = Param(v, "same_line", p.same_line);
    p.segment_gap = Param(v, "segment_gap", p.segment_gap);
    p.column_tolerance = Param(v, "column_tolerance", p.column_tolerance);
    p.cell_gap = Param(v, "cell_gap", p.cell_gap);
    p.region_gap = Param(v, "region_gap", p.region_gap);
    p.edge_gap = Param(v, "edge_gap", p.edge_gap);
    p.narrow = Param(v, "narrow", p.narrow);
    p.min_table_lines = static_cast<int>(Param(v, "min_table_lines", p.min_table_lines));
    p.min_text_rows = static_cast<int>(Param(v, "min_text_rows", p.min_text_rows));
    p.page_edge = Param(v, "page_edge", p.page_edge);
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
    auto blank = [&](size_t i) { return text.find_first_not_of(U' ', lines[i].first) >= lines[i].second; };
    auto tabbed = [&](size_t i) { return text.find(U'\t', lines[i].first) < lines[i].second; };
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
          const size_t tab = std::min(text.find(U'\t', f), lines[i].second);
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

void TableExtractor::Impl::LayoutTables(const std::vector<PageText>& pages, std::vector<TableRecord>* out) const {
  LayoutTable previous;
  bool have_previous = false;
  double previous_height = 0;
  for (const PageText& page : pages) {
    if (page.boxes.empty()) continue;
    std::vector<LayoutTable> tables = PageTables(page, params);
    for (size_t i = 0; i < tables.size(); ++i) {
      LayoutTable& t = tables[i];
      const bool continues = have_previous && i == 0 && previous.record.last_page + 1 == page.page_no &&
                             previous.record.y1 > (1 - params.page_edge) * previous_height &&
                             t.record.y0 < params.page_edge * page.height &&
                             t.columns.size() == previous.columns.size() &&
                             std::equal(t.columns.begin(), t.columns.end(), previous.columns.begin(),
                                        [&](double a, double b) { return std::abs(a - b) <= 2 * params.column_tolerance; });
      if (continues) {
        Continue(&previous.record, std::move(t.record));
        continue;
      }
      if (have_previous) out->push_back(std::move(previous.record));
      previous = std::move(t);
      have_previous = true;
    }
    previous_height = page.height;
  }
  if (have_previous) out->push_back(std::move(previous.record));
}

void TableExtractor::Extract(const std::vector<PageText>& pages, Records* records) const {
  bool any_boxes = false;
  for (const PageText& p : pages) any_boxes = any_boxes || !p.boxes.empty();
  if (any_boxes) {
    impl_->LayoutTables(pages, &records->tables);
  } else {
    impl_->TextTables(pages, &records->tables);
  }
}

}  // namespace kobun::extract
