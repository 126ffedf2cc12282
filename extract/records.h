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

struct MunicipalityRecord {
  int page_no = 0;
  int start_offset = 0, end_offset = 0;
  std::string surface;
  std::string code;        // 6-digit code; empty when the context could not decide
  std::string name;        // official name (full name for a designated-city ward)
  std::string prefecture;
  std::string kind;        // prefecture | city | special_ward | designated_city_ward | town | village
  std::string resolution;  // unique | prefecture_before | prefecture_after | context | ambiguous: CODE CODE…
  std::string successor_code;  // for a former municipality: its current successor
  std::string rule_id;         // name | variant | former
};

// A regional area (連携中枢都市圏) named in the text.
struct AreaRecord {
  int page_no = 0;
  int start_offset = 0, end_offset = 0;
  std::string surface;
  int area_id = 0;  // areas.id
  std::string name;
};

struct TableCell {
  int row = 0, col = 0;  // 0-based
  std::string text;      // normalized like page text
  bool is_header = false;
  int page_no = 0;
  int start_offset = -1, end_offset = -1;  // into pages.text; -1 when rebuilt from PDF boxes
};

struct TableRecord {
  int first_page = 0, last_page = 0;
  int row_count = 0, col_count = 0;
  double x0 = 0, y0 = 0, x1 = 0, y1 = 0;  // on first_page, PDF points; 0 for text reports
  std::string rule_id;                    // tsv | layout
  std::vector<TableCell> cells;
};

// A project (連携事業) of a regional area, from a table row or a heading.
struct ProjectRecord {
  int page_no = 0;
  int start_offset = -1, end_offset = -1;  // the name's span in pages.text; -1 when unknown
  int number = 0;                          // 0: not numbered
  std::string name;                        // markers removed; the new name of a rename
  std::string status;                      // 新規 | 拡充 | 変更 | 完了, or empty
  std::string field, area, description;
  std::string cross_reference;             // "74" for (74(再掲))
  std::string participants;                // "高・さ・東" as written
  // One per abbreviation, in written order; code and name empty when the document does
  // not define the abbreviation unambiguously.
  struct Participant {
    std::string abbreviation, code, name, rule_id;
  };
  std::vector<Participant> participant_codes;
  std::string rule_id;
};

// One paragraph, item or sub-item of an article (or of 附則).
struct ClauseRecord {
  std::string path;          // 第3条第2項第1号ア; 附則第2項
  std::string part;          // main | supplementary
  int article = 0;           // 0: none (附則 without articles)
  int article_sub = 0;       // the 2 of 第3条の2
  std::string heading;       // the article's, without parentheses
  int paragraph = 0;         // 1-based
  std::string item;          // 1 for (1), 一, ①; empty for a paragraph
  std::string subitem;       // ア, イ, ロ as written
  std::string text;
  int page_no = 0;
  int start_offset = 0, end_offset = 0;  // on page_no; a clause running on stops at its page's end
  std::string rule_id;
};

struct AgreementParty {
  std::string code, name;
  std::string alias;      // 甲, 乙
  std::string signatory;  // 品川萬里
};

// An agreement (連携協約), an amendment of one, or another article-structured document.
struct AgreementRecord {
  int page_no = 0;
  int start_offset = 0, end_offset = 0;  // the title line, else the first article
  std::string kind;                      // agreement | amendment | articles
  std::string title;
  std::string concluded_on;              // ISO date of the signature
  std::string legal_basis;               // 地方自治法第252条の2第1項
  std::string amended_content;           // an amendment's instructions and the text they put in
  std::string rule_id;                   // the rule that decided the concluded date
  std::vector<AgreementParty> parties;
  std::vector<ClauseRecord> clauses;
  struct Appendix {
    std::string label;                   // 別表, 別表第1
    std::vector<int> tables;             // indices into Records::tables
  };
  std::vector<Appendix> appendices;
};

// Seconds each extractor spent on a document (summed over a run by the pipeline).
struct ExtractSeconds {
  double dates = 0, municipalities = 0, tables = 0, projects = 0, agreements = 0;

  ExtractSeconds& operator+=(const ExtractSeconds& other) {
    dates += other.dates;
    municipalities += other.municipalities;
    tables += other.tables;
    projects += other.projects;
    agreements += other.agreements;
    return *this;
  }
};

struct Records {
  std::string issued_on;  // the document's own date, when found
  ExtractSeconds seconds;
  std::vector<DateRecord> dates;
  std::vector<MunicipalityRecord> municipalities;
  std::vector<AreaRecord> areas;
  std::vector<TableRecord> tables;
  std::vector<ProjectRecord> projects;
  std::vector<AgreementRecord> agreements;
};

}  // namespace kobun::extract

#endif  // KOBUN_EXTRACT_RECORDS_H_
