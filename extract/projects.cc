#include "extract/projects.h"

#include <re2/re2.h>

#include <algorithm>
#include <map>

#include "common/utf8.h"
#include "extract/role_rules.h"
#include "extract/text_lines.h"

namespace kobun::extract {
namespace {

struct Canonical {
  std::string value;
  std::unique_ptr<RE2> re;
};

size_t Length(std::string_view utf8) { return DecodeUtf8(utf8).size(); }

}  // namespace

struct ProjectExtractor::Impl {
  std::vector<Canonical> fields, statuses;
  RoleRules rules;
  std::vector<const RoleRule*> markers;  // the `marker` rules, in file order
  size_t max_length = 40, description_length = 41;
  std::unique_ptr<RE2> number_header, name_header;

  const RoleRule* FirstMatch(std::string_view role, std::string_view text, Groups* groups) const {
    return rules.FirstMatch(role, text, groups);
  }
  std::string FieldOf(std::string_view text) const {
    for (const Canonical& f : fields)
      if (RE2::FullMatch(re2::StringPiece(text.data(), text.size()), *f.re)) return f.value;
    return "";
  }
  std::string StatusOf(std::string_view text) const {
    for (const Canonical& s : statuses)
      if (RE2::FullMatch(re2::StringPiece(text.data(), text.size()), *s.re)) return s.value;
    return "";
  }

  // A project named `written`: markers removed and kept apart, renames resolved.
  ProjectRecord Project(std::string written, const std::string& rule_id) const {
    ProjectRecord p;
    p.rule_id = rule_id;
    for (const RoleRule* marker : markers) {
      Groups g;
      std::pair<size_t, size_t> whole;
      for (int guard = 0; guard < 8 && FindNamed(*marker->re, written, &g, &whole); ++guard) {
        if (g.count("status") && p.status.empty()) p.status = StatusOf(g["status"]);
        if (g.count("cross_reference")) p.cross_reference = g["cross_reference"];
        if (g.count("participants")) p.participants = g["participants"];
        written.erase(whole.first, whole.second);
      }
    }
    written = TrimSpaces(written);
    Groups g;
    if (FirstMatch("rename", written, &g) && g.count("name")) written = TrimSpaces(g["name"]);
    p.name = written;
    return p;
  }

  void FromTables(Records* records) const;
  // Appends to *sections where each area's section starts (page, offset).
  void FromHeadings(const std::vector<TextLine>& lines, Records* records,
                    std::vector<std::pair<int, int>>* sections) const;
};

namespace {

// The rule id of a participant resolved by a municipality named in its section.
constexpr char kSectionMember[] = "section-member";
constexpr std::string_view kParticipantSeparator = "・";

// Resolves each project's participant abbreviations (高・さ・東) to the municipalities its
// document names in the same area section (the whole document when it has none): an
// abbreviation stands for the one municipality whose name starts with it — how such
// documents define them ("3市5町(高松市、土庄町、…)" above "(高・土)").
void ResolveParticipants(const std::vector<std::pair<int, int>>& sections, Records* records) {
  auto section_of = [&](int page_no, int offset) {
    const std::pair<int, int> at{page_no, std::max(offset, 0)};
    return std::upper_bound(sections.begin(), sections.end(), at) - sections.begin();
  };
  for (ProjectRecord& p : records->projects) {
    if (p.participants.empty()) continue;
    const auto section = section_of(p.page_no, p.start_offset);
    std::map<std::string, std::string> named;  // code → name, in this section
    for (const MunicipalityRecord& m : records->municipalities)
      if (!m.code.empty() && m.kind != "prefecture" && section_of(m.page_no, m.start_offset) == section)
        named[m.code] = m.name;
    for (size_t start = 0; start <= p.participants.size();) {
      size_t end = p.participants.find(kParticipantSeparator, start);
      if (end == std::string::npos) end = p.participants.size();
      ProjectRecord::Participant participant;
      participant.abbreviation = p.participants.substr(start, end - start);
      int matches = 0;
      for (const auto& [code, name] : named) {
        if (participant.abbreviation.empty() || !name.starts_with(participant.abbreviation)) continue;
        if (++matches == 1) {
          participant.code = code;
          participant.name = name;
        }
      }
      if (matches == 1) {
        participant.rule_id = kSectionMember;
      } else {
        participant.code.clear();
        participant.name.clear();
      }
      if (!participant.abbreviation.empty()) p.participant_codes.push_back(std::move(participant));
      start = end + kParticipantSeparator.size();
    }
  }
}

}  // namespace

void ProjectExtractor::Impl::FromTables(Records* records) const {
  for (const TableRecord& t : records->tables) {
    std::map<std::pair<int, int>, const TableCell*> grid;
    for (const TableCell& c : t.cells) grid[{c.row, c.col}] = &c;
    auto at = [&](int row, int col) -> const TableCell* {
      auto it = grid.find({row, col});
      return it == grid.end() ? nullptr : it->second;
    };
    bool number_column = false, name_column = false;
    for (int col = 0; col < t.col_count; ++col) {
      if (const TableCell* c = at(0, col)) {
        number_column = number_column || RE2::FullMatch(c->text, *number_header);
        name_column = name_column || RE2::PartialMatch(c->text, *name_header);
      }
    }
    auto add = [&](ProjectRecord p, const TableCell& cell) {
      if (p.name.empty()) return;
      p.page_no = cell.page_no;
      p.start_offset = cell.start_offset;
      p.end_offset = cell.end_offset;
      records->projects.push_back(std::move(p));
    };
    if (number_column && name_column) {
      // A numbered list, however its columns are laid out.
      std::string field;
      for (int row = 1; row < t.row_count; ++row) {
        for (int col = 0; col < t.col_count; ++col) {
          const TableCell* c = at(row, col);
          if (!c) continue;
          if (std::string f = FieldOf(c->text); !f.empty()) {
            field = f;
            continue;
          }
          Groups g;
          if (const RoleRule* r = FirstMatch("numbered_cell", c->text, &g)) {
            ProjectRecord p = Project(g.count("name") ? g["name"] : g["rest"], r->id);
            p.number = std::stoi(g["number"]);
            p.field = field;
            add(std::move(p), *c);
          } else if (const RoleRule* r2 = FirstMatch("number_cell", c->text, &g)) {
            for (int next = col + 1; next < t.col_count; ++next) {
              const TableCell* name = at(row, next);
              if (!name) continue;
              Groups unused;
              // The cell after a number is its name, even one that starts with a digit
              // (6次産業化プロジェクト); a field label or another number is not.
              if (!FieldOf(name->text).empty() || FirstMatch("number_cell", name->text, &unused)) break;
              ProjectRecord p = Project(name->text, r2->id);
              p.number = std::stoi(g["number"]);
              p.field = field;
              add(std::move(p), *name);
              col = next;
              break;
            }
          }
        }
      }
      continue;
    }
    // Status or field labels in the first column, carried down over empty cells.
    int labelled = 0;
    for (int row = 0; row < t.row_count; ++row)
      if (const TableCell* c = at(row, 0); c && (!StatusOf(c->text).empty() || !FieldOf(c->text).empty())) ++labelled;
    if (labelled == 0 || t.col_count < 2) continue;
    std::string status, field;
    for (int row = 0; row < t.row_count; ++row) {
      if (const TableCell* c = at(row, 0)) {
        status = StatusOf(c->text);
        field = FieldOf(c->text);
      }
      const TableCell* name = at(row, 1);
      if (!name || (status.empty() && field.empty())) continue;
      ProjectRecord p = Project(name->text, status.empty() ? "field-table" : "status-table");
      if (!status.empty()) p.status = status;
      p.field = field;
      if (const TableCell* d = at(row, 2)) p.description = d->text;
      add(std::move(p), *name);
    }
  }
}

// `lines` are of every page, so that a heading at the foot of a page finds its
// description at the head of the next.
void ProjectExtractor::Impl::FromHeadings(const std::vector<TextLine>& lines, Records* records,
                                          std::vector<std::pair<int, int>>* sections) const {
  auto describes = [&](size_t next) {
    return next < lines.size() &&
           (FirstMatch("description", lines[next].text, nullptr) || Length(lines[next].text) >= description_length);
  };
  std::string area, field;
  auto add = [&](const TextLine& line, std::string written, const std::string& rule_id, size_t next) {
    ProjectRecord p = Project(written, rule_id);
    if (p.name.empty()) return;
    const std::u32string& text = line.page->text;
    p.page_no = line.page->page_no;
    p.field = field;
    p.area = area;
    const std::u32string name = DecodeUtf8(p.name);
    const size_t at = text.find(name, line.begin);
    if (at != std::u32string::npos && at + name.size() <= line.end) {
      p.start_offset = static_cast<int>(at);
      p.end_offset = static_cast<int>(at + name.size());
    } else {
      p.start_offset = static_cast<int>(line.begin);
      p.end_offset = static_cast<int>(line.end);
    }
    if (describes(next)) p.description = lines[next].text;
    records->projects.push_back(std::move(p));
  };
  for (size_t i = 0; i < lines.size(); ++i) {
    const std::string& line = lines[i].text;
    Groups g;
    if (FirstMatch("area", line, &g)) {
      area = g["area"];
      field.clear();
      sections->push_back({lines[i].page->page_no, static_cast<int>(lines[i].begin)});
      continue;
    }
    if (std::string f = FieldOf(line); !f.empty()) {
      field = f;
      continue;
    }
    if (FirstMatch("reset", line, &g)) {
      field.clear();
      continue;
    }
    if (const RoleRule* r = FirstMatch("heading", line, &g)) {
      // Only in a plan's own structure: a ■ note in a press release is not a project.
      if ((!area.empty() || !field.empty()) && !FirstMatch("not_heading", line, nullptr))
        add(lines[i], g.count("name") ? g["name"] : g["rest"], r->id, i + 1);
      continue;
    }
    if (field.empty() || Length(line) > max_length) continue;
    const RoleRule* r = FirstMatch("field_heading", line, &g);
    if (!r || FirstMatch("not_heading", line, nullptr)) continue;
    if (describes(i + 1) || FirstMatch("project_suffix", line, nullptr)) add(lines[i], g["name"], r->id, i + 1);
  }
}

ProjectExtractor::ProjectExtractor(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ProjectExtractor::~ProjectExtractor() = default;

std::unique_ptr<ProjectExtractor> ProjectExtractor::Create(const RuleFile& file, std::string* error) {
  auto impl = std::make_unique<Impl>();
  RE2::Options options;
  options.set_log_errors(false);
  auto compile = [&](const std::string& where, const std::string& pattern) -> std::unique_ptr<RE2> {
    auto re = std::make_unique<RE2>(pattern, options);
    if (!re->ok()) {
      *error = file.path.string() + ": " + where + ": " + re->error();
      return nullptr;
    }
    return re;
  };
  for (const auto& [table, target] : {std::pair<const char*, std::vector<Canonical>*>{"fields", &impl->fields},
                                      {"status", &impl->statuses}}) {
    for (const auto& [value, pattern] : file.Table(table)) {
      auto re = compile(std::string(table) + "." + value, pattern);
      if (!re) return nullptr;
      target->push_back({value, std::move(re)});
    }
  }
  if (!impl->rules.Compile(file,
                           {"area", "reset", "heading", "field_heading", "not_heading", "description",
                            "project_suffix", "rename", "numbered_cell", "number_cell", "marker"},
                           error))
    return nullptr;
  for (const RoleRule& r : impl->rules.rules())
    if (r.role == "marker") impl->markers.push_back(&r);
  const auto heading = file.Table("heading");
  if (auto it = heading.find("max_length"); it != heading.end()) impl->max_length = std::stoul(it->second);
  if (auto it = heading.find("description_length"); it != heading.end())
    impl->description_length = std::stoul(it->second);
  const auto table = file.Table("table");
  auto header = [&](const char* name, const char* fallback) {
    auto it = table.find(name);
    return compile(std::string("table.") + name, it == table.end() ? fallback : it->second);
  };
  impl->number_header = header("number_header", "^No\\.?$");
  impl->name_header = header("name_header", "事業");
  if (!impl->number_header || !impl->name_header) return nullptr;
  return std::unique_ptr<ProjectExtractor>(new ProjectExtractor(std::move(impl)));
}

void ProjectExtractor::Extract(const std::vector<TextLine>& lines, Records* records) const {
  impl_->FromTables(records);
  std::vector<std::pair<int, int>> sections;
  impl_->FromHeadings(lines, records, &sections);
  ResolveParticipants(sections, records);
}

}  // namespace kobun::extract
