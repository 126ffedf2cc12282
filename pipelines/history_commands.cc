// kobun diff and kobun export: the record history and the current records, read out.
#include <spdlog/spdlog.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>

#include "common/utf8.h"
#include "pipelines/commands.h"
#include "store/postgres.h"
#include "store/store.h"

namespace kobun::pipelines {
namespace {

using Json = nlohmann::ordered_json;

std::unique_ptr<store::Database> OpenExisting(const std::string& path, std::string* error) {
  if (!std::filesystem::exists(path)) {
    *error = "no database at " + path;
    return nullptr;
  }
  return store::Database::Open(path, error);
}

std::string Shorten(const std::string& text, size_t limit) {
  std::u32string cps = DecodeUtf8(text);
  if (cps.size() <= limit) return text;
  cps.resize(limit);
  return EncodeUtf8(cps) + "…";
}

std::string Show(const Json& value) {
  if (value.is_null()) return "null";
  if (!value.is_string()) return Shorten(value.dump(), 60);
  std::string quoted = "\"";
  quoted += Shorten(value.get<std::string>(), 60);
  quoted += '"';
  return quoted;
}

// A record in one line, for a person: what it says, in the fields that name it.
std::string Describe(const std::string& kind, const Json& r) {
  auto text = [&](const char* field) { return r.contains(field) && r[field].is_string() ? r[field].get<std::string>() : ""; };
  if (kind == "dates") {
    std::string value = text("start_date");
    if (!text("end_date").empty() && text("end_date") != value) value += "..." + text("end_date");
    return text("surface") + " → " + value + " (" + text("precision") + ")";
  }
  if (kind == "municipalities") return text("surface") + " → " + (text("code").empty() ? "?" : text("code")) + " " + text("name");
  if (kind == "areas") return text("surface") + " → area " + r.value("area_id", Json(0)).dump();
  if (kind == "tables")
    return std::to_string(r.value("rows", 0)) + "×" + std::to_string(r.value("cols", 0)) + " table";
  if (kind == "projects") return Shorten(text("name"), 50);
  if (kind == "agreements") return text("kind") + " " + Shorten(text("title"), 50);
  if (kind == "clauses") return text("path") + " " + Shorten(text("text"), 40);
  return Shorten(r.dump(), 60);
}

// The fields two versions of a record disagree on: field → {before, after}.
Json ChangedFields(const Json& before, const Json& after) {
  Json fields = Json::object();
  for (const auto& [name, value] : after.items()) {
    if (!before.contains(name) || before[name] != value)
      fields[name] = {{"before", before.contains(name) ? before[name] : Json(nullptr)}, {"after", value}};
  }
  for (const auto& [name, value] : before.items()) {
    if (!after.contains(name)) fields[name] = {{"before", value}, {"after", nullptr}};
  }
  return fields;
}

const store::RunInfo* FindRun(const std::vector<store::RunInfo>& runs, int64_t id) {
  for (const store::RunInfo& r : runs)
    if (r.id == id) return &r;
  return nullptr;
}

Json RunJson(const store::RunInfo& r) {
  return {{"id", r.id}, {"command", r.command}, {"started_at", r.started_at}, {"rules_version", r.rules_version},
          {"pipeline", r.pipeline}};
}

const char* ChangeName(const store::RecordChange& c) {
  return !c.before ? "added" : !c.after ? "removed" : "changed";
}

}  // namespace

int DiffCommand(const DiffOptions& options) {
  std::string error;
  std::unique_ptr<store::Database> db = OpenExisting(options.db_path, &error);
  std::vector<store::RunInfo> runs;
  if (!db || !db->GetRuns(&runs, &error)) {
    spdlog::error("{}", error);
    return kExitUsage;
  }
  int64_t run_b = options.run_b, run_a = options.run_a;
  if (run_b == 0) run_b = runs.empty() ? 0 : runs.back().id;
  if (run_a == 0) {
    for (const store::RunInfo& r : runs)
      if (r.id < run_b) run_a = r.id;
  }
  const store::RunInfo* a = FindRun(runs, run_a);
  const store::RunInfo* b = FindRun(runs, run_b);
  if (!a || !b) {
    spdlog::error("no run {} in {} (runs: {}–{}); `kobun diff RUN_A RUN_B` compares two runs",
                  !a ? run_a : run_b, options.db_path, runs.empty() ? 0 : runs.front().id,
                  runs.empty() ? 0 : runs.back().id);
    return kExitUsage;
  }
  std::vector<store::RecordChange> changes;
  if (!db->Diff(run_a, run_b, &changes, &error)) {
    spdlog::error("{}", error);
    return kExitSomeFailed;
  }

  // Totals per kind and per kind and rule: the rule of the record as run_b has it, or of
  // the removed record.
  Json by_kind = Json::object(), by_rule = Json::object();
  for (const store::RecordChange& c : changes) {
    const std::string rule = c.after ? c.after->rule_id : c.before->rule_id;
    for (Json* totals : {&by_kind[c.kind], &by_rule[c.kind][rule.empty() ? "-" : rule]}) {
      if (totals->is_null()) *totals = {{"added", 0}, {"removed", 0}, {"changed", 0}};
      (*totals)[ChangeName(c)] = (*totals)[ChangeName(c)].get<int>() + 1;
    }
  }

  if (options.json) {
    Json documents = Json::array();
    for (const store::RecordChange& c : changes) {
      if (documents.empty() || documents.back()["document_id"] != c.document_id)
        documents.push_back({{"document_id", c.document_id}, {"source_path", c.source_path}, {"changes", Json::array()}});
      Json change = {{"kind", c.kind}, {"change", ChangeName(c)}};
      const store::RecordVersion& now = c.after ? *c.after : *c.before;
      change["key"] = now.key;
      if (c.before && c.after && c.before->key != c.after->key) change["before_key"] = c.before->key;
      change["locus"] = now.locus;
      change["rule_id"] = now.rule_id;
      if (c.before && c.after) {
        const Json before = Json::parse(c.before->body), after = Json::parse(c.after->body);
        change["fields"] = ChangedFields(before, after);
        change["before"] = before;
        change["after"] = after;
      } else {
        change["record"] = Json::parse(now.body);
      }
      documents.back()["changes"].push_back(std::move(change));
    }
    const Json out = {{"run_a", RunJson(*a)},   {"run_b", RunJson(*b)},   {"changes", changes.size()},
                      {"by_kind", by_kind},     {"by_rule", by_rule},     {"documents", documents}};
    std::cout << out.dump(2) << "\n";
    return kExitOk;
  }

  std::cout << "run " << a->id << " (" << a->command << ", rules " << a->rules_version << ") → run " << b->id << " ("
            << b->command << ", rules " << b->rules_version << "): " << changes.size() << " records differ\n";
  for (const auto& [kind, totals] : by_kind.items()) {
    std::cout << "  " << kind << ": +" << totals["added"] << " -" << totals["removed"] << " ~" << totals["changed"];
    std::string rules;
    for (const auto& [rule, t] : by_rule[kind].items()) {
      rules += (rules.empty() ? "" : ", ") + rule + " +" + t["added"].dump() + " -" + t["removed"].dump() + " ~" +
               t["changed"].dump();
    }
    std::cout << "  (" << rules << ")\n";
  }
  int64_t document = -1;
  for (const store::RecordChange& c : changes) {
    if (c.document_id != document) {
      document = c.document_id;
      std::cout << "\n" << c.source_path << " (document " << c.document_id << ")\n";
    }
    const store::RecordVersion& now = c.after ? *c.after : *c.before;
    const char mark = !c.before ? '+' : !c.after ? '-' : '~';
    std::cout << "  " << mark << " " << c.kind << " " << now.locus << "  " << Describe(c.kind, Json::parse(now.body))
              << "  [" << now.rule_id << "]\n";
    if (c.before && c.after) {
      const Json fields = ChangedFields(Json::parse(c.before->body), Json::parse(c.after->body));
      for (const auto& [field, values] : fields.items())
        std::cout << "      " << field << ": " << Show(values["before"]) << " → " << Show(values["after"]) << "\n";
    }
  }
  return kExitOk;
}

namespace {

// RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled.
std::string CsvField(const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string CsvValue(const Json& value) {
  if (value.is_null()) return "";
  if (value.is_string()) return CsvField(value.get<std::string>());
  return CsvField(value.dump());  // numbers, true/false; lists and objects as JSON
}

}  // namespace

int ExportCommand(const ExportOptions& options) {
  std::string error;
  const std::vector<std::string>& kinds = store::RecordKinds();
  if (!options.kind.empty() && std::find(kinds.begin(), kinds.end(), options.kind) == kinds.end()) {
    spdlog::error("--kind {}: not a record kind (dates, municipalities, areas, tables, projects, agreements, clauses)",
                  options.kind);
    return kExitUsage;
  }
  if (options.format == "csv" && options.kind.empty()) {
    spdlog::error("--format csv needs --kind: each kind has its own columns");
    return kExitUsage;
  }
  std::unique_ptr<store::Database> db = OpenExisting(options.db_path, &error);
  if (!db) {
    spdlog::error("{}", error);
    return kExitUsage;
  }

  // Written beside the destination and renamed into place when complete, so that a
  // failed export never leaves a truncated file where a good one was.
  const bool to_stdout = options.output_path.empty() || options.output_path == "-";
  const std::string partial = options.output_path + ".partial";
  std::ofstream file;
  if (!to_stdout) {
    file.open(partial, std::ios::binary | std::ios::trunc);
    if (!file) {
      spdlog::error("cannot write {}", partial);
      return kExitSomeFailed;
    }
  }
  std::ostream& out = to_stdout ? std::cout : file;

  int64_t written = 0;
  if (options.format == "csv") {
    const std::vector<std::string>& fields = store::RecordFields(options.kind);
    out << "key,document_id,source_path,document_sha256,run,rules_version";
    for (const std::string& f : fields) out << ',' << f;
    out << "\r\n";
    if (!db->ForEachCurrentRecord(options.kind, options.since_run, [&](const store::ExportedRecord& r) {
          const Json body = Json::parse(r.body);
          out << r.key << ',' << r.document_id << ',' << CsvField(r.source_path) << ',' << r.document_sha256 << ','
              << r.run_id << ',' << r.rules_version;
          for (const std::string& f : fields) out << ',' << CsvValue(body.contains(f) ? body[f] : Json(nullptr));
          out << "\r\n";
          ++written;
        }, &error)) {
      spdlog::error("{}", error);
      return kExitSomeFailed;
    }
  } else {
    if (!db->ForEachCurrentRecord(options.kind, options.since_run, [&](const store::ExportedRecord& r) {
          const Json line = {{"key", r.key},
                             {"kind", r.kind},
                             {"document", {{"id", r.document_id}, {"source_path", r.source_path}, {"sha256", r.document_sha256}}},
                             {"run", r.run_id},
                             {"rules_version", r.rules_version},
                             {"record", Json::parse(r.body)}};
          out << line.dump() << '\n';
          ++written;
        }, &error)) {
      spdlog::error("{}", error);
      return kExitSomeFailed;
    }
  }
  out.flush();
  if (!out) {
    spdlog::error("writing {} failed", to_stdout ? "standard output" : partial);
    return kExitSomeFailed;
  }
  if (!to_stdout) {
    file.close();
    std::error_code ec;
    std::filesystem::rename(partial, options.output_path, ec);
    if (ec) {
      spdlog::error("cannot move {} to {}: {}", partial, options.output_path, ec.message());
      return kExitSomeFailed;
    }
  }
  spdlog::info("exported {} records{}", written, to_stdout ? "" : " to " + options.output_path);
  return kExitOk;
}

}  // namespace kobun::pipelines

namespace kobun::pipelines {

int PushCommand(const PushOptions& options) {
  std::string error;
  std::unique_ptr<store::Database> db = OpenExisting(options.db_path, &error);
  if (!db) {
    spdlog::error("{}", error);
    return kExitUsage;
  }
  store::PushCounts counts;
  if (!store::PushToPostgres(*db, options.conninfo, options.schema, &counts, &error)) {
    spdlog::error("push to PostgreSQL failed, nothing changed there: {}", error);
    return kExitSomeFailed;
  }
  spdlog::info("pushed {} documents and {} records to schema {}: {} inserted, {} updated, {} deleted",
               counts.documents, counts.records, options.schema, counts.inserted, counts.updated, counts.deleted);
  return kExitOk;
}

}  // namespace kobun::pipelines
