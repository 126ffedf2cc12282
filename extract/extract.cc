#include "extract/extract.h"

#include <chrono>

#include "extract/agreements.h"
#include "extract/dates.h"
#include "extract/municipalities.h"
#include "extract/projects.h"
#include "extract/tables.h"
#include "extract/rule_file.h"

namespace kobun::extract {

const std::vector<std::string>& RuleKinds() {
  static const std::vector<std::string> kKinds = {"dates", "municipalities", "tables", "projects", "agreements"};
  return kKinds;
}

std::vector<std::string> KindAndReaders(const std::string& kind) {
  if (kind == "dates") return {"dates", "municipalities", "projects", "agreements"};
  if (kind == "municipalities") return {"municipalities", "projects", "agreements"};
  if (kind == "tables") return {"tables", "projects", "agreements"};
  if (kind == "projects") return {"projects"};
  if (kind == "agreements") return {"agreements"};
  return {};
}

Extractor::Extractor() = default;
Extractor::~Extractor() = default;

std::unique_ptr<Extractor> Extractor::Load(const std::vector<std::filesystem::path>& rule_files, std::string* error) {
  std::unique_ptr<Extractor> extractor(new Extractor());
  for (const std::filesystem::path& path : rule_files) {
    RuleFile file;
    if (!ReadRuleFile(path, &file, error)) return nullptr;
    if (file.kind == "dates") {
      if (extractor->dates_) {
        *error = path.string() + ": a second rule file of kind \"dates\"";
        return nullptr;
      }
      extractor->dates_ = DateExtractor::Create(file, error);
      if (!extractor->dates_) return nullptr;
    } else if (file.kind == "municipalities") {
      if (extractor->municipalities_) {
        *error = path.string() + ": a second rule file of kind \"municipalities\"";
        return nullptr;
      }
      extractor->municipalities_ = MunicipalityExtractor::Create(file, error);
      if (!extractor->municipalities_) return nullptr;
    } else if (file.kind == "tables") {
      extractor->tables_ = TableExtractor::Create(file, error);
      if (!extractor->tables_) return nullptr;
    } else if (file.kind == "projects") {
      extractor->projects_ = ProjectExtractor::Create(file, error);
      if (!extractor->projects_) return nullptr;
    } else if (file.kind == "agreements") {
      extractor->agreements_ = AgreementExtractor::Create(file, error);
      if (!extractor->agreements_) return nullptr;
    } else {
      *error = path.string() + ": unknown kind \"" + file.kind +
               "\" (known: dates, municipalities, tables, projects, agreements)";
      return nullptr;
    }
  }
  return extractor;
}

Records Extractor::Extract(const std::vector<PageText>& pages) const {
  Records records;
  using Clock = std::chrono::steady_clock;
  auto timed = [](double* seconds, auto&& run) {
    const Clock::time_point start = Clock::now();
    run();
    *seconds += std::chrono::duration<double>(Clock::now() - start).count();
  };
  if (dates_) timed(&records.seconds.dates, [&] { dates_->Extract(pages, &records); });
  // After dates: a former municipality counts only before the document's issue date.
  if (municipalities_) timed(&records.seconds.municipalities, [&] { municipalities_->Extract(pages, &records); });
  if (tables_) timed(&records.seconds.tables, [&] { tables_->Extract(pages, &records); });
  // After tables: projects are read from table rows, and headings outside tables.
  if (projects_) timed(&records.seconds.projects, [&] { projects_->Extract(pages, &records); });
  // After dates, municipalities and tables: signature dates, parties and 別表.
  if (agreements_) timed(&records.seconds.agreements, [&] { agreements_->Extract(pages, &records); });
  return records;
}

const std::vector<Area>& Extractor::areas() const {
  static const std::vector<Area> kNone;
  return municipalities_ ? municipalities_->areas() : kNone;
}

}  // namespace kobun::extract
