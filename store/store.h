// store: documents, pages and extraction records into SQLite.
//
// The schema version lives in PRAGMA user_version and is migrated forward on open; a
// database written by a newer kobun is refused rather than guessed at. Every document
// goes in inside one transaction with its pages: a failure leaves nothing of it.
// All statements are prepared. Errors from SQLite come back as false + *error.
#ifndef KOBUN_STORE_STORE_H_
#define KOBUN_STORE_STORE_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <unordered_set>
#include <vector>

#include "extract/extract.h"

namespace kobun::store {

struct KeyedRecord {
  std::string kind;   // one of RecordKinds()
  std::string key;    // 32 hex digits
  std::string locus;  // p3:120-131; p3-4:57 for a table (pages, first cell's offset)
  std::string rule_id;
  std::string body;   // JSON object, fields in a fixed order
};

// A document's records keyed, with their bodies: what the store computes from records
// before writing them. It needs no database, so a worker thread can prepare it while the
// one writer writes.
struct KeyedRecords {
  std::string document_sha256;  // of the document whose records these are
  std::vector<KeyedRecord> all;  // in the order of the kinds, then of the records
  // keys[kind][i] is the key of the i-th record of that kind (clauses: in agreement order).
  std::map<std::string, std::vector<std::string>> keys;
};

// Keys `records` of the document with this SHA-256 (store/record_keys.cc). A record's
// key is a hash of the document's SHA-256, its kind, its locus (page and span) and its
// value, so the same record from two runs, or from two databases fed the same file, has
// the same key. Its body is the JSON object `kobun export` writes as "record"; two
// versions of a record are the same when their bodies are equal.
KeyedRecords KeyRecords(const std::string& document_sha256, const extract::Records& records);

// The schema version this build writes.
int CurrentSchemaVersion();

// The kinds of record, as record_versions, diff and export name them: dates,
// municipalities, areas, tables, projects, agreements, clauses.
const std::vector<std::string>& RecordKinds();

// The fields of a record of `kind`, in the order export writes them (README lists them).
const std::vector<std::string>& RecordFields(const std::string& kind);

// A page as stored. LoadPages fills only what extraction reads: page_no, text, size,
// boxes and rules.
struct PageRecord {
  int page_no = 0;          // 1-based
  std::string raw_text;     // UTF-8, as ingested
  std::string text;         // UTF-8, normalized; record offsets index its code points
  std::string offset_map;   // normalize::EncodeOffsetMap
  double width = 0, height = 0;
  std::string boxes;        // ingest::EncodeBoxes; empty for text reports
  std::string rules;        // ingest::EncodeRules; empty for text reports and unruled pages
};

struct DocumentRecord {
  std::string source_path;
  std::string sha256;
  std::string media_type;
  std::string encoding;
  std::string title;
  std::vector<std::string> warnings;
  std::vector<PageRecord> pages;
  extract::Records records;  // what the extract stage found, with records.issued_on
};

// What writing a document's records did to their versions (record_versions).
struct VersionCounts {
  int added = 0, removed = 0, changed = 0, unchanged = 0;
};

struct RunCounts {
  int documents_added = 0;
  int documents_unchanged = 0;
  int files_failed = 0;
  int files_skipped = 0;
  int pages_added = 0;
  int documents_extracted = 0;  // by `kobun extract`
  VersionCounts records;        // by `kobun extract`
  // Seconds spent per stage, summed over the files (workers run in parallel, so the
  // sum can exceed the run's wall time).
  double read_seconds = 0, ingest_seconds = 0, normalize_seconds = 0, store_seconds = 0;
  extract::ExtractSeconds extract_seconds;
};

struct Stats {
  int64_t documents = 0, current_documents = 0, pages = 0, runs = 0, failures_last_run = 0;
  std::vector<std::pair<std::string, int64_t>> by_media_type;
  std::vector<std::pair<std::string, int64_t>> records;  // extraction table → rows
  std::string last_run_started, last_run_finished, last_run_rules_version;
};

struct StoredTable {
  int64_t id = 0;
  int first_page = 0, last_page = 0, row_count = 0, col_count = 0;
  std::string rule_id;
  std::vector<extract::TableCell> cells;
};

struct StoredDocument {
  int64_t id = 0;
  std::string source_path, sha256, media_type, title, issued_on;
  int page_count = 0;
};

struct RunInfo {
  int64_t id = 0;
  std::string command;  // run | extract
  std::string started_at, finished_at, rules_version, pipeline;
};

struct RecordVersion {
  std::string key, locus, rule_id;
  std::string body;  // JSON object: the record's fields, as kobun export writes them
};

// A record that differs between two runs. Only `after`: added; only `before`: removed;
// both: changed (same key with other fields, or another key at the same locus).
struct RecordChange {
  std::string kind;
  int64_t document_id = 0;
  std::string source_path;
  std::optional<RecordVersion> before, after;
};

// A current record, with its document and the run that produced it as it now is.
struct ExportedRecord {
  std::string key, kind, locus, rule_id, body;
  int64_t document_id = 0, run_id = 0;
  std::string source_path, document_sha256, rules_version;
};

class Database {
 public:
  // Opens (creating if needed) and migrates the database at `path`.
  static std::unique_ptr<Database> Open(const std::string& path, std::string* error);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  int SchemaVersion();

  // SHA-256 of every stored document: what a run need not read again.
  std::unordered_set<std::string> KnownHashes();

  // Starts a run (`command`: run | extract); its id goes on every row the run writes.
  bool BeginRun(const std::string& command, const std::string& rules_version, const std::string& pipeline,
                int64_t* run_id, std::string* error);
  bool FinishRun(int64_t run_id, const RunCounts& counts, std::string* error);

  // Adds a document with its pages. When a document with the same sha256 exists, it is
  // replaced if `replace`, else nothing is written and *id is the existing one with
  // *added false. An earlier version of the same source_path (other bytes) is kept and
  // marked superseded by the new one.
  // `keyed` is KeyRecords(doc.sha256, doc.records), prepared by the caller; the other
  // form computes it.
  bool AddDocument(int64_t run_id, const DocumentRecord& doc, const KeyedRecords& keyed, bool replace, int64_t* id,
                   bool* added, std::string* error);
  bool AddDocument(int64_t run_id, const DocumentRecord& doc, bool replace, int64_t* id, bool* added,
                   std::string* error);

  // Replaces a stored document's records of `kinds` (record kinds: dates,
  // municipalities, areas, tables, projects, agreements, clauses) with `records`, in one
  // transaction, and records in record_versions what was added, removed and changed.
  // Kinds that go together are replaced together: municipalities with areas, agreements
  // with clauses, tables with agreements (whose 別表 point at tables).
  // `keyed` is KeyRecords of the document's SHA-256 and `records`, prepared by the
  // caller (refused if it is another document's); the other form computes it.
  bool ReplaceRecords(int64_t run_id, int64_t document_id, const extract::Records& records,
                      const KeyedRecords& keyed, const std::set<std::string>& kinds, VersionCounts* counts,
                      std::string* error);
  bool ReplaceRecords(int64_t run_id, int64_t document_id, const extract::Records& records,
                      const std::set<std::string>& kinds, VersionCounts* counts, std::string* error);

  // The documents that are not superseded by a later version of their path, by id.
  bool CurrentDocuments(std::vector<StoredDocument>* documents, std::string* error);

  // A document's pages as extraction reads them (see PageRecord).
  bool LoadPages(int64_t document_id, std::vector<PageRecord>* pages, std::string* error);

  bool GetRuns(std::vector<RunInfo>* runs, std::string* error);  // oldest first

  // The records that differ between the database as run_a left it and as run_b left it:
  // each document's records as the latest run up to that one wrote them. Ordered by
  // document, kind and locus.
  bool Diff(int64_t run_a, int64_t run_b, std::vector<RecordChange>* changes, std::string* error);

  // Calls `emit` for each current record of `kind` (all kinds when empty) whose current
  // version a run after `since_run` produced, ordered by document, kind and key.
  bool ForEachCurrentRecord(const std::string& kind, int64_t since_run,
                            const std::function<void(const ExportedRecord&)>& emit, std::string* error);

  // Makes the areas and area_members tables hold exactly these areas' members.
  bool SyncAreas(const std::vector<extract::Area>& areas, std::string* error);

  bool RecordFailure(int64_t run_id, const std::string& source_path, const std::string& stage,
                     const std::string& message, std::string* error);

  bool GetStats(Stats* stats, std::string* error);

  // The current document that `selector` names: its id, or the end of its source path
  // (a file name will do) when that picks out one document. False and *error otherwise.
  bool FindDocument(const std::string& selector, int64_t* id, std::string* source_path, std::string* error);

  bool GetTables(int64_t document_id, std::vector<StoredTable>* tables, std::string* error);

 private:
  struct Impl;
  explicit Database(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace kobun::store

#endif  // KOBUN_STORE_STORE_H_
