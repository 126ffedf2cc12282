// The records the extract stage produces, as the store writes them. Offsets are
// code-point offsets into the page's normalized text.
#ifndef KOBUN_EXTRACT_RECORDS_H_
#define KOBUN_EXTRACT_RECORDS_H_

#include <string>
#include <vector>

namespace kobun::extract {

struct DateRecord {
  int page_no = 0;
  int start_offset = 0, end_offset = 0;
  std::string surface;
  std::string start_date, end_date;  // ISO YYYY-MM-DD; an impossible day is kept as written
  std::string precision;             // day | month | year | fiscal_year | decade
  bool inferred = false;             // the year (or era) came from the context
  bool weekday_mismatch = false;     // a written weekday disagrees with the date
  bool impossible = false;           // outside its era, or a day the month lacks
  std::string rule_id;               // for a range: "start-rule~end-rule"
};

struct Records {
  std::string issued_on;  // the document's own date, when found
  std::vector<DateRecord> dates;
};

}  // namespace kobun::extract

#endif  // KOBUN_EXTRACT_RECORDS_H_
