// Private to extract/: tables.
//
// Text reports: a run of consecutive lines that hold tab characters is a table; each
// line a row, each tab-separated field a cell, with its offsets in the page text.
//
// PDFs: layout over the positioned text boxes, without ruling lines (poppler-cpp gives
// none). Boxes on one baseline that are close together form a segment; a line with
// segments far apart is a table line; the table spans the table lines and the
// continuation lines just around them. Columns are the left edges that segments share.
// In each column, lines closer than a wrapped line's spacing are one cell, joined in
// reading order; cells whose vertical spans overlap across columns form a row (this
// holds for top-aligned and vertically centred cells alike). The first row is the
// header. A table that ends at the bottom of a page and one that starts at the top of
// the next with the same columns are one table; when the new page's first row does not
// start the way the table's rows start ("(1)", "No."), it finishes the row the page
// break cut.
//
// Page text and tables: the page text keeps every character (dates and names inside
// tables are real mentions); cells of text reports point into it, and a PDF table's
// page span and bounding box say which part of the page it covers.
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
