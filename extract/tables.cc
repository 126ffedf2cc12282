#include "extract/tables.h"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <map>
#include <optional>
#include <set>

#include "common/utf8.h"
#include "normalize/normalize.h"

namespace kobun::extract {
namespace {

struct Params {
  int min_text_rows = 2;  // tab-separated lines that make a table
};


// Layout thresholds; lengths in units of the font size unless named otherwise.
struct Layout {
  double same_line = 2.0;         // points: boxes whose tops differ less share a line
  double column_tolerance = 4.0;  // points: left edges this close are one edge
  double column_width = 2.0;      // starts closer than this are not two columns
  int edge_lines = 3;             // lines above or below the core lines a table may take in
  double wide = 0.45;             // of the text width: a box this wide is prose, not a cell
  double heading = 0.25;          // of the text width: a line from the margin this wide is a heading
  double cell_gap = 1.25;         // of the line pitch: a wider step in a column starts a new cell
  double glyph_height = 0.8;      // a line's ink below its top; poppler's boxes are taller than that
  double region_gap = 4.0;        // lines further apart belong to different tables
  double edge_gap = 1.6;          // a line this close to a table line belongs to the table
  int min_core_lines = 3;         // lines with three or more column starts that make a table
  int min_column_starts = 2;      // starts an edge needs within a table to be a column
  double page_edge = 0.2;         // of the page height: a table this near the bottom/top may continue
  double continuation_drift = 20;  // points: column edges of a continued table may move this much
  double rule_tolerance = 2.0;    // points: rules this close lie on one grid line
  std::u32string list_bullets = U"-・●○■◆◇□•";  // rows that all start with one are a list
};

struct Box {
  double x0, x1, y0, y1, font;
  bool space_after;
  std::u32string text;
};

struct Line {
  double y0, y1, font;
  std::vector<Box> boxes;  // left to right
};

bool IsAsciiWord(char32_t c) { return c < 0x80 && (std::isalnum(static_cast<int>(c)) != 0); }

std::vector<Line> Lines(const std::vector<ingest::TextBox>& boxes, const Layout& p) {
  std::vector<const ingest::TextBox*> sorted;
  for (const auto& b : boxes)
    if (!b.vertical && !b.text.empty()) sorted.push_back(&b);
  std::sort(sorted.begin(), sorted.end(), [](const auto* a, const auto* b) { return a->y0 < b->y0; });
  std::vector<Line> lines;
  for (const auto* b : sorted) {
    const double font = b->font_size > 0 ? b->font_size : 10;
    Box box{b->x0, b->x1, b->y0, b->y1, font, b->space_after, DecodeUtf8(b->text)};
    if (!lines.empty() && std::abs(lines.back().y0 - b->y0) <= p.same_line) {
      lines.back().boxes.push_back(std::move(box));
      lines.back().y1 = std::max(lines.back().y1, b->y1);
    } else {
      lines.push_back({b->y0, b->y1, font, {std::move(box)}});
    }
  }
  for (Line& l : lines)
    std::sort(l.boxes.begin(), l.boxes.end(), [](const Box& a, const Box& b) { return a.x0 < b.x0; });
  return lines;
}

// "12", "(3)", "③": the number a numbered list starts its rows with.
bool StartsWithNumber(const std::u32string& text) {
  size_t i = 0;
  if (i < text.size() && text[i] == U'(') ++i;
  if (i < text.size() && text[i] >= 0x2460 && text[i] <= 0x2473) return true;  // ① … ⑳
  const size_t digits = i;
  while (i < text.size() && text[i] >= U'0' && text[i] <= U'9') ++i;
  return i > digits;
}

// A table found on one page, before tables continued across pages are merged.
struct LayoutTable {
  TableRecord record;
  std::vector<double> columns;  // left edges; for a ruled table every vertical grid line
  bool ruled = false;
};

// One table from the lines [begin, end) with these column left edges.
LayoutTable BuildTable(const std::vector<Line>& lines, size_t begin, size_t end, std::vector<double> columns,
                       int page_no, const Layout& p) {
  LayoutTable table;
  table.columns = std::move(columns);
  struct Cell {
    int col;
    double top, bottom, last_line;
    std::u32string text;
  };
  std::vector<std::vector<Cell>> by_column(table.columns.size());
  auto column_of = [&](const Box& box) {
    int col = 0;
    for (size_t c = 0; c < table.columns.size(); ++c)
      if (table.columns[c] <= box.x0 + p.column_tolerance) col = static_cast<int>(c);
    return col;
  };
  // The spacing of a wrapped cell's lines: the smallest step between lines in a column.
  std::vector<double> last_top(table.columns.size(), -1e9);
  double pitch = 1e9;
  for (size_t i = begin; i < end; ++i) {
    for (const Box& box : lines[i].boxes) {
      const int col = column_of(box);
      const double step = box.y0 - last_top[col];
      if (step > p.same_line) pitch = std::min(pitch, step);
      last_top[col] = box.y0;
    }
  }
  // In a numbered list (No. 1, 2, …; (1), (2), …) a number in the first column starts a
  // row on every column, however close the lines are.
  std::vector<double> numbered;
  for (size_t i = begin; i < end; ++i) {
    const Box& first = lines[i].boxes.front();
    if (column_of(first) == 0 && StartsWithNumber(first.text)) numbered.push_back(first.y0);
  }
  if (numbered.size() < 3) numbered.clear();
  // When every line fills every one of three or more columns, the table has one line
  // per row, however close the lines are (unruled tables have no padding).
  std::vector<double> full;
  size_t table_lines = 0;
  for (size_t i = begin; i < end; ++i) {
    std::vector<bool> seen(table.columns.size(), false);
    for (const Box& b : lines[i].boxes) seen[column_of(b)] = true;
    ++table_lines;
    if (std::all_of(seen.begin(), seen.end(), [](bool v) { return v; })) full.push_back(lines[i].y0);
  }
  if (full.size() >= 3 && full.size() == table_lines && table.columns.size() >= 3)
    numbered.insert(numbered.end(), full.begin(), full.end());
  auto row_break_between = [&](double above, double below) {
    for (double y : numbered)
      if (y > above + p.same_line && y <= below + p.same_line) return true;
    return false;
  };
  double x0 = 1e9, y0 = 1e9, x1 = 0, y1 = 0;
  for (size_t i = begin; i < end; ++i) {
    const Box* left = nullptr;
    int left_col = -1;
    for (const Box& box : lines[i].boxes) {
      const int col = column_of(box);
      auto& cells = by_column[col];
      const bool same_line = !cells.empty() && std::abs(cells.back().last_line - box.y0) <= p.same_line;
      const bool wrapped = !cells.empty() && !same_line && box.y0 - cells.back().last_line <= p.cell_gap * pitch &&
                           !row_break_between(cells.back().last_line, box.y0);
      if (same_line || wrapped) {
        std::u32string& text = cells.back().text;
        // Pieces of one line keep the space poppler saw; wrapped lines join without
        // one (Japanese has none) unless two Latin words meet.
        if ((same_line && left_col == col && left && left->space_after) ||
            (!text.empty() && IsAsciiWord(text.back()) && IsAsciiWord(box.text.front())))
          text += U' ';
        text += box.text;
        cells.back().bottom = std::max(cells.back().bottom, box.y0 + p.glyph_height * box.font);
        cells.back().last_line = box.y0;
      } else {
        cells.push_back({col, box.y0, box.y0 + p.glyph_height * box.font, box.y0, box.text});
      }
      left = &box;
      left_col = col;
      x0 = std::min(x0, box.x0), y0 = std::min(y0, box.y0), x1 = std::max(x1, box.x1), y1 = std::max(y1, box.y1);
    }
  }
  std::vector<Cell> all;
  for (auto& cells : by_column) all.insert(all.end(), cells.begin(), cells.end());
  std::sort(all.begin(), all.end(), [](const Cell& a, const Cell& b) { return a.top < b.top; });
  // Rows: cells whose vertical spans overlap, top-aligned or centred alike.
  std::map<std::pair<int, int>, std::u32string> grid;
  int row = -1;
  double band_bottom = -1e9;
  for (const Cell& c : all) {
    if (c.top >= band_bottom - 0.5) {
      ++row;
      band_bottom = c.bottom;
    } else {
      band_bottom = std::max(band_bottom, c.bottom);
    }
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
    cell.text = EncodeUtf8(normalize::NormalizeString(text));
    cell.is_header = rc.first == 0;
    cell.page_no = page_no;
    if (!cell.text.empty()) r.cells.push_back(std::move(cell));
  }
  return table;
}

// Lines that each start with a bullet ("- 平成22年 3月 …", "・…") are a list whose
// pieces happen to align, not a table.
bool BulletedList(const TableRecord& table, const Layout& p) {
  std::vector<bool> bulleted(table.row_count, false);
  for (const TableCell& c : table.cells) {
    if (c.col != 0) continue;
    const std::u32string text = DecodeUtf8(c.text);
    bulleted[c.row] = !text.empty() && p.list_bullets.find(text.front()) != std::u32string::npos;
  }
  return std::all_of(bulleted.begin(), bulleted.end(), [](bool b) { return b; });
}

// Two tables side by side on the same lines read as one with a header that repeats
// (No | 事業名 | No | 事業名): they are split where the repeat starts.
std::vector<LayoutTable> SplitRepeatedHeader(LayoutTable table) {
  const int n = table.record.col_count;
  std::vector<std::string> header(n);
  for (const TableCell& c : table.record.cells)
    if (c.row == 0) header[c.col] = c.text;
  int period = 0;
  for (int k = 1; k <= n / 2 && period == 0; ++k) {
    if (n % k != 0) continue;
    bool repeats = true;
    for (int j = 0; j + k < n; ++j) repeats = repeats && !header[j].empty() && header[j] == header[j + k];
    if (repeats) period = k;
  }
  if (period == 0) return {std::move(table)};
  std::vector<LayoutTable> parts(n / period);
  for (size_t t = 0; t < parts.size(); ++t) {
    LayoutTable& part = parts[t];
    part.record = table.record;
    part.record.cells.clear();
    part.record.col_count = period;
    part.columns.assign(table.columns.begin() + t * period, table.columns.begin() + (t + 1) * period);
    part.record.x0 = part.columns.front();
    if (t + 1 < parts.size()) part.record.x1 = table.columns[(t + 1) * period];
    if (t > 0) part.record.x0 = table.columns[t * period];
  }
  for (TableCell& c : table.record.cells) {
    LayoutTable& part = parts[c.col / period];
    c.col %= period;
    part.record.cells.push_back(std::move(c));
  }
  return parts;
}

// Tables of one page. An edge is a left edge that boxes on several lines share. A core
// line starts boxes at three or more edges; a table is a run of core lines with the
// lines close around them, never a line holding a box as wide as prose. Its columns
// are the edges where its lines start boxes and that none of its lines crosses: the
// text after "(1) " on a cell's first line starts at an edge that the cell's next line
// crosses, so it is no column.
std::vector<LayoutTable> PageTables(const PageText& page, const Layout& p) {
  std::vector<LayoutTable> out;
  const std::vector<Line> lines = Lines(page.boxes, p);
  if (lines.size() < static_cast<size_t>(p.min_core_lines)) return out;
  std::vector<double> xs;
  double left = 1e9, right = 0;
  for (const Line& l : lines) {
    for (const Box& b : l.boxes) xs.push_back(b.x0), left = std::min(left, b.x0), right = std::max(right, b.x1);
  }
  const double width = std::max(1.0, right - left);
  std::sort(xs.begin(), xs.end());
  std::vector<double> edges;
  for (size_t i = 0; i < xs.size();) {
    size_t j = i;
    while (j + 1 < xs.size() && xs[j + 1] - xs[i] <= p.column_tolerance) ++j;
    if (j > i) edges.push_back(xs[(i + j) / 2]);  // the median left edge of the cluster
    i = j + 1;
  }
  auto edge_of = [&](double x) {
    for (size_t e = 0; e < edges.size(); ++e)
      if (std::abs(edges[e] - x) <= p.column_tolerance) return static_cast<int>(e);
    return -1;
  };

  auto prose = [&](const Line& l) {
    for (const Box& b : l.boxes)
      if (b.x1 - b.x0 > p.wide * width) return true;
    return false;
  };
  const double margin = left;
  // Starts at edges that lie a column's width apart: 令和元年 10 月 18 日 has several
  // starts, but no two of them are columns.
  auto column_starts = [&](const Line& l) {
    std::vector<int> found;
    double previous = -1e9;
    for (const Box& b : l.boxes) {
      const int e = edge_of(b.x0);
      if (e < 0 || b.x0 - previous < p.column_width * b.font) continue;
      found.push_back(e);
      previous = b.x0;
    }
    return found;
  };
  // A heading: one box from the left margin, wider than a cell of a narrow column.
  // One run of text from the margin ("2 高次の都市機能…": a number and its words count as
  // one), wider than a narrow column's cell.
  auto heading = [&](const Line& l) {
    const Box& first = l.boxes.front();
    const bool one_run = l.boxes.size() == 1 ||
                         (l.boxes.size() == 2 && first.text.size() <= 3 && l.boxes[1].x0 - first.x1 < first.font);
    return one_run && std::abs(first.x0 - margin) <= p.column_tolerance + 2 &&
           l.boxes.back().x1 - first.x0 > p.heading * width;
  };
  size_t i = 0;
  while (i < lines.size()) {
    // A run of lines that are neither prose nor headings, close together.
    if (prose(lines[i]) || heading(lines[i])) {
      ++i;
      continue;
    }
    size_t run_end = i + 1;
    while (run_end < lines.size() && !prose(lines[run_end]) && !heading(lines[run_end]) &&
           lines[run_end].y0 - lines[run_end - 1].y1 <= p.region_gap * lines[run_end - 1].font)
      ++run_end;
    // Column candidates: edges that three or more lines of the run start a column at.
    std::vector<int> usage(edges.size(), 0);
    for (size_t k = i; k < run_end; ++k)
      for (int e : column_starts(lines[k])) ++usage[e];
    auto table_line = [&](const Line& l) {
      int n = 0;
      for (int e : column_starts(l)) n += usage[e] >= p.min_core_lines ? 1 : 0;
      return n >= 2;
    };
    size_t first = run_end, last = i;
    int table_lines = 0;
    for (size_t k = i; k < run_end; ++k) {
      if (!table_line(lines[k])) continue;
      first = std::min(first, k);
      last = k;
      ++table_lines;
    }
    if (table_lines >= p.min_core_lines) {
      size_t begin = first, end = last + 1;
      for (int taken = 0; taken < p.edge_lines && begin > i &&
                          lines[begin].y0 - lines[begin - 1].y0 <= p.edge_gap * lines[begin].font;
           ++taken)
        --begin;
      for (int taken = 0; taken < p.edge_lines && end < run_end &&
                          lines[end].y0 - lines[end - 1].y0 <= p.edge_gap * lines[end].font;
           ++taken)
        ++end;
      std::vector<int> support(edges.size(), 0);
      std::vector<bool> crossed(edges.size(), false);
      for (size_t k = begin; k < end; ++k) {
        for (int e : column_starts(lines[k])) ++support[e];
        for (const Box& b : lines[k].boxes)
          for (size_t e = 0; e < edges.size(); ++e)
            if (b.x0 < edges[e] - p.column_tolerance && b.x1 > edges[e] + p.column_tolerance) crossed[e] = true;
      }
      std::vector<double> columns;
      for (size_t e = 0; e < edges.size(); ++e)
        if (usage[e] >= p.min_core_lines && support[e] >= p.min_column_starts && !crossed[e])
          columns.push_back(edges[e]);
      if (columns.size() >= 2) {
        LayoutTable t = BuildTable(lines, begin, end, columns, page.page_no, p);
        if (t.record.row_count >= 2 && !BulletedList(t.record, p)) {
          for (LayoutTable& part : SplitRepeatedHeader(std::move(t))) out.push_back(std::move(part));
        }
      }
    }
    i = run_end;
  }
  return out;
}

// ---- Ruled tables: a grid of ruling lines, each cell the text inside its borders.

// A ruling line: horizontal at y = pos from x = from to x = to, or vertical at x = pos.
struct Segment {
  double pos, from, to;
};

// Rules that lie on one line (the double borders office suites draw, a border drawn
// cell by cell) become one segment per stretch.
std::vector<Segment> MergeSegments(std::vector<Segment> segments, double tolerance) {
  std::sort(segments.begin(), segments.end(), [](const Segment& a, const Segment& b) { return a.pos < b.pos; });
  std::vector<Segment> out;
  for (size_t i = 0; i < segments.size();) {
    size_t j = i;
    while (j + 1 < segments.size() && segments[j + 1].pos - segments[i].pos <= tolerance) ++j;
    std::vector<Segment> group(segments.begin() + i, segments.begin() + j + 1);
    double pos = 0;
    for (const Segment& s : group) pos += s.pos;
    pos /= static_cast<double>(group.size());
    std::sort(group.begin(), group.end(), [](const Segment& a, const Segment& b) { return a.from < b.from; });
    Segment current{pos, group[0].from, group[0].to};
    for (size_t k = 1; k < group.size(); ++k) {
      if (group[k].from <= current.to + tolerance) {
        current.to = std::max(current.to, group[k].to);
      } else {
        out.push_back(current);
        current = {pos, group[k].from, group[k].to};
      }
    }
    out.push_back(current);
    i = j + 1;
  }
  return out;
}

bool Covers(const std::vector<Segment>& segments, double pos, double at, double tolerance) {
  for (const Segment& s : segments)
    if (std::abs(s.pos - pos) <= tolerance && s.from - tolerance <= at && at <= s.to + tolerance) return true;
  return false;
}

// Distinct positions of a set of segments, `tolerance` apart.
std::vector<double> Positions(const std::vector<Segment>& segments, double tolerance) {
  std::vector<double> all;
  for (const Segment& s : segments) all.push_back(s.pos);
  std::sort(all.begin(), all.end());
  std::vector<double> out;
  for (double p : all)
    if (out.empty() || p - out.back() > tolerance) out.push_back(p);
  return out;
}

int FindRoot(std::vector<int>& parent, int i) {
  while (parent[i] != i) i = parent[i] = parent[parent[i]];
  return i;
}

// Joins the boxes of one cell: lines top to bottom, boxes left to right; pieces of a
// line keep the space poppler saw, wrapped lines join without one (Japanese has none)
// unless two Latin words meet.
std::u32string CellText(std::vector<const ingest::TextBox*> boxes, double same_line) {
  std::sort(boxes.begin(), boxes.end(), [](const auto* a, const auto* b) { return a->y0 < b->y0; });
  std::vector<std::vector<const ingest::TextBox*>> lines;
  for (const auto* b : boxes) {
    if (!lines.empty() && std::abs(lines.back().front()->y0 - b->y0) <= same_line)
      lines.back().push_back(b);
    else
      lines.push_back({b});
  }
  std::u32string text;
  for (auto& line : lines) {
    std::sort(line.begin(), line.end(), [](const auto* a, const auto* b) { return a->x0 < b->x0; });
    for (size_t i = 0; i < line.size(); ++i) {
      const std::u32string word = DecodeUtf8(line[i]->text);
      if (word.empty()) continue;
      const bool spaced = i > 0 ? line[i - 1]->space_after
                                : !text.empty() && IsAsciiWord(text.back()) && IsAsciiWord(word.front());
      if (spaced && !text.empty()) text += U' ';
      text += word;
    }
  }
  return text;
}

// The table drawn by the grid lines `ys` (top to bottom) and `xs` (left to right) with
// the rules `gh` and `gv`, or nullopt for a frame around text.
std::optional<LayoutTable> GridTable(const PageText& page, const std::vector<Segment>& gh,
                                     const std::vector<Segment>& gv, const std::vector<double>& ys,
                                     const std::vector<double>& xs, const Layout& p) {
  const double tol = p.rule_tolerance;
  if (ys.size() < 3 || xs.size() < 3) return std::nullopt;
  const int rows = static_cast<int>(ys.size()) - 1, cols = static_cast<int>(xs.size()) - 1;
  // Merged cells: no border between two neighbours.
  std::vector<int> cell_parent(rows * cols);
  for (int i = 0; i < rows * cols; ++i) cell_parent[i] = i;
  auto join = [&](int a, int b) {
    const int ra = FindRoot(cell_parent, a), rb = FindRoot(cell_parent, b);
    cell_parent[std::max(ra, rb)] = std::min(ra, rb);  // the root is the top-left cell
  };
  for (int r = 0; r < rows; ++r)
    for (int c = 0; c < cols; ++c) {
      const double ymid = (ys[r] + ys[r + 1]) / 2, xmid = (xs[c] + xs[c + 1]) / 2;
      if (c + 1 < cols && !Covers(gv, xs[c + 1], ymid, tol)) join(r * cols + c, r * cols + c + 1);
      if (r + 1 < rows && !Covers(gh, ys[r + 1], xmid, tol)) join(r * cols + c, (r + 1) * cols + c);
    }
  std::map<int, std::vector<const ingest::TextBox*>> in_cell;
  for (const ingest::TextBox& b : page.boxes) {
    if (b.vertical || b.text.empty()) continue;
    const double cx = (b.x0 + b.x1) / 2, cy = (b.y0 + b.y1) / 2;
    if (cx <= xs.front() || cx >= xs.back() || cy <= ys.front() || cy >= ys.back()) continue;
    const int c = static_cast<int>(std::upper_bound(xs.begin(), xs.end(), cx) - xs.begin()) - 1;
    const int r = static_cast<int>(std::upper_bound(ys.begin(), ys.end(), cy) - ys.begin()) - 1;
    in_cell[FindRoot(cell_parent, r * cols + c)].push_back(&b);
  }
  std::map<std::pair<int, int>, std::u32string> texts;
  std::vector<bool> row_used(rows, false);
  for (const auto& [cell, boxes] : in_cell) {
    std::u32string text = CellText(boxes, p.same_line);
    if (text.empty()) continue;
    texts[{cell / cols, cell % cols}] = std::move(text);
    row_used[cell / cols] = true;
  }
  std::vector<int> row_index(rows, -1);
  int used_rows = 0;
  for (int r = 0; r < rows; ++r)
    if (row_used[r]) row_index[r] = used_rows++;
  std::vector<bool> col_used(cols, false);
  for (const auto& [rc, text] : texts) col_used[rc.second] = true;
  if (used_rows < 2 || std::count(col_used.begin(), col_used.end(), true) < 2) return std::nullopt;

  LayoutTable t;
  t.columns = xs;
  t.ruled = true;
  TableRecord& r = t.record;
  r.first_page = r.last_page = page.page_no;
  r.row_count = used_rows;
  r.col_count = cols;
  r.x0 = xs.front(), r.x1 = xs.back(), r.y0 = ys.front(), r.y1 = ys.back();
  r.rule_id = "ruled";
  for (const auto& [rc, text] : texts) {
    TableCell cell;
    cell.row = row_index[rc.first];
    cell.col = rc.second;
    cell.text = EncodeUtf8(normalize::NormalizeString(text));
    cell.page_no = page.page_no;
    if (!cell.text.empty()) r.cells.push_back(std::move(cell));
  }
  return t;
}

// The tables a page draws as grids of ruling lines. Horizontal and vertical rules that
// meet form one grid; its distinct rule positions are the row and column lines. A cell
// whose border is missing is merged with its neighbour, and a merged cell's text
// belongs to its top-left grid cell. Text goes to the cell that holds its centre.
// Rows and columns without any text are dropped; a grid with fewer than two columns
// or two rows of text is a frame, not a table.
std::vector<LayoutTable> PageRuledTables(const PageText& page, const Layout& p) {
  std::vector<LayoutTable> out;
  const double tol = p.rule_tolerance;
  std::vector<Segment> hs, vs;
  for (const ingest::Rule& r : page.rules) {
    if (r.horizontal())
      hs.push_back({r.y0, r.x0, r.x1});
    else
      vs.push_back({r.x0, r.y0, r.y1});
  }
  if (hs.size() < 2 || vs.size() < 2) return out;
  hs = MergeSegments(std::move(hs), tol);
  vs = MergeSegments(std::move(vs), tol);
  // Grids: horizontal and vertical segments that meet, transitively.
  const int n = static_cast<int>(hs.size() + vs.size());
  std::vector<int> parent(n);
  for (int i = 0; i < n; ++i) parent[i] = i;
  for (size_t h = 0; h < hs.size(); ++h)
    for (size_t v = 0; v < vs.size(); ++v)
      if (vs[v].pos >= hs[h].from - tol && vs[v].pos <= hs[h].to + tol && hs[h].pos >= vs[v].from - tol &&
          hs[h].pos <= vs[v].to + tol)
        parent[FindRoot(parent, static_cast<int>(h))] = FindRoot(parent, static_cast<int>(hs.size() + v));
  std::map<int, std::pair<std::vector<Segment>, std::vector<Segment>>> grids;
  for (size_t h = 0; h < hs.size(); ++h) grids[FindRoot(parent, static_cast<int>(h))].first.push_back(hs[h]);
  for (size_t v = 0; v < vs.size(); ++v)
    grids[FindRoot(parent, static_cast<int>(hs.size() + v))].second.push_back(vs[v]);

  for (auto& [root, grid] : grids) {
    const auto& gh = grid.first;  // not a structured binding: clang 14 cannot capture those
    const auto& gv = grid.second;
    const std::vector<double> ys = Positions(gh, tol), xs = Positions(gv, tol);
    if (ys.size() < 3 || xs.size() < 3) continue;
    // Two tables drawn one right under the other share their frame; they part where
    // the inner column lines of one row band have nothing in common with the next's.
    auto inner_lines = [&](size_t r) {
      std::set<double> found;
      for (size_t c = 1; c + 1 < xs.size(); ++c)
        if (Covers(gv, xs[c], (ys[r] + ys[r + 1]) / 2, tol)) found.insert(xs[c]);
      return found;
    };
    size_t begin = 0;
    for (size_t r = 0; r + 1 < ys.size(); ++r) {
      bool split = r + 2 < ys.size();
      if (split) {
        const std::set<double> above = inner_lines(r), below = inner_lines(r + 1);
        std::vector<double> shared;
        std::set_intersection(above.begin(), above.end(), below.begin(), below.end(), std::back_inserter(shared));
        split = !above.empty() && !below.empty() && shared.empty();
      }
      if (!split && r + 2 < ys.size()) continue;
      const std::vector<double> part_ys(ys.begin() + begin, ys.begin() + r + 2);
      std::vector<double> part_xs;
      for (double x : xs) {
        for (size_t k = 0; k + 1 < part_ys.size(); ++k) {
          if (Covers(gv, x, (part_ys[k] + part_ys[k + 1]) / 2, tol)) {
            part_xs.push_back(x);
            break;
          }
        }
      }
      if (std::optional<LayoutTable> t = GridTable(page, gh, gv, part_ys, part_xs, p)) out.push_back(std::move(*t));
      begin = r + 1;
    }
  }
  std::sort(out.begin(), out.end(), [](const LayoutTable& a, const LayoutTable& b) {
    return a.record.y0 != b.record.y0 ? a.record.y0 < b.record.y0 : a.record.x0 < b.record.x0;
  });
  return out;
}

// Drops the columns no cell of the (merged) table uses: the slivers between double
// borders, the empty tail of ragged rows.
void DropEmptyColumns(TableRecord* table) {
  std::vector<int> index(table->col_count, -1);
  for (const TableCell& c : table->cells) index[c.col] = 0;
  int used = 0;
  for (int& i : index)
    if (i == 0) i = used++;
  for (TableCell& c : table->cells) c.col = index[c.col];
  table->col_count = used;
}

const TableCell* CellAt(const TableRecord& t, int row, int col) {
  for (const TableCell& c : t.cells)
    if (c.row == row && c.col == col) return &c;
  return nullptr;
}

// In a grid, the row a page break cut goes on in the first row of the next page, which
// fills fewer of the columns the cut row fills and no other.
bool FinishesCutGridRow(const TableRecord& table, const TableRecord& next, int row) {
  std::set<int> last, first;
  for (const TableCell& c : table.cells)
    if (c.row == table.row_count - 1) last.insert(c.col);
  for (const TableCell& c : next.cells)
    if (c.row == row) first.insert(c.col);
  return !first.empty() && first.size() < last.size() &&
         std::includes(last.begin(), last.end(), first.begin(), first.end());
}

// Appends `next` (the same table on the following page) to `table`.
void Continue(TableRecord* table, TableRecord next, bool ruled) {
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
  const bool cut = (ruled && FinishesCutGridRow(*table, next, skip)) ||
                   (starts.size() == 1 && starts.begin()->second >= 2 && first != nullptr &&
                    DecodeUtf8(first->text).front() != starts.begin()->first);
  if (cut) {
    const int last = table->row_count - 1;
    for (const TableCell& c : next.cells) {
      if (c.row != skip) continue;
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
    skip += 1;
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

// Points each cell of a PDF table into its page's text: the cell's characters,
// whitespace aside, found in reading order (after the cell before it when they follow
// each other in the page text, else anywhere). A cell whose lines the page text
// interleaves with another cell's keeps offsets -1.
void LocateCells(const std::vector<PageText>& pages, TableRecord* table) {
  std::map<int, const PageText*> by_number;
  for (const PageText& p : pages) by_number[p.page_no] = &p;
  int cached_page = -1;
  std::u32string compact;
  std::vector<int> offset_of;  // compact index -> page text offset
  size_t resume = 0;
  size_t table_start = std::u32string::npos;  // where its first located cell is, on this page
  std::vector<TableCell*> cells;
  for (TableCell& c : table->cells) cells.push_back(&c);
  std::stable_sort(cells.begin(), cells.end(), [](const TableCell* a, const TableCell* b) {
    return a->page_no != b->page_no ? a->page_no < b->page_no : a->row != b->row ? a->row < b->row : a->col < b->col;
  });
  for (TableCell* c : cells) {
    auto it = by_number.find(c->page_no);
    if (it == by_number.end()) continue;
    if (c->page_no != cached_page) {
      cached_page = c->page_no;
      compact.clear();
      offset_of.clear();
      resume = 0;
      table_start = std::u32string::npos;
      const std::u32string& text = it->second->text;
      for (size_t i = 0; i < text.size(); ++i) {
        if (text[i] == U' ' || text[i] == U'\n' || text[i] == U'\t' || text[i] == U'\u3000') continue;
        compact.push_back(text[i]);
        offset_of.push_back(static_cast<int>(i));
      }
    }
    std::u32string needle;
    for (char32_t ch : DecodeUtf8(c->text))
      if (ch != U' ' && ch != U'\u3000') needle.push_back(ch);
    if (needle.empty()) continue;
    // A cell's text stands apart in the reading order (a line, or words of a line): "取組"
    // inside a sentence above the table is not the header cell 取組.
    const std::u32string& text = it->second->text;
    auto apart = [&](size_t at) {
      const int before = offset_of[at] - 1;
      const size_t after = static_cast<size_t>(offset_of[at + needle.size() - 1]) + 1;
      auto gap = [](char32_t ch) { return ch == U' ' || ch == U'\n' || ch == U'\t' || ch == U'\u3000'; };
      return (before < 0 || gap(text[before])) && (after >= text.size() || gap(text[after]));
    };
    auto find_from = [&](size_t from) {
      for (size_t at = compact.find(needle, from); at != std::u32string::npos; at = compact.find(needle, at + 1))
        if (apart(at)) return at;
      return std::u32string::npos;
    };
    // Cells come in reading order only roughly (a column may be read as a block), but
    // never before the table's first cell on the page.
    size_t at = find_from(resume);
    if (at == std::u32string::npos) at = find_from(table_start);
    if (at == std::u32string::npos) continue;
    if (table_start == std::u32string::npos) table_start = at;
    c->start_offset = offset_of[at];
    c->end_offset = offset_of[at + needle.size() - 1] + 1;
    resume = at + needle.size();
  }
}

// The first row is a header when it looks like one: short labels, no sentences.
void MarkHeader(TableRecord* t) {
  bool header = t->row_count >= 2;
  for (const TableCell& c : t->cells) {
    if (c.row != 0) continue;
    const std::u32string s = DecodeUtf8(c.text);
    if (s.size() > 20 || s.back() == U'。') header = false;
  }
  for (TableCell& c : t->cells) c.is_header = header && c.row == 0;
}

double Param(const std::map<std::string, std::string>& values, const char* name, double fallback) {
  auto it = values.find(name);
  return it == values.end() ? fallback : std::atof(it->second.c_str());
}

}  // namespace

struct TableExtractor::Impl {
  Params params;
  Layout layout;
  void TextTables(const std::vector<PageText>& pages, std::vector<TableRecord>* out) const;
  void PdfTables(const std::vector<PageText>& pages, std::vector<TableRecord>* out) const;
};

TableExtractor::TableExtractor(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
TableExtractor::~TableExtractor() = default;

std::unique_ptr<TableExtractor> TableExtractor::Create(const RuleFile& file, std::string*) {
  auto impl = std::make_unique<Impl>();
  impl->params.min_text_rows = static_cast<int>(Param(file.Table("text"), "min_rows", impl->params.min_text_rows));
  {
    Layout& l = impl->layout;
    const auto v = file.Table("layout");
    l.same_line = Param(v, "same_line", l.same_line);
    l.column_tolerance = Param(v, "column_tolerance", l.column_tolerance);
    l.column_width = Param(v, "column_width", l.column_width);
    l.edge_lines = static_cast<int>(Param(v, "edge_lines", l.edge_lines));
    l.heading = Param(v, "heading", l.heading);
    l.glyph_height = Param(v, "glyph_height", l.glyph_height);
    l.wide = Param(v, "wide", l.wide);
    l.cell_gap = Param(v, "cell_gap", l.cell_gap);
    l.region_gap = Param(v, "region_gap", l.region_gap);
    l.edge_gap = Param(v, "edge_gap", l.edge_gap);
    l.min_core_lines = static_cast<int>(Param(v, "min_core_lines", l.min_core_lines));
    l.min_column_starts = static_cast<int>(Param(v, "min_column_starts", l.min_column_starts));
    l.page_edge = Param(v, "page_edge", l.page_edge);
    l.continuation_drift = Param(v, "continuation_drift", l.continuation_drift);
    l.rule_tolerance = Param(file.Table("ruled"), "rule_tolerance", l.rule_tolerance);
    if (auto it = v.find("list_bullets"); it != v.end()) l.list_bullets = DecodeUtf8(it->second);
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
    if (!page.boxes.empty()) continue;
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
  for (TableRecord& t : *out) MarkHeader(&t);
}

void TableExtractor::Impl::PdfTables(const std::vector<PageText>& pages, std::vector<TableRecord>* out) const {
  LayoutTable previous;
  bool have_previous = false;
  double previous_height = 0;
  auto finish = [&] {
    if (!have_previous) return;
    if (previous.ruled) {
      DropEmptyColumns(&previous.record);
      MarkHeader(&previous.record);
    }
    LocateCells(pages, &previous.record);
    out->push_back(std::move(previous.record));
  };
  for (const PageText& page : pages) {
    if (page.boxes.empty()) continue;
    // Grids first; the layout analysis reads only the text outside them.
    std::vector<LayoutTable> tables = PageRuledTables(page, layout);
    PageText rest;
    rest.page_no = page.page_no;
    rest.width = page.width;
    rest.height = page.height;
    for (const ingest::TextBox& b : page.boxes) {
      const double cx = (b.x0 + b.x1) / 2, cy = (b.y0 + b.y1) / 2;
      const bool inside = std::any_of(tables.begin(), tables.end(), [&](const LayoutTable& t) {
        return cx >= t.record.x0 && cx <= t.record.x1 && cy >= t.record.y0 && cy <= t.record.y1;
      });
      if (!inside) rest.boxes.push_back(b);
    }
    for (LayoutTable& t : PageTables(rest, layout)) tables.push_back(std::move(t));
    std::stable_sort(tables.begin(), tables.end(),
                     [](const LayoutTable& a, const LayoutTable& b) { return a.record.y0 < b.record.y0; });
    for (size_t i = 0; i < tables.size(); ++i) {
      LayoutTable& t = tables[i];
      const bool continues = have_previous && i == 0 && previous.record.last_page + 1 == page.page_no &&
                             previous.ruled == t.ruled &&
                             previous.record.y1 > (1 - layout.page_edge) * previous_height &&
                             t.record.y0 < layout.page_edge * page.height &&
                             t.columns.size() == previous.columns.size() &&
                             std::equal(t.columns.begin(), t.columns.end(), previous.columns.begin(),
                                        [&](double a, double b) { return std::abs(a - b) <= layout.continuation_drift; });
      if (continues) {
        Continue(&previous.record, std::move(t.record), t.ruled);
        continue;
      }
      finish();
      previous = std::move(t);
      have_previous = true;
    }
    previous_height = page.height;
  }
  finish();
}

void TableExtractor::Extract(const std::vector<PageText>& pages, Records* records) const {
  // Each reads the pages of its kind: text reports have no boxes, PDF pages do.
  impl_->TextTables(pages, &records->tables);
  impl_->PdfTables(pages, &records->tables);
}

}  // namespace kobun::extract
