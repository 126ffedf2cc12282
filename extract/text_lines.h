// Private to extract/: the lines of a document that sentence and heading extractors
// read — every page's lines in order, trimmed, without the lines of tables (a line with
// a tab, or a page-text span that a table cell covers: its text is read from the table).
#ifndef KOBUN_EXTRACT_TEXT_LINES_H_
#define KOBUN_EXTRACT_TEXT_LINES_H_

#include <string>
#include <vector>

#include "extract/extract.h"
#include "extract/records.h"

namespace kobun::extract {

struct TextLine {
  const PageText* page;
  size_t begin, end;          // code-point offsets of the line in page->text
  std::string text;           // trimmed of spaces; never empty
  bool last_on_page = false;  // the page's last such line
};

std::vector<TextLine> LinesOutsideTables(const std::vector<PageText>& pages, const std::vector<TableRecord>& tables);

// `s` without leading and trailing ASCII spaces.
std::string TrimSpaces(const std::string& s);

}  // namespace kobun::extract

#endif  // KOBUN_EXTRACT_TEXT_LINES_H_
