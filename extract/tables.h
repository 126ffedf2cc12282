// Private to extract/: tables.
//
// Text reports: a run of consecutive lines that hold tab characters is a table; each
// line a row, each tab-separated field a cell, with its offsets in the page text. Blank
// lines between rows with the same number of fields do not end a table; a table that
// ends a page and one that starts the next with as many columns are one table. The
// first row is the header when it holds short labels, not sentences.
//
// PDFs, grids first: ruling lines that meet form a grid; its rule positions are the row
// and column lines; a cell without a border to its neighbour is merged with it and its
// text belongs to the top-left cell; a text box goes to the cell holding its centre.
// Grids drawn one under the other part where no inner column line goes on. A grid with
// fewer than two rows or columns of text is a frame, not a table.
//
// Then layout over the text boxes outside grids. An edge is a left edge that boxes on
// several lines share. A run of lines that are neither prose (a box wider than `wide`)
// nor headings (one run of text from the margin) is a table where three or more of its
// lines start boxes at two or more edges a column's width apart; its columns are those
// edges, less any that a line of the table crosses (the text after "(1) " on a cell's
// first line). In each column, lines one pitch apart are one cell, joined without a
// space; cells whose vertical spans overlap are a row (top-aligned and vertically
// centred cells alike). In a numbered list, and in a table whose every line fills every
// column, each such line is a row. A header that repeats across the columns marks two
// tables side by side. Rows that all start with a bullet are a list, not a table.
//
// A table that reaches the bottom of a page and one of the same kind at the top of the
// next with the same columns are one table; a repeated header is dropped; a first row
// that fills fewer of the columns the last row fills (grids), or does not start the way
// the table's rows do ("(1)", "(2)"), finishes the row the break cut.
//
// Page text and tables: the page text keeps every character (dates and names inside
// tables are real mentions); each cell points into it with its offsets, or -1 for a
// PDF cell the reading-order text interleaves with another.
#ifndef KOBUN_EXTRACT_TABLES_H_
#define KOBUN_EXTRACT_TABLES_H_

#include <memory>
#include <string>
#include <vector>

#include "extract/extract.h"
#include "extract/rule_file.h"

namespace kobun::extract {

class TableExtractor {
 public:
  static std::unique_ptr<TableExtractor> Create(const RuleFile& file, std::string* error);
  ~TableExtractor();

  void Extract(const std::vector<PageText>& pages, Records* records) const;

  struct Impl;

 private:
  explicit TableExtractor(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace kobun::extract

#endif  // KOBUN_EXTRACT_TABLES_H_
