#include "store/store.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include <chrono>
#include <ctime>
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

// Empty text is stored as NULL: "not found", not "found empty".
void BindTextOrNull(SQLite::Statement& statement, int index, const std::string& value) {
  if (value.empty()) statement.bind(index); else statement.bind(index, value);
}

void InsertRecords(SQLite::Database& db, int64_t document_id, int64_t run_id, const extract::Records& records) {
  SQLite::Statement date(db,
                         "INSERT INTO dates(document_id, run_id, page_no, start_offset, end_offset, surface, start_date,"
                         " end_date, precision, inferred, weekday_mismatch, impossible, rule_id)"
                         " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)");
  for (const extract::DateRecord& d : records.dates) {
    date.bind(1, document_id);
    date.bind(2, run_id);
    date.bind(3, d.page_no);
    date.bind(4, d.start_offset);
    date.bind(5, d.end_offset);
    date.bind(6, d.surface);
    date.bind(7, d.start_date);
    date.bind(8, d.end_date);
    date.bind(9, d.precision);
    date.bind(10, d.inferred ? 1 : 0);
    date.bind(11, d.weekday_mismatch ? 1 : 0);
    date.bind(12, d.impossible ? 1 : 0);
    date.bind(13, d.rule_id);
    date.exec();
    date.reset();
  }
}

void InsertPlaces(SQLite::Database& db, int64_t document_id, int64_t run_id, const extract::Records& records) {
  SQLite::Statement mention(db,
                            "INSERT INTO municipality_mentions(document_id, run_id, page_no, start_offset, end_offset,"
                            " surface, code, name, prefecture, kind, resolution, successor_code, rule_id)"
                            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)");
  for (const extract::MunicipalityRecord& m : records.municipalities) {
    mention.bind(1, document_id);
    mention.bind(2, run_id);
    mention.bind(3, m.page_no);
    mention.bind(4, m.start_offset);
    mention.bind(5, m.end_offset);
    mention.bind(6, m.surface);
    BindTextOrNull(mention, 7, m.code);
    mention.bind(8, m.name);
    BindTextOrNull(mention, 9, m.prefecture);
    mention.bind(10, m.kind);
    mention.bind(11, m.resolution);
    BindTextOrNull(mention, 12, m.successor_code);
    mention.bind(13, m.rule_id);
    mention.exec();
    mention.reset();
  }
  SQLite::Statement area(db,
                         "INSERT INTO document_areas(document_id, run_id, area_id, page_no, start_offset, end_offset,"
                         " surface) VALUES (?,?,?,?,?,?,?)");
  for (const extract::AreaRecord& a : records.areas) {
    area.bind(1, document_id);
    area.bind(2, run_id);
    area.bind(3, a.area_id);
    area.bind(4, a.page_no);
    area.bind(5, a.start_offset);
    area.bind(6, a.end_offset);
    area.bind(7, a.surface);
    area.exec();
    area.reset();
  }
}

void InsertProjects(SQLite::Database& db, int64_t document_id, int64_t run_id, const extract::Records& records) {
  SQLite::Statement insert(db,
                           "INSERT INTO projects(document_id, run_id, page_no, start_offset, end_offset, number, name,"
                           " status, field, area, description, cross_reference, participants, rule_id)"
                           " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
  SQLite::Statement participant(db,
                                "INSERT INTO project_participants(project_id, position, abbreviation, code, name, rule_id)"
                                " VALUES (?,?,?,?,?,?)");
  for (const extract::ProjectRecord& p : records.projects) {
    insert.bind(1, document_id);
    insert.bind(2, run_id);
    insert.bind(3, p.page_no);
    insert.bind(4, p.start_offset);
    insert.bind(5, p.end_offset);
    if (p.number > 0) insert.bind(6, p.number); else insert.bind(6);
    insert.bind(7, p.name);
    BindTextOrNull(insert, 8, p.status);
    BindTextOrNull(insert, 9, p.field);
    BindTextOrNull(insert, 10, p.area);
    BindTextOrNull(insert, 11, p.description);
    BindTextOrNull(insert, 12, p.cross_reference);
    BindTextOrNull(insert, 13, p.participants);
    insert.bind(14, p.rule_id);
    insert.exec();
    insert.reset();
    const int64_t project_id = db.getLastInsertRowid();
    int position = 0;
    for (const extract::ProjectRecord::Participant& m : p.participant_codes) {
      participant.bind(1, project_id);
      participant.bind(2, ++position);
      participant.bind(3, m.abbreviation);
      BindTextOrNull(participant, 4, m.code);
      BindTextOrNull(participant, 5, m.name);
      BindTextOrNull(participant, 6, m.rule_id);
      participant.exec();
      participant.reset();
    }
  }
}

// Returns the new rows' ids, in the order of records.tables.
std::vector<int64_t> InsertTables(SQLite::Database& db, int64_t document_id, int64_t run_id,
                                  const extract::Records& records) {
  std::vector<int64_t> ids;
  SQLite::Statement table(db,
                          "INSERT INTO tables(document_id, run_id, first_page, last_page, row_count, col_count,"
                          " x0, y0, x1, y1, rule_id) VALUES (?,?,?,?,?,?,?,?,?,?,?)");
  SQLite::Statement cell(db,
                         "INSERT INTO table_cells(table_id, row_no, col_no, text, is_header, page_no, start_offset,"
                         " end_offset) VALUES (?,?,?,?,?,?,?,?)");
  for (const extract::TableRecord& t : records.tables) {
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
    table.bind(11, t.rule_id);
    table.exec();
    table.reset();
    const int64_t table_id = db.getLastInsertRowid();
    ids.push_back(table_id);
    for (const extract::TableCell& c : t.cells) {
      cell.bind(1, table_id);
      cell.bind(2, c.row);
      cell.bind(3, c.col);
      cell.bind(4, c.text);
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

void InsertAgreements(SQLite::Database& db, int64_t document_id, int64_t run_id, const extract::Records& records,
                      const std::vector<int64_t>& table_ids) {
  SQLite::Statement agreement(db,
                              "INSERT INTO agreements(document_id, run_id, page_no, start_offset, end_offset, kind,"
                              " title, concluded_on, legal_basis, amended_content, rule_id)"
                              " VALUES (?,?,?,?,?,?,?,?,?,?,?)");
  SQLite::Statement party(db,
                          "INSERT INTO agreement_parties(agreement_id, code, name, alias, signatory) VALUES (?,?,?,?,?)");
  SQLite::Statement clause(db,
                           "INSERT INTO clauses(agreement_id, path, part, article, article_sub, heading, paragraph,"
                           " item, subitem, text, page_no, start_offset, end_offset, rule_id)"
                           " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
  SQLite::Statement appendix(db, "INSERT INTO agreement_appendices(agreement_id, label, table_id) VALUES (?,?,?)");
  auto int_or_null = [](SQLite::Statement& statement, int index, int value) {
    if (value > 0) statement.bind(index, value); else statement.bind(index);
  };
  for (const extract::AgreementRecord& a : records.agreements) {
    agreement.bind(1, document_id);
    agreement.bind(2, run_id);
    agreement.bind(3, a.page_no);
    agreement.bind(4, a.start_offset);
    agreement.bind(5, a.end_offset);
    agreement.bind(6, a.kind);
    BindTextOrNull(agreement, 7, a.title);
    BindTextOrNull(agreement, 8, a.concluded_on);
    BindTextOrNull(agreement, 9, a.legal_basis);
    BindTextOrNull(agreement, 10, a.amended_content);
    agreement.bind(11, a.rule_id.empty() ? std::string("structure") : a.rule_id);
    agreement.exec();
    agreement.reset();
    const int64_t agreement_id = db.getLastInsertRowid();
    for (const extract::AgreementParty& p : a.parties) {
      party.bind(1, agreement_id);
      party.bind(2, p.code);
      BindTextOrNull(party, 3, p.name);
      BindTextOrNull(party, 4, p.alias);
      BindTextOrNull(party, 5, p.signatory);
      party.exec();
      party.reset();
    }
    for (const extract::ClauseRecord& c : a.clauses) {
      clause.bind(1, agreement_id);
      clause.bind(2, c.path);
      clause.bind(3, c.part);
      int_or_null(clause, 4, c.article);
      int_or_null(clause, 5, c.article_sub);
      BindTextOrNull(clause, 6, c.heading);
      int_or_null(clause, 7, c.paragraph);
      BindTextOrNull(clause, 8, c.item);
      BindTextOrNull(clause, 9, c.subitem);
      clause.bind(10, c.text);
      clause.bind(11, c.page_no);
      clause.bind(12, c.start_offset);
      clause.bind(13, c.end_offset);
      clause.bind(14, c.rule_id);
      clause.exec();
      clause.reset();
    }
    for (const extract::AgreementRecord::Appendix& x : a.appendices) {
      auto insert = [&](const int64_t* table_id) {
        appendix.bind(1, agreement_id);
        appendix.bind(2, x.label);
        if (table_id) appendix.bind(3, *table_id); else appendix.bind(3);
        appendix.exec();
        appendix.reset();
      };
      if (x.tables.empty()) insert(nullptr);
      for (int t : x.tables) insert(&table_ids.at(t));
    }
  }
}

}  // namespace

int CurrentSchemaVersion() { return static_cast<int>(Migrations().size()); }

struct Database::Impl {
  explicit Impl(const std::string& path)
      : db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLite::OPEN_FULLMUTEX) {}
  SQLite::Database db;
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

bool Database::BeginRun(const std::string& rules_version, const std::string& pipeline, int64_t* run_id,
                        std::string* error) {
  try {
    SQLite::Statement insert(impl_->db, "INSERT INTO runs(started_at, rules_version, pipeline) VALUES (?, ?, ?)");
    insert.bind(1, NowUtc());
    insert.bind(2, rules_version);
    insert.bind(3, pipeline);
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
  *added = false;
  try {
    SQLite::Database& db = impl_->db;
    SQLite::Transaction tx(db);
    SQLite::Statement existing(db, "SELECT id FROM documents WHERE sha256 = ?");
    existing.bind(1, doc.sha256);
    if (existing.executeStep()) {
      const int64_t old_id = existing.getColumn(0).getInt64();
      if (!replace) {
        *id = old_id;
        return true;  // the transaction rolls back: nothing was written
      }
      SQLite::Statement remove(db, "DELETE FROM documents WHERE id = ?");
      remove.bind(1, old_id);
      remove.exec();
    }
    SQLite::Statement version(db,
                              "SELECT COALESCE(MAX(version), 0) + 1 FROM documents WHERE source_path = ?");
    version.bind(1, doc.source_path);
    version.executeStep();
    const int next_version = version.getColumn(0).getInt();

    SQLite::Statement insert(db,
                             "INSERT INTO documents(source_path, sha256, media_type, encoding, page_count, title,"
                             " warnings, version, run_id, ingested_at) VALUES (?,?,?,?,?,?,?,?,?,?)");
    insert.bind(1, doc.source_path);
    insert.bind(2, doc.sha256);
    insert.bind(3, doc.media_type);
    if (doc.encoding.empty()) insert.bind(4); else insert.bind(4, doc.encoding);
    insert.bind(5, static_cast<int>(doc.pages.size()));
    if (doc.title.empty()) insert.bind(6); else insert.bind(6, doc.title);
    if (doc.warnings.empty()) insert.bind(7); else insert.bind(7, JoinLines(doc.warnings));
    insert.bind(8, next_version);
    insert.bind(9, run_id);
    insert.bind(10, NowUtc());
    insert.exec();
    if (!doc.records.issued_on.empty()) {
      SQLite::Statement issued(db, "UPDATE documents SET issued_on = ? WHERE id = last_insert_rowid()");
      issued.bind(1, doc.records.issued_on);
      issued.exec();
    }
    *id = db.getLastInsertRowid();

    SQLite::Statement supersede(db,
                                "UPDATE documents SET superseded_by = ? WHERE source_path = ? AND id <> ?"
                                " AND superseded_by IS NULL");
    supersede.bind(1, *id);
    supersede.bind(2, doc.source_path);
    supersede.bind(3, *id);
    supersede.exec();

    SQLite::Statement page(db,
                           "INSERT INTO pages(document_id, page_no, raw_text, text, offset_map, width, height, boxes,"
                           " rules) VALUES (?,?,?,?,?,?,?,?,?)");
    for (const PageRecord& p : doc.pages) {
      page.bind(1, *id);
      page.bind(2, p.page_no);
      page.bind(3, p.raw_text);
      page.bind(4, p.text);
      page.bind(5, p.offset_map.data(), static_cast<int>(p.offset_map.size()));
      if (p.width > 0) page.bind(6, p.width); else page.bind(6);
      if (p.height > 0) page.bind(7, p.height); else page.bind(7);
      if (p.boxes.empty()) page.bind(8); else page.bind(8, p.boxes.data(), static_cast<int>(p.boxes.size()));
      if (p.rules.empty()) page.bind(9); else page.bind(9, p.rules.data(), static_cast<int>(p.rules.size()));
      page.exec();
      page.reset();
    }
    InsertRecords(db, *id, run_id, doc.records);
    InsertPlaces(db, *id, run_id, doc.records);
    const std::vector<int64_t> table_ids = InsertTables(db, *id, run_id, doc.records);
    InsertProjects(db, *id, run_id, doc.records);
    InsertAgreements(db, *id, run_id, doc.records, table_ids);
    tx.commit();
    *added = true;
    return true;
  } catch (const std::exception& e) {
    *error = e.what();
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
    for (const char* table : {"dates", "municipality_mentions", "tables", "table_cells", "projects", "agreements",
                              "agreement_parties", "clauses"}) {
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
