// Private to extract/: dates.
//
// Rules (rules/dates.toml) find date *points*; named groups say what each part is:
//   era (明治…令和) | eraletter (M T S H R) , year (era year, or a year whose era comes
//   from context), wyear (Western year), month, day, wday (曜日), fiscal (年度), decade
//   (年代), rel (同年, 翌年 … from [relative_years]), fyrel (今年度 … from
//   [relative_fiscal_years]), num (a bare number whose unit the other end of a range
//   gives); any group named not… that takes part in a match discards it (what RE2 cannot
//   say with look-arounds). A rule's role is "point" (the default), or "range_start" /
//   "range_end" / "range_part" for pieces that count only inside a range (令和3 in
//   令和3～7年度). Two points with [range].connector between them (and [range].closing
//   after) are one record. Where several matches overlap, the longest wins, then the
//   rule listed first.
//
// Years that are not written come from the context, in reading order: the last
// explicit date outside parentheses (a fiscal year makes January–March the next
// calendar year), else the document's issue date.
#ifndef KOBUN_EXTRACT_DATES_H_
#define KOBUN_EXTRACT_DATES_H_

#include <memory>
#include <string>
#include <vector>

#include "extract/extract.h"
#include "extract/rule_file.h"

namespace kobun::extract {

class DateExtractor {
 public:
  static std::unique_ptr<DateExtractor> Create(const RuleFile& file, std::string* error);
  ~DateExtractor();

  // Fills records->dates and records->issued_on.
  void Extract(const std::vector<PageText>& pages, Records* records) const;

  struct Impl;

 private:
  explicit DateExtractor(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace kobun::extract

#endif  // KOBUN_EXTRACT_DATES_H_
