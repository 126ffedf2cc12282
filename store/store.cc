#include "store/store.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <map>
#include <set>
#include <unordered_map>
#include <nlohmann/json.hpp>

#include "store/schema.h"

namespace kobun::store {
namespace {

std::string NowUtc() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buffer;
}

std::string JoinLines(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& line : lines) {
    if (!out.empty()) out += '\n';
    out += line;
  }
  return out;
}

// Text is bound in place (bindNoCopy), read by the statement until it is stepped: the
// values live in the records for as long, and copying every one took a seventh of the
// writer's time. A temporary does not compile.
void BindText(SQLite::Statement& statement, int index, const std::string& value) { statement.bindNoCopy(index, value); }
void BindText(SQLite::Statement& statement, int index, std::string&& value) = delete;

// Empty text is stored as NULL: "not found", not "found empty".
void BindTextOrNull(SQLite::Statement& statement, int index, const std::string& value) {
  if (value.empty()) statement.bind(index); else statement.bindNoCopy(index, value);
}
void BindTextOrNull(SQLite::Statement& statement, int index, std::string&& value) = delete;

// The statements a connection writes documents with, prepared once: preparing the
// twenty or so that one document's rows need took a sixth of the writer's time.
class Statements {
 public:
  explicit Statements(SQLite::Database& db) : db_(db) {}
  SQLite::Database& db() { return db_; }

  // The statement for `sql`, reset and unbound for a new use. A statement in use must
  // not be asked for again.
  SQLite::Statement& Get(const std::string& sql) {
    std::unique_ptr<SQLite::Statement>& statement = cache_[sql];
    if (!statement) {
      statement = std::make_unique<SQLite::Statement>(db_, sql);
    } else {
      statement->tryReset();  // an error of its last use was reported then
      statement->clearBindings();  // no text of the last use is read again
    }
    return *statement;
  }

 private:
  SQLite::Database& db_;
  std::unordered_map<std::string, std::unique_ptr<SQLite::Statement>> cache_;
};

// The Insert functions write one kind's rows; keys come from KeyRecords, in order.
void InsertDates(Statements& st, int64_t document_id, int64_t run_id, const extract::Records& records,
                 const KeyedRecords& keyed) {
  SQLite::Statement& date = st.Get("INSERT INTO dates(document_id, run_id, page_no, start_offset, end_offset, surface, start_date,"
                         " end_date, precision, inferred, weekday_mismatch, impossible, rule_id, record_key)"
                         " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
  const std::vector<std::string>& keys = keyed.keys.at("dates");
  for (size_t i = 0; i < records.dates.size(); ++i) {
    const extract::DateRecord& d = records.dates[i];
    date.bind(1, document_id);
    date.bind(2, run_id);
    date.bind(3, d.page_no);
    date.bind(4, d.start_offset);
    date.bind(5, d.end_offset);
    BindText(date, 6, d.surface);
    BindText(date, 7, d.start_date);
    BindText(date, 8, d.end_date);
    BindText(date, 9, d.precision);
    date.bind(10, d.inferred ? 1 : 0);
    date.bind(11, d.weekday_mismatch ? 1 : 0);
    date.bind(12, d.impossible ? 1 : 0);
    BindText(date, 13, d.rule_id);
    BindText(date, 14, keys[i]);
    date.exec();
    date.reset();
  }
}

void InsertPlaces(Statements& st, int64_t document_id, int64_t run_id, const extract::Records& records,
                  const KeyedRecords& keyed) {
  SQLite::Statement& mention = st.Get("INSERT INTO municipality_mentions(document_id, run_id, page_no, start_offset, end_offset,"
                            " surface, code, name, prefecture, kind, resolution, successor_code, rule_id, record_key)"
                            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
  const std::vector<std::string>& mention_keys = keyed.keys.at("municipalities");
  for (size_t i = 0; i < records.municipalities.size(); ++i) {
    const extract::MunicipalityRecord& m = records.municipalities[i];
    mention.bind(1, document_id);
    mention.bind(2, run_id);
    mention.bind(3, m.page_no);
    mention.bind(4, m.start_offset);
    mention.bind(5, m.end_offset);
    BindText(mention, 6, m.surface);
    BindTextOrNull(mention, 7, m.code);
    BindText(mention, 8, m.name);
    BindTextOrNull(mention, 9, m.prefecture);
    BindText(mention, 10, m.kind);
    BindText(mention, 11, m.resolution);
    BindTextOrNull(mention, 12, m.successor_code);
    BindText(mention, 13, m.rule_id);
    BindText(mention, 14, mention_keys[i]);
    mention.exec();
    mention.reset();
  }
  SQLite::Statement& area = st.Get("INSERT INTO document_areas(document_id, run_id, area_id, page_no, start_offset, end_offset,"
                         " surface, record_key) VALUES (?,?,?,?,?,?,?,?)");
  const std::vector<std::string>& area_keys = keyed.keys.at("areas");
  for (size_t i = 0; i < records.areas.size(); ++i) {
    const extract::AreaRecord& a = records.areas[i];
    area.bind(1, document_id);
    area.bind(2, run_id);
    area.bind(3, a.area_id);
    area.bind(4, a.page_no);
    area.bind(5, a.start_offset);
    area.bind(6, a.end_offset);
    BindText(area, 7, a.surface);
    BindText(area, 8, area_keys[i]);
    area.exec();
    area.reset();
  }
}

void InsertProjects(Statements& st, int64_t document_id, int64_t run_id, const extract::Records& records,
                    const KeyedRecords& keyed) {
  SQLite::Statement& insert = st.Get("INSERT INTO projects(document_id, run_id, page_no, start_offset, end_offset, number, name,"
                           " status, field, area, description, cross_reference, participants, rule_id, record_key)"
                           " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
  SQLite::Statement& participant = st.Get("INSERT INTO project_participants(project_id, position, abbreviation, code, name, rule_id)"
                                " VALUES (?,?,?,?,?,?)");
  const std::vector<std::string>& keys = keyed.keys.at("projects");
  for (size_t i = 0; i < records.projects.size(); ++i) {
    const extract::ProjectRecord& p = records.projects[i];
    insert.bind(1, document_id);
    insert.bind(2, run_id);
    insert.bind(3, p.page_no);
    insert.bind(4, p.start_offset);
    insert.bind(5, p.end_offset);
    if (p.number > 0) insert.bind(6, p.number); else insert.bind(6);
    BindText(insert, 7, p.name);
    BindTextOrNull(insert, 8, p.status);
    BindTextOrNull(insert, 9, p.field);
    BindTextOrNull(insert, 10, p.area);
    BindTextOrNull(insert, 11, p.description);
    BindTextOrNull(insert, 12, p.cross_reference);
    BindTextOrNull(insert, 13, p.participants);
    BindText(insert, 14, p.rule_id);
    BindText(insert, 15, keys[i]);
    insert.exec();
    insert.reset();
    const int64_t project_id = st.db().getLastInsertRowid();
    int position = 0;
    for (const extract::ProjectRecord::Participant& m : p.participant_codes) {
      participant.bind(1, project_id);
      participant.bind(2, ++position);
      BindText(participant, 3, m.abbreviation);
      BindTextOrNull(participant, 4, m.code);
      BindTextOrNull(participant, 5, m.name);
      BindTextOrNull(participant, 6, m.rule_id);
      participant.exec();
      participant.reset();
    }
  }
}

// Returns the new rows' ids, in the order of records.tables.
std::vector<int64_t> InsertTables(Statements& st, int64_t document_id, int64_t run_id,
                                  const extract::Records& records, const KeyedRecords& keyed) {
  std::vector<int64_t> ids;
  SQLite::Statement& table = st.Get("INSERT INTO tables(document_id, run_id, first_page, last_page, row_count, col_count,"
                          " x0, y0, x1, y1, rule_id, record_key) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)");
  SQLite::Statement& cell = st.Get("INSERT INTO table_cells(table_id, row_no, col_no, text, is_header, page_no, start_offset,"
                         " end_offset) VALUES (?,?,?,?,?,?,?,?)");
  const std::vector<std::string>& keys = keyed.keys.at("tables");
  for (size_t i = 0; i < records.tables.size(); ++i) {
    const extract::TableRecord& t = records.tables[i];
    table.bind(1, document_id);
    table.bind(2, run_id);
    table.bind(3, t.first_page);
    table.bind(4, t.last_page);
    table.bind(5, t.row_count);
    table.bind(6, t.col_count);
    if (t.x1 > 0) {
      table.bind(7, t.x0);
      table.bind(8, t.y0);
      table.bind(9, t.x1);
      table.bind(10, t.y1);
    } else {
      for (int i = 7; i <= 10; ++i) table.bind(i);
    }
    BindText(table, 11, t.rule_id);
    BindText(table, 12, keys[i]);
    table.exec();
    table.reset();
    const int64_t table_id = st.db().getLastInsertRowid();
    ids.push_back(table_id);
    for (const extract::TableCell& c : t.cells) {
      cell.bind(1, table_id);
      cell.bind(2, c.row);
      cell.bind(3, c.col);
      BindText(cell, 4, c.text);
      cell.bind(5, c.is_header ? 1 : 0);
      cell.bind(6, c.page_no);
      if (c.start_offset >= 0) {
        cell.bind(7, c.start_offset);
        cell.bind(8, c.end_offset);
      } else {
        cell.bind(7);
        cell.bind(8);
      }
      cell.exec();
      cell.reset();
    }
  }
  return ids;
}

void InsertAgreements(Statements& st, int64_t document_id, int64_t run_id, const extract::Records& records,
                      const KeyedRecords& keyed, const std::vector<int64_t>& table_ids) {
  SQLite::Statement& agreement = st.Get("INSERT INTO agreements(document_id, run_id, page_no, start_offset, end_offset, kind,"
                              " title, concluded_on, legal_basis, amended_content, rule_id, record_key)"
                              " VALUES (?,?,?,?,?,?,?,?,?,?,?,?)");
  SQLite::Statement& party = st.Get("INSERT INTO agreement_parties(agreement_id, code, name, alias, signatory) VALUES (?,?,?,?,?)");
  SQLite::Statement& clause = st.Get("INSERT INTO clauses(agreement_id, path, part, article, article_sub, heading, paragraph,"
                           " item, subitem, text, page_no, start_offset, end_offset, rule_id, record_key)"
                           " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
  SQLite::Statement& appendix = st.Get("INSERT INTO agreement_appendices(agreement_id, label, table_id) VALUES (?,?,?)");
  auto int_or_null = [](SQLite::Statement& statement, int index, int value) {
    if (value > 0) statement.bind(index, value); else statement.bind(index);
  };
  const std::vector<std::string>& agreement_keys = keyed.keys.at("agreements");
  const std::vector<std::string>& clause_keys = keyed.keys.at("clauses");
  size_t clause_index = 0;
  for (size_t i = 0; i < records.agreements.size(); ++i) {
    const extract::AgreementRecord& a = records.agreements[i];
    agreement.bind(1, document_id);
    agreement.bind(2, run_id);
    agreement.bind(3, a.page_no);
    agreement.bind(4, a.start_offset);
    agreement.bind(5, a.end_offset);
    BindText(agreement, 6, a.kind);
    BindTextOrNull(agreement, 7, a.title);
    BindTextOrNull(agreement, 8, a.concluded_on);
    BindTextOrNull(agreement, 9, a.legal_basis);
    BindTextOrNull(agreement, 10, a.amended_content);
    agreement.bind(11, a.rule_id.empty() ? std::string("structure") : a.rule_id);
    BindText(agreement, 12, agreement_keys[i]);
    agreement.exec();
    agreement.reset();
    const int64_t agreement_id = st.db().getLastInsertRowid();
    for (const extract::AgreementParty& p : a.parties) {
      party.bind(1, agreement_id);
      BindText(party, 2, p.code);
      BindTextOrNull(party, 3, p.name);
      BindTextOrNull(party, 4, p.alias);
      BindTextOrNull(party, 5, p.signatory);
      party.exec();
      party.reset();
    }
    for (const extract::ClauseRecord& c : a.clauses) {
      clause.bind(1, agreement_id);
      BindText(clause, 2, c.path);
      BindText(clause, 3, c.part);
      int_or_null(clause, 4, c.article);
      int_or_null(clause, 5, c.article_sub);
      BindTextOrNull(clause, 6, c.heading);
      int_or_null(clause, 7, c.paragraph);
      BindTextOrNull(clause, 8, c.item);
      BindTextOrNull(clause, 9, c.subitem);
      BindText(clause, 10, c.text);
      clause.bind(11, c.page_no);
      clause.bind(12, c.start_offset);
      clause.bind(13, c.end_offset);
      BindText(clause, 14, c.rule_id);
      BindText(clause, 15, clause_keys[clause_index++]);
      clause.exec();
      clause.reset();
    }
    for (const extract::AgreementRecord::Appendix& x : a.appendices) {
      auto insert = [&](const int64_t* table_id) {
        appendix.bind(1, agreement_id);
        BindText(appendix, 2, x.label);
        if (table_id) appendix.bind(3, *table_id); else appendix.bind(3);
        appendix.exec();
        appendix.reset();
      };
      if (x.tables.empty()) insert(nullptr);
      for (int t : x.tables) insert(table_ids.at(t) > 0 ? &table_ids.at(t) : nullptr);
    }
  }
}


// Record kinds that go together: the areas a document names come from the municipality
// rules; clauses hang on their agreements, and an agreement's 別表 on tables. Replacing
// one replaces the others with it.
std::set<std::string> WithDependents(std::set<std::string> kinds) {
  if (kinds.count("municipalities") || kinds.count("areas")) {
    kinds.insert("municipalities");
    kinds.insert("areas");
  }
  if (kinds.count("tables")) kinds.insert("agreements");
  if (kinds.count("agreements") || kinds.count("clauses")) {
    kinds.insert("agreements");
    kinds.insert("clauses");
  }
  return kinds;
}

// Brings the document's record_versions of `kinds` up to date with `keyed`: a record
// new or changed gets a version added by `run_id`; one no longer found has its version
// closed by it. Runs inside the caller's transaction.
VersionCounts UpdateVersions(Statements& st, int64_t run_id, int64_t document_id, const KeyedRecords& keyed,
                             const std::set<std::string>& kinds) {
  VersionCounts counts;

  std::map<std::pair<std::string, std::string>, std::pair<int64_t, std::string>> current;  // (kind, key) → (id, body)
  SQLite::Statement& open = st.Get("SELECT id, kind, record_key, body FROM record_versions"
                             " WHERE document_id = ? AND removed_run IS NULL");
  open.bind(1, document_id);
  while (open.executeStep()) {
    std::string kind = open.getColumn(1).getString();
    if (!kinds.count(kind)) continue;
    current[{std::move(kind), open.getColumn(2).getString()}] = {open.getColumn(0).getInt64(),
                                                                 open.getColumn(3).getString()};
  }
  SQLite::Statement& close = st.Get("UPDATE record_versions SET removed_run = ? WHERE id = ?");
  auto close_version = [&](int64_t id) {
    close.bind(1, run_id);
    close.bind(2, id);
    close.exec();
    close.reset();
  };
  SQLite::Statement& add = st.Get("INSERT INTO record_versions(document_id, kind, record_key, locus, rule_id, body, added_run)"
                            " VALUES (?,?,?,?,?,?,?)");
  for (const KeyedRecord& r : keyed.all) {
    if (!kinds.count(r.kind)) continue;
    auto it = current.find({r.kind, r.key});
    if (it != current.end()) {
      const bool same = it->second.second == r.body;
      if (!same) close_version(it->second.first);
      current.erase(it);
      if (same) {
        ++counts.unchanged;
        continue;
      }
      ++counts.changed;
    } else {
      ++counts.added;
    }
    add.bind(1, document_id);
    BindText(add, 2, r.kind);
    BindText(add, 3, r.key);
    BindText(add, 4, r.locus);
    BindTextOrNull(add, 5, r.rule_id);
    BindText(add, 6, r.body);
    add.bind(7, run_id);
    add.exec();
    add.reset();
  }
  for (const auto& [kind_key, version] : current) {
    close_version(version.first);
    ++counts.removed;
  }
  return counts;
}

// Makes the document's rows of `kinds` hold `records`. Runs inside the caller's
// transaction.
void WriteRows(Statements& st, int64_t run_id, int64_t document_id, const extract::Records& records,
               const KeyedRecords& keyed, const std::set<std::string>& kinds) {
  static const std::vector<std::pair<std::string, std::string>> kTables = {
      {"dates", "dates"},   {"municipalities", "municipality_mentions"}, {"areas", "document_areas"},
      {"tables", "tables"}, {"projects", "projects"},                    {"agreements", "agreements"}};
  for (const auto& [kind, table] : kTables) {
    if (!kinds.count(kind)) continue;
    SQLite::Statement& remove = st.Get("DELETE FROM " + table + " WHERE document_id = ?");
    remove.bind(1, document_id);
    remove.exec();
  }
  if (kinds.count("dates")) {
    SQLite::Statement& issued = st.Get("UPDATE documents SET issued_on = ? WHERE id = ?");
    BindTextOrNull(issued, 1, records.issued_on);
    issued.bind(2, document_id);
    issued.exec();
  }
  if (kinds.count("dates")) InsertDates(st, document_id, run_id, records, keyed);
  if (kinds.count("municipalities")) InsertPlaces(st, document_id, run_id, records, keyed);
  std::vector<int64_t> table_ids;
  if (kinds.count("tables")) {
    table_ids = InsertTables(st, document_id, run_id, records, keyed);
  } else {
    // The agreements' 別表 point at the tables already stored, found by key.
    std::map<std::string, int64_t> by_key;
    SQLite::Statement& stored = st.Get("SELECT record_key, id FROM tables WHERE document_id = ? AND record_key IS NOT NULL");
    stored.bind(1, document_id);
    while (stored.executeStep()) by_key[stored.getColumn(0).getString()] = stored.getColumn(1).getInt64();
    for (const std::string& key : keyed.keys.at("tables")) {
      auto it = by_key.find(key);
      table_ids.push_back(it == by_key.end() ? 0 : it->second);
    }
  }
  if (kinds.count("projects")) InsertProjects(st, document_id, run_id, records, keyed);
  if (kinds.count("agreements")) InsertAgreements(st, document_id, run_id, records, keyed, table_ids);
}

}  // namespace

int CurrentSchemaVersion() { return static_cast<int>(Migrations().size()); }

struct Database::Impl {
  explicit Impl(const std::string& path)
      : db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLite::OPEN_FULLMUTEX) {}
  SQLite::Database db;
  Statements statements{db};  // after db: finalized before it closes
};

Database::Database(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Database::~Database() = default;

std::unique_ptr<Database> Database::Open(const std::string& path, std::string* error) {
  try {
    auto impl = std::make_unique<Impl>(path);
    SQLite::Database& db = impl->db;
    db.setBusyTimeout(5000);
    db.exec("PRAGMA journal_mode = WAL");
    db.exec("PRAGMA synchronous = NORMAL");
    db.exec("PRAGMA foreign_keys = ON");
    int version = db.execAndGet("PRAGMA user_version").getInt();
    const int target = CurrentSchemaVersion();
    if (version > target) {
      *error = path + " has schema version " + std::to_string(version) + ", newer than this kobun (" +
               std::to_string(target) + "); use a newer kobun";
      return nullptr;
    }
    while (version < target) {
      SQLite::Transaction tx(db);
      db.exec(std::string(Migrations()[version]));
      ++version;
      db.exec("PRAGMA user_version = " + std::to_string(version));
      tx.commit();
    }
    return std::unique_ptr<Database>(new Database(std::move(impl)));
  } catch (const std::exception& e) {
    *error = "cannot open database " + path + ": " + e.what();
    return nullptr;
  }
}

int Database::SchemaVersion() { return impl_->db.execAndGet("PRAGMA user_version").getInt(); }

std::unordered_set<std::string> Database::KnownHashes() {
  std::unordered_set<std::string> hashes;
  SQLite::Statement q(impl_->db, "SELECT sha256 FROM documents");
  while (q.executeStep()) hashes.insert(q.getColumn(0).getString());
  return hashes;
}

bool Database::BeginRun(const std::string& command, const std::string& rules_version, const std::string& pipeline,
                        int64_t* run_id, std::string* error) {
  try {
    SQLite::Statement insert(impl_->db,
                             "INSERT INTO runs(started_at, rules_version, pipeline, command) VALUES (?, ?, ?, ?)");
    insert.bind(1, NowUtc());
    insert.bind(2, rules_version);
    insert.bind(3, pipeline);
    insert.bind(4, command);
    insert.exec();
    *run_id = impl_->db.getLastInsertRowid();
    return true;
  } catch (const std::exception& e) {
    *error = std::string("cannot start a run: ") + e.what();
    return false;
  }
}

bool Database::FinishRun(int64_t run_id, const RunCounts& counts, std::string* error) {
  try {
    const nlohmann::json json = {{"documents_added", counts.documents_added},
                                 {"documents_unchanged", counts.documents_unchanged},
                                 {"files_failed", counts.files_failed},
                                 {"files_skipped", counts.files_skipped},
                                 {"pages_added", counts.pages_added},
                                 {"documents_extracted", counts.documents_extracted},
                                 {"records",
                                  {{"added", counts.records.added},
                                   {"removed", counts.records.removed},
                                   {"changed", counts.records.changed},
                                   {"unchanged", counts.records.unchanged}}},
                                 {"seconds",
                                  {{"read", counts.read_seconds},
                                   {"ingest", counts.ingest_seconds},
                                   {"normalize", counts.normalize_seconds},
                                   {"extract_dates", counts.extract_seconds.dates},
                                   {"extract_municipalities", counts.extract_seconds.municipalities},
                                   {"extract_tables", counts.extract_seconds.tables},
                                   {"extract_projects", counts.extract_seconds.projects},
                                   {"extract_agreements", counts.extract_seconds.agreements},
                                   {"store", counts.store_seconds}}}};
    SQLite::Statement update(impl_->db, "UPDATE runs SET finished_at = ?, counts = ? WHERE id = ?");
    update.bind(1, NowUtc());
    update.bind(2, json.dump());
    update.bind(3, run_id);
    update.exec();
    return true;
  } catch (const std::exception& e) {
    *error = std::string("cannot finish run: ") + e.what();
    return false;
  }
}

bool Database::AddDocument(int64_t run_id, const DocumentRecord& doc, bool replace, int64_t* id, bool* added,
                           std::string* error) {
  return AddDocument(run_id, doc, KeyRecords(doc.sha256, doc.records), replace, id, added, error);
}

bool Database::AddDocument(int64_t run_id, const DocumentRecord& doc, const KeyedRecords& keyed, bool replace,
                           int64_t* id, bool* added, std::string* error) {
  if (keyed.document_sha256 != doc.sha256) {
    *error = "records keyed for another document";
    return false;
  }
  *added = false;
  try {
    SQLite::Database& db = impl_->db;
    Statements& st = impl_->statements;
    SQLite::Transaction tx(db);
    SQLite::Statement& existing = st.Get("SELECT id FROM documents WHERE sha256 = ?");
    BindText(existing, 1, doc.sha256);
    const bool exists = existing.executeStep();
    if (exists) *id = existing.getColumn(0).getInt64();
    existing.tryReset();  // a statement kept open would keep its read transaction
    if (exists && !replace) return true;  // the transaction rolls back: nothing was written
    if (exists) {
      // Read again: the same document (and id, so its record history goes on), new pages.
      SQLite::Statement& update = st.Get("UPDATE documents SET source_path = ?, media_type = ?, encoding = ?, page_count = ?,"
                               " title = ?, warnings = ?, run_id = ?, ingested_at = ? WHERE id = ?");
      BindText(update, 1, doc.source_path);
      BindText(update, 2, doc.media_type);
      BindTextOrNull(update, 3, doc.encoding);
      update.bind(4, static_cast<int>(doc.pages.size()));
      BindTextOrNull(update, 5, doc.title);
      const std::string warnings = JoinLines(doc.warnings);
      BindTextOrNull(update, 6, warnings);
      update.bind(7, run_id);
      update.bind(8, NowUtc());
      update.bind(9, *id);
      update.exec();
      SQLite::Statement& remove = st.Get("DELETE FROM pages WHERE document_id = ?");
      remove.bind(1, *id);
      remove.exec();
    } else {
      SQLite::Statement& version = st.Get("SELECT COALESCE(MAX(version), 0) + 1 FROM documents WHERE source_path = ?");
      BindText(version, 1, doc.source_path);
      version.executeStep();
      const int next_version = version.getColumn(0).getInt();
      version.tryReset();

      SQLite::Statement& insert = st.Get("INSERT INTO documents(source_path, sha256, media_type, encoding, page_count, title,"
                               " warnings, version, run_id, ingested_at) VALUES (?,?,?,?,?,?,?,?,?,?)");
      BindText(insert, 1, doc.source_path);
      BindText(insert, 2, doc.sha256);
      BindText(insert, 3, doc.media_type);
      BindTextOrNull(insert, 4, doc.encoding);
      insert.bind(5, static_cast<int>(doc.pages.size()));
      BindTextOrNull(insert, 6, doc.title);
      const std::string warnings = JoinLines(doc.warnings);
      BindTextOrNull(insert, 7, warnings);
      insert.bind(8, next_version);
      insert.bind(9, run_id);
      insert.bind(10, NowUtc());
      insert.exec();
      *id = db.getLastInsertRowid();

      // The earlier versions of this path stop being current, and so do their records.
      SQLite::Statement& supersede = st.Get("UPDATE documents SET superseded_by = ? WHERE source_path = ? AND id <> ?"
                                  " AND superseded_by IS NULL RETURNING id");
      supersede.bind(1, *id);
      BindText(supersede, 2, doc.source_path);
      supersede.bind(3, *id);
      std::vector<int64_t> superseded;
      while (supersede.executeStep()) superseded.push_back(supersede.getColumn(0).getInt64());
      SQLite::Statement& close = st.Get("UPDATE record_versions SET removed_run = ? WHERE document_id = ?"
                                  " AND removed_run IS NULL");
      for (int64_t old_id : superseded) {
        close.bind(1, run_id);
        close.bind(2, old_id);
        close.exec();
        close.reset();
      }
    }

    SQLite::Statement& page = st.Get("INSERT INTO pages(document_id, page_no, raw_text, text, offset_map, width, height, boxes,"
                           " rules) VALUES (?,?,?,?,?,?,?,?,?)");
    for (const PageRecord& p : doc.pages) {
      page.bind(1, *id);
      page.bind(2, p.page_no);
      BindText(page, 3, p.raw_text);
      BindText(page, 4, p.text);
      page.bindNoCopy(5, p.offset_map.data(), static_cast<int>(p.offset_map.size()));
      if (p.width > 0) page.bind(6, p.width); else page.bind(6);
      if (p.height > 0) page.bind(7, p.height); else page.bind(7);
      if (p.boxes.empty()) page.bind(8); else page.bindNoCopy(8, p.boxes.data(), static_cast<int>(p.boxes.size()));
      if (p.rules.empty()) page.bind(9); else page.bindNoCopy(9, p.rules.data(), static_cast<int>(p.rules.size()));
      page.exec();
      page.reset();
    }
    const std::set<std::string> kinds(RecordKinds().begin(), RecordKinds().end());
    UpdateVersions(st, run_id, *id, keyed, kinds);
    WriteRows(st, run_id, *id, doc.records, keyed, kinds);
    tx.commit();
    *added = true;
    return true;
  } catch (const std::exception& e) {
    *error = e.what();
    return false;
  }
}

bool Database::ReplaceRecords(int64_t run_id, int64_t document_id, const extract::Records& records,
                              const std::set<std::string>& kinds, VersionCounts* counts, std::string* error) {
  std::string sha256;
  try {
    SQLite::Statement sha(impl_->db, "SELECT sha256 FROM documents WHERE id = ?");
    sha.bind(1, document_id);
    if (sha.executeStep()) sha256 = sha.getColumn(0).getString();
  } catch (const std::exception& e) {
    *error = e.what();
    return false;
  }
  return ReplaceRecords(run_id, document_id, records, KeyRecords(sha256, records), kinds, counts, error);
}

bool Database::ReplaceRecords(int64_t run_id, int64_t document_id, const extract::Records& records,
                              const KeyedRecords& keyed, const std::set<std::string>& kinds, VersionCounts* counts,
                              std::string* error) {
  try {
    SQLite::Database& db = impl_->db;
    Statements& st = impl_->statements;
    SQLite::Transaction tx(db);
    SQLite::Statement& sha = st.Get("SELECT sha256 FROM documents WHERE id = ?");
    sha.bind(1, document_id);
    if (!sha.executeStep()) {
      *error = "no document " + std::to_string(document_id);
      return false;
    }
    const std::string stored_sha256 = sha.getColumn(0).getString();
    sha.tryReset();
    for (const std::string& kind : kinds) {
      if (std::find(RecordKinds().begin(), RecordKinds().end(), kind) == RecordKinds().end()) {
        *error = "unknown record kind \"" + kind + "\"";
        return false;
      }
    }
    if (stored_sha256 != keyed.document_sha256) {
      *error = "records keyed for another document than " + std::to_string(document_id);
      return false;
    }
    const std::set<std::string> replaced = WithDependents(kinds);
    *counts = UpdateVersions(st, run_id, document_id, keyed, replaced);
    // Records found exactly as they were keep their rows, and the run_id of the run
    // that first produced them.
    if (counts->added + counts->changed + counts->removed > 0) WriteRows(st, run_id, document_id, records, keyed, replaced);
    tx.commit();
    return true;
  } catch (const std::exception& e) {
    *error = std::string("cannot store the records of document ") + std::to_string(document_id) + ": " + e.what();
    return false;
  }
}

bool Database::CurrentDocuments(std::vector<StoredDocument>* documents, std::string* error) {
  try {
    SQLite::Statement q(impl_->db,
                        "SELECT id, source_path, sha256, media_type, page_count, COALESCE(title, ''),"
                        " COALESCE(issued_on, '') FROM documents WHERE superseded_by IS NULL ORDER BY id");
    while (q.executeStep()) {
      StoredDocument d;
      d.id = q.getColumn(0).getInt64();
      d.source_path = q.getColumn(1).getString();
      d.sha256 = q.getColumn(2).getString();
      d.media_type = q.getColumn(3).getString();
      d.page_count = q.getColumn(4).getInt();
      d.title = q.getColumn(5).getString();
      d.issued_on = q.getColumn(6).getString();
      documents->push_back(std::move(d));
    }
    return true;
  } catch (const std::exception& e) {
    *error = e.what();
    return false;
  }
}

bool Database::LoadPages(int64_t document_id, std::vector<PageRecord>* pages, std::string* error) {
  try {
    SQLite::Statement q(impl_->db,
                        "SELECT page_no, text, COALESCE(width, 0), COALESCE(height, 0), boxes, rules FROM pages"
                        " WHERE document_id = ? ORDER BY page_no");
    q.bind(1, document_id);
    while (q.executeStep()) {
      PageRecord p;
      p.page_no = q.getColumn(0).getInt();
      p.text = q.getColumn(1).getString();
      p.width = q.getColumn(2).getDouble();
      p.height = q.getColumn(3).getDouble();
      const SQLite::Column boxes = q.getColumn(4);
      if (!boxes.isNull()) p.boxes.assign(static_cast<const char*>(boxes.getBlob()), static_cast<size_t>(boxes.getBytes()));
      const SQLite::Column rules = q.getColumn(5);
      if (!rules.isNull()) p.rules.assign(static_cast<const char*>(rules.getBlob()), static_cast<size_t>(rules.getBytes()));
      pages->push_back(std::move(p));
    }
    return true;
  } catch (const std::exception& e) {
    *error = "cannot read the pages of document " + std::to_string(document_id) + ": " + e.what();
    return false;
  }
}

bool Database::SyncAreas(const std::vector<extract::Area>& areas, std::string* error) {
  try {
    SQLite::Database& db = impl_->db;
    SQLite::Transaction tx(db);
    SQLite::Statement area(db, "INSERT INTO areas(id, name) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET name = excluded.name");
    SQLite::Statement clear(db, "DELETE FROM area_members WHERE area_id = ?");
    SQLite::Statement member(db, "INSERT OR REPLACE INTO area_members(area_id, code, name, role) VALUES (?,?,?,?)");
    for (const extract::Area& a : areas) {
      area.bind(1, a.id);
      area.bind(2, a.name);
      area.exec();
      area.reset();
      clear.bind(1, a.id);
      clear.exec();
      clear.reset();
      for (const extract::Area::Member& m : a.members) {
        member.bind(1, a.id);
        member.bind(2, m.code);
        member.bind(3, m.name);
        member.bind(4, m.role);
        member.exec();
        member.reset();
      }
    }
    tx.commit();
    return true;
  } catch (const std::exception& e) {
    *error = std::string("cannot store the regional areas: ") + e.what();
    return false;
  }
}

bool Database::RecordFailure(int64_t run_id, const std::string& source_path, const std::string& stage,
                             const std::string& message, std::string* error) {
  try {
    SQLite::Statement insert(impl_->db,
                             "INSERT INTO failures(run_id, source_path, stage, message, at) VALUES (?,?,?,?,?)");
    insert.bind(1, run_id);
    insert.bind(2, source_path);
    insert.bind(3, stage);
    insert.bind(4, message);
    insert.bind(5, NowUtc());
    insert.exec();
    return true;
  } catch (const std::exception& e) {
    *error = std::string("cannot record failure: ") + e.what();
    return false;
  }
}

bool Database::FindDocument(const std::string& selector, int64_t* id, std::string* source_path,
                            std::string* error) {
  try {
    SQLite::Statement q(impl_->db,
                        "SELECT id, source_path FROM documents WHERE superseded_by IS NULL AND"
                        " (CAST(id AS TEXT) = ?1 OR source_path = ?1 OR source_path LIKE '%/' || ?1) ORDER BY id");
    q.bind(1, selector);
    std::vector<std::pair<int64_t, std::string>> found;
    while (q.executeStep()) found.emplace_back(q.getColumn(0).getInt64(), q.getColumn(1).getString());
    if (found.size() != 1) {
      *error = found.empty() ? "no document matches \"" + selector + "\"" :
                               "\"" + selector + "\" matches " + std::to_string(found.size()) +
                                   " documents; give its id or more of its path";
      return false;
    }
    *id = found[0].first;
    *source_path = found[0].second;
    return true;
  } catch (const std::exception& e) {
    *error = e.what();
    return false;
  }
}

bool Database::GetTables(int64_t document_id, std::vector<StoredTable>* tables, std::string* error) {
  try {
    SQLite::Statement q(impl_->db,
                        "SELECT id, first_page, last_page, row_count, col_count, rule_id FROM tables"
                        " WHERE document_id = ? ORDER BY first_page, id");
    q.bind(1, document_id);
    SQLite::Statement cells(impl_->db,
                            "SELECT row_no, col_no, text, is_header, COALESCE(page_no, 0) FROM table_cells"
                            " WHERE table_id = ? ORDER BY row_no, col_no");
    while (q.executeStep()) {
      StoredTable t;
      t.id = q.getColumn(0).getInt64();
      t.first_page = q.getColumn(1).getInt();
      t.last_page = q.getColumn(2).getInt();
      t.row_count = q.getColumn(3).getInt();
      t.col_count = q.getColumn(4).getInt();
      t.rule_id = q.getColumn(5).getString();
      cells.bind(1, t.id);
      while (cells.executeStep()) {
        extract::TableCell c;
        c.row = cells.getColumn(0).getInt();
        c.col = cells.getColumn(1).getInt();
        c.text = cells.getColumn(2).getString();
        c.is_header = cells.getColumn(3).getInt() != 0;
        c.page_no = cells.getColumn(4).getInt();
        t.cells.push_back(std::move(c));
      }
      cells.reset();
      tables->push_back(std::move(t));
    }
    return true;
  } catch (const std::exception& e) {
    *error = e.what();
    return false;
  }
}

bool Database::GetStats(Stats* stats, std::string* error) {
  try {
    SQLite::Database& db = impl_->db;
    stats->documents = db.execAndGet("SELECT COUNT(*) FROM documents").getInt64();
    stats->current_documents = db.execAndGet("SELECT COUNT(*) FROM documents WHERE superseded_by IS NULL").getInt64();
    stats->pages = db.execAndGet("SELECT COUNT(*) FROM pages").getInt64();
    stats->runs = db.execAndGet("SELECT COUNT(*) FROM runs").getInt64();
    SQLite::Statement by_type(db, "SELECT media_type, COUNT(*) FROM documents GROUP BY media_type ORDER BY 1");
    while (by_type.executeStep())
      stats->by_media_type.emplace_back(by_type.getColumn(0).getString(), by_type.getColumn(1).getInt64());
    for (const char* table : {"dates", "municipality_mentions", "document_areas", "tables", "table_cells", "projects",
                              "project_participants", "agreements", "agreement_parties", "clauses",
                              "agreement_appendices", "record_versions"}) {
      stats->records.emplace_back(table, db.execAndGet(std::string("SELECT COUNT(*) FROM ") + table).getInt64());
    }
    SQLite::Statement last(db, "SELECT id, started_at, COALESCE(finished_at, ''), rules_version FROM runs"
                               " ORDER BY id DESC LIMIT 1");
    if (last.executeStep()) {
      const int64_t run = last.getColumn(0).getInt64();
      stats->last_run_started = last.getColumn(1).getString();
      stats->last_run_finished = last.getColumn(2).getString();
      stats->last_run_rules_version = last.getColumn(3).getString();
      SQLite::Statement failures(db, "SELECT COUNT(*) FROM failures WHERE run_id = ?");
      failures.bind(1, run);
      failures.executeStep();
      stats->failures_last_run = failures.getColumn(0).getInt64();
    }
    return true;
  } catch (const std::exception& e) {
    *error = e.what();
    return false;
  }
}

}  // namespace kobun::store

namespace kobun::store {

bool Database::GetRuns(std::vector<RunInfo>* runs, std::string* error) {
  try {
    SQLite::Statement q(impl_->db,
                        "SELECT id, COALESCE(command, 'run'), started_at, COALESCE(finished_at, ''), rules_version,"
                        " pipeline FROM runs ORDER BY id");
    while (q.executeStep()) {
      runs->push_back({q.getColumn(0).getInt64(), q.getColumn(1).getString(), q.getColumn(2).getString(),
                       q.getColumn(3).getString(), q.getColumn(4).getString(), q.getColumn(5).getString()});
    }
    return true;
  } catch (const std::exception& e) {
    *error = e.what();
    return false;
  }
}

bool Database::Diff(int64_t run_a, int64_t run_b, std::vector<RecordChange>* changes, std::string* error) {
  try {
    // A version belongs to the records as of run R when R is within [added_run,
    // removed_run). Only the versions in one of the two snapshots can differ.
    SQLite::Statement q(impl_->db,
                        "SELECT v.document_id, d.source_path, v.kind, v.record_key, v.locus, COALESCE(v.rule_id, ''),"
                        " v.body, (v.added_run <= ?1 AND (v.removed_run IS NULL OR v.removed_run > ?1)) AS in_a"
                        " FROM record_versions v JOIN documents d ON d.id = v.document_id"
                        " WHERE (v.added_run <= ?1 AND (v.removed_run IS NULL OR v.removed_run > ?1)) <>"
                        "       (v.added_run <= ?2 AND (v.removed_run IS NULL OR v.removed_run > ?2))"
                        " ORDER BY v.document_id, v.kind, v.id");
    q.bind(1, run_a);
    q.bind(2, run_b);
    struct Side {
      std::map<std::string, RecordVersion> by_key;
    };
    int64_t document = -1;
    std::string kind, source_path;
    Side before, after;
    auto flush = [&] {
      // The same key on both sides: the record changed in fields its key leaves out.
      // Otherwise a record that left a locus and one that came to it changed too.
      std::map<std::string, std::vector<RecordVersion>> removed_at;  // locus → versions
      std::vector<RecordChange> found;
      for (auto& [key, version] : before.by_key) {
        auto it = after.by_key.find(key);
        if (it != after.by_key.end()) {
          found.push_back({kind, document, source_path, version, it->second});
          after.by_key.erase(it);
        } else {
          removed_at[version.locus].push_back(version);
        }
      }
      for (auto& [key, version] : after.by_key) {
        auto it = removed_at.find(version.locus);
        if (it != removed_at.end() && !it->second.empty()) {
          found.push_back({kind, document, source_path, it->second.front(), version});
          it->second.erase(it->second.begin());
        } else {
          found.push_back({kind, document, source_path, std::nullopt, version});
        }
      }
      for (auto& [locus, versions] : removed_at) {
        for (RecordVersion& v : versions) found.push_back({kind, document, source_path, v, std::nullopt});
      }
      std::sort(found.begin(), found.end(), [](const RecordChange& x, const RecordChange& y) {
        const RecordVersion& a = x.after ? *x.after : *x.before;
        const RecordVersion& b = y.after ? *y.after : *y.before;
        return a.locus != b.locus ? a.locus < b.locus : a.key < b.key;
      });
      for (RecordChange& c : found) changes->push_back(std::move(c));
      before.by_key.clear();
      after.by_key.clear();
    };
    while (q.executeStep()) {
      const int64_t row_document = q.getColumn(0).getInt64();
      const std::string row_kind = q.getColumn(2).getString();
      if (row_document != document || row_kind != kind) {
        flush();
        document = row_document;
        kind = row_kind;
        source_path = q.getColumn(1).getString();
      }
      RecordVersion version{q.getColumn(3).getString(), q.getColumn(4).getString(), q.getColumn(5).getString(),
                            q.getColumn(6).getString()};
      Side& side = q.getColumn(7).getInt() != 0 ? before : after;
      side.by_key[version.key] = std::move(version);
    }
    flush();
    return true;
  } catch (const std::exception& e) {
    *error = e.what();
    return false;
  }
}

bool Database::ForEachCurrentRecord(const std::string& kind, int64_t since_run,
                                    const std::function<void(const ExportedRecord&)>& emit, std::string* error) {
  try {
    SQLite::Statement q(impl_->db,
                        "SELECT record_key, kind, document_id, source_path, document_sha256, locus,"
                        " COALESCE(rule_id, ''), run_id, rules_version, body FROM current_records"
                        " WHERE (?1 = '' OR kind = ?1) AND run_id > ?2 ORDER BY document_id, kind, record_key");
    q.bind(1, kind);
    q.bind(2, since_run);
    ExportedRecord r;
    while (q.executeStep()) {
      r.key = q.getColumn(0).getString();
      r.kind = q.getColumn(1).getString();
      r.document_id = q.getColumn(2).getInt64();
      r.source_path = q.getColumn(3).getString();
      r.document_sha256 = q.getColumn(4).getString();
      r.locus = q.getColumn(5).getString();
      r.rule_id = q.getColumn(6).getString();
      r.run_id = q.getColumn(7).getInt64();
      r.rules_version = q.getColumn(8).getString();
      r.body = q.getColumn(9).getString();
      emit(r);
    }
    return true;
  } catch (const std::exception& e) {
    *error = e.what();
    return false;
  }
}

}  // namespace kobun::store
