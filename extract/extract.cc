#include "extract/extract.h"

#include <chrono>
#include <future>

#include "extract/agreements.h"
#include "extract/dates.h"
#include "extract/municipalities.h"
#include "extract/projects.h"
#include "extract/tables.h"
#include "extract/text_lines.h"
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

namespace {

// One rule file read and compiled into its kind's extractor.
struct Compiled {
  std::string kind, error;
  std::unique_ptr<DateExtractor> dates;
  std::unique_ptr<MunicipalityExtractor> municipalities;
  std::unique_ptr<TableExtractor> tables;
  std::unique_ptr<ProjectExtractor> projects;
  std::unique_ptr<AgreementExtractor> agreements;
  bool ok() const { return dates || municipalities || tables || projects || agreements; }
};

Compiled Compile(const std::filesystem::path& path) {
  Compiled c;
  RuleFile file;
  if (!ReadRuleFile(path, &file, &c.error)) return c;
  c.kind = file.kind;
  if (file.kind == "dates") {
    c.dates = DateExtractor::Create(file, &c.error);
  } else if (file.kind == "municipalities") {
    c.municipalities = MunicipalityExtractor::Create(file, &c.error);
  } else if (file.kind == "tables") {
    c.tables = TableExtractor::Create(file, &c.error);
  } else if (file.kind == "projects") {
    c.projects = ProjectExtractor::Create(file, &c.error);
  } else if (file.kind == "agreements") {
    c.agreements = AgreementExtractor::Create(file, &c.error);
  } else {
    c.error = path.string() + ": unknown kind \"" + file.kind +
              "\" (known: dates, municipalities, tables, projects, agreements)";
  }
  return c;
}

}  // namespace

std::unique_ptr<Extractor> Extractor::Load(const std::vector<std::filesystem::path>& rule_files, std::string* error) {
  // Compiled side by side: the gazetteer and the regular expressions are most of the
  // start-up of `kobun extract`, and they do not depend on each other.
  std::vector<std::future<Compiled>> compiling;
  for (const std::filesystem::path& path : rule_files) compiling.push_back(std::async(std::launch::async, Compile, path));
  std::vector<Compiled> compiled;
  for (auto& c : compiling) compiled.push_back(c.get());

  std::unique_ptr<Extractor> extractor(new Extractor());
  for (size_t i = 0; i < compiled.size(); ++i) {
    Compiled& c = compiled[i];
    if (!c.ok()) {
      *error = c.error;
      return nullptr;
    }
    if ((c.dates && extractor->dates_) || (c.municipalities && extractor->municipalities_)) {
      *error = rule_files[i].string() + ": a second rule file of kind \"" + c.kind + "\"";
      return nullptr;
    }
    if (c.dates) extractor->dates_ = std::move(c.dates);
    if (c.municipalities) extractor->municipalities_ = std::move(c.municipalities);
    if (c.tables) extractor->tables_ = std::move(c.tables);
    if (c.projects) extractor->projects_ = std::move(c.projects);
    if (c.agreements) extractor->agreements_ = std::move(c.agreements);
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
  // One thread per document: `-j N` is N cores, and a batch keeps them busy.
  if (dates_) timed(&records.seconds.dates, [&] { dates_->Extract(pages, &records); });
  // After dates: a former municipality counts only before the document's issue date.
  if (municipalities_) timed(&records.seconds.municipalities, [&] { municipalities_->Extract(pages, &records); });
  if (tables_) timed(&records.seconds.tables, [&] { tables_->Extract(pages, &records); });
  // The lines outside tables, which projects and agreements both read.
  const std::vector<TextLine> lines =
      projects_ || agreements_ ? LinesOutsideTables(pages, records.tables) : std::vector<TextLine>();
  // After tables: projects are read from table rows, and headings outside tables.
  if (projects_) timed(&records.seconds.projects, [&] { projects_->Extract(lines, &records); });
  // After dates, municipalities and tables: signature dates, parties and 別表.
  if (agreements_) timed(&records.seconds.agreements, [&] { agreements_->Extract(lines, &records); });
  return records;
}

const std::vector<Area>& Extractor::areas() const {
  static const std::vector<Area> kNone;
  return municipalities_ ? municipalities_->areas() : kNone;
}

}  // namespace kobun::extract
