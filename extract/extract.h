// extract: normalized pages in, records out. Each extractor is driven by a rule file
// that names its kind (kind = "dates", ...); patterns are RE2 and live only there.
#ifndef KOBUN_EXTRACT_EXTRACT_H_
#define KOBUN_EXTRACT_EXTRACT_H_

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "extract/records.h"
#include "ingest/ingest.h"

namespace kobun::extract {

struct PageText {
  int page_no = 0;
  std::u32string text;  // normalized
  // A PDF page's positioned text boxes, ruling lines and size, for table layout; empty
  // for text reports.
  std::vector<ingest::TextBox> boxes;
  std::vector<ingest::Rule> rules;
  double width = 0, height = 0;
};

// A regional area (連携中枢都市圏) of the gazetteer, with its members.
struct Area {
  int id = 0;
  std::string name;
  struct Member {
    std::string code, name, role;  // role: centre | member
  };
  std::vector<Member> members;
};

// The rule-file kinds, in the order the extract stage runs them.
const std::vector<std::string>& RuleKinds();

// `kind` and the rule kinds that read its records, so must be extracted again with it:
// municipalities read the issue date (dates); projects read tables and municipalities;
// agreements read dates, municipalities and tables. Empty for an unknown kind.
std::vector<std::string> KindAndReaders(const std::string& kind);

class DateExtractor;
class MunicipalityExtractor;
class TableExtractor;
class ProjectExtractor;
class AgreementExtractor;

// All extractors of a pipeline, loaded once and shared by every worker thread.
class Extractor {
 public:
  // Loads each rule file; false and *error (naming the file, rule and problem) when a
  // file cannot be read, has an unknown kind, or a pattern does not compile.
  static std::unique_ptr<Extractor> Load(const std::vector<std::filesystem::path>& rule_files, std::string* error);
  ~Extractor();

  Records Extract(const std::vector<PageText>& pages) const;

  // The regional areas the municipality rules know (empty without them).
  const std::vector<Area>& areas() const;

 private:
  Extractor();
  std::unique_ptr<DateExtractor> dates_;
  std::unique_ptr<MunicipalityExtractor> municipalities_;
  std::unique_ptr<TableExtractor> tables_;
  std::unique_ptr<ProjectExtractor> projects_;
  std::unique_ptr<AgreementExtractor> agreements_;
};

}  // namespace kobun::extract

#endif  // KOBUN_EXTRACT_EXTRACT_H_
