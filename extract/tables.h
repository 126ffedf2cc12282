// Private to extract/: tables.
//
// Text reports: a run of consecutive lines that hold tab characters is a table; each
// line a row, each tab-separated field a cell, with its offsets in the page text. Blank
// lines between rows with the same number of fields do not end a table; a table that
// ends a page and one that starts the next with as many columns are one table. The
// first row is the header when it holds short labels, not sentences.
//
// PDF pages are not read for tables yet: their layout analysis (positioned boxes in
// pages.boxes, no ruling lines from poppler-cpp) is the open part of issue 5.
//
// Page text and tables: the page text keeps every character (dates and names inside
// tables are real mentions); each cell points into it with its offsets.
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
