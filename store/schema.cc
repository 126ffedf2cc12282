// The schema, as forward migrations. Never edit a migration that has shipped: add the
// next one. README.md documents the resulting tables.
#include "store/schema.h"

namespace kobun::store {

namespace {

// Version 1: documents, pages, runs, failures and the extraction tables of
// ../shared/eval/CONTRACT.md. Extraction rows carry document, page, code-point offsets
// into pages.text, the rule that produced them and the run (hence the rule-set version).
constexpr std::string_view kVersion1 = R"sql(
CREATE TABLE runs (
  id            INTEGER PRIMARY KEY,
  started_at    TEXT NOT NULL,
  finished_at   TEXT,
  rules_version TEXT NOT NULL,
  pipeline      TEXT NOT NULL,
  counts        TEXT                       -- JSON: documents_added, files_failed, ...
);

CREATE TABLE documents (
  id            INTEGER PRIMARY KEY,
  source_path   TEXT NOT NULL,
  sha256        TEXT NOT NULL UNIQUE,
  media_type    TEXT NOT NULL,             -- application/pdf | text/plain
  encoding      TEXT,                      -- charset of a text report
  page_count    INTEGER NOT NULL,
  title         TEXT,
  issued_on     TEXT,                      -- the document's own date, when found
  warnings      TEXT,                      -- one per line; NULL when none
  version       INTEGER NOT NULL DEFAULT 1,-- 1, 2, ... per source_path
  superseded_by INTEGER REFERENCES documents(id) ON DELETE SET NULL,
  run_id        INTEGER REFERENCES runs(id),
  ingested_at   TEXT NOT NULL
);
CREATE INDEX documents_source_path ON documents(source_path);

CREATE TABLE pages (
  document_id   INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  page_no       INTEGER NOT NULL,          -- 1-based
  raw_text      TEXT NOT NULL,
  text          TEXT NOT NULL,             -- normalized; offsets index its code points
  offset_map    BLOB NOT NULL,             -- normalized offset -> raw offset
  width         REAL,
  height        REAL,
  boxes         BLOB,                      -- positioned text boxes of a PDF page
  PRIMARY KEY (document_id, page_no)
) WITHOUT ROWID;

CREATE TABLE failures (
  id            INTEGER PRIMARY KEY,
  run_id        INTEGER NOT NULL REFERENCES runs(id),
  source_path   TEXT NOT NULL,
  stage         TEXT NOT NULL,             -- read | ingest | normalize | extract | store
  message       TEXT NOT NULL,
  at            TEXT NOT NULL
);
CREATE INDEX failures_run ON failures(run_id);

CREATE TABLE dates (
  id            INTEGER PRIMARY KEY,
  document_id   INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  run_id        INTEGER REFERENCES runs(id),
  page_no       INTEGER NOT NULL,
  start_offset  INTEGER NOT NULL,
  end_offset    INTEGER NOT NULL,
  surface       TEXT NOT NULL,
  start_date    TEXT,
  end_date      TEXT,
  precision     TEXT,                      -- day | month | year | fiscal_year | decade
  inferred      INTEGER NOT NULL DEFAULT 0,
  weekday_mismatch INTEGER NOT NULL DEFAULT 0,
  impossible    INTEGER NOT NULL DEFAULT 0,
  rule_id       TEXT NOT NULL
);
CREATE INDEX dates_document ON dates(document_id);

CREATE TABLE municipality_mentions (
  id            INTEGER PRIMARY KEY,
  document_id   INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  run_id        INTEGER REFERENCES runs(id),
  page_no       INTEGER NOT NULL,
  start_offset  INTEGER NOT NULL,
  end_offset    INTEGER NOT NULL,
  surface       TEXT NOT NULL,
  code          TEXT,                      -- 6-digit 全国地方公共団体コード
  name          TEXT,
  prefecture    TEXT,
  kind          TEXT,                      -- prefecture | city | special_ward | designated_city_ward | town | village
  resolution    TEXT,                      -- how a shared name was resolved, or 'ambiguous'
  successor_code TEXT,                     -- current code of a former municipality
  rule_id       TEXT NOT NULL
);
CREATE INDEX municipality_mentions_document ON municipality_mentions(document_id);

CREATE TABLE tables (
  id            INTEGER PRIMARY KEY,
  document_id   INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  run_id        INTEGER REFERENCES runs(id),
  first_page    INTEGER NOT NULL,
  last_page     INTEGER NOT NULL,
  row_count     INTEGER NOT NULL,
  col_count     INTEGER NOT NULL,
  x0 REAL, y0 REAL, x1 REAL, y1 REAL,      -- bounding box on first_page (PDF points)
  rule_id       TEXT NOT NULL
);
CREATE INDEX tables_document ON tables(document_id);

CREATE TABLE table_cells (
  table_id      INTEGER NOT NULL REFERENCES tables(id) ON DELETE CASCADE,
  row_no        INTEGER NOT NULL,          -- 0-based
  col_no        INTEGER NOT NULL,          -- 0-based
  text          TEXT NOT NULL,
  is_header     INTEGER NOT NULL DEFAULT 0,
  page_no       INTEGER,
  start_offset  INTEGER,
  end_offset    INTEGER,
  PRIMARY KEY (table_id, row_no, col_no)
) WITHOUT ROWID;

CREATE TABLE projects (
  id            INTEGER PRIMARY KEY,
  document_id   INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  run_id        INTEGER REFERENCES runs(id),
  page_no       INTEGER NOT NULL,
  start_offset  INTEGER NOT NULL,
  end_offset    INTEGER NOT NULL,
  number        INTEGER,
  name          TEXT NOT NULL,
  status        TEXT,                      -- 新規 | 拡充 | 変更 | 完了
  field         TEXT,
  area          TEXT,
  description   TEXT,
  cross_reference TEXT,
  rule_id       TEXT NOT NULL
);
CREATE INDEX projects_document ON projects(document_id);

CREATE TABLE agreements (
  id            INTEGER PRIMARY KEY,
  document_id   INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  run_id        INTEGER REFERENCES runs(id),
  page_no       INTEGER NOT NULL,
  start_offset  INTEGER NOT NULL,
  end_offset    INTEGER NOT NULL,
  kind          TEXT NOT NULL,             -- agreement | amendment | articles
  title         TEXT,
  concluded_on  TEXT,
  legal_basis   TEXT,
  rule_id       TEXT NOT NULL
);
CREATE INDEX agreements_document ON agreements(document_id);

CREATE TABLE agreement_parties (
  agreement_id  INTEGER NOT NULL REFERENCES agreements(id) ON DELETE CASCADE,
  code          TEXT NOT NULL,
  name          TEXT,
  alias         TEXT,                      -- 甲, 乙, ...
  signatory     TEXT,
  PRIMARY KEY (agreement_id, code)
) WITHOUT ROWID;

CREATE TABLE clauses (
  id            INTEGER PRIMARY KEY,
  agreement_id  INTEGER NOT NULL REFERENCES agreements(id) ON DELETE CASCADE,
  path          TEXT NOT NULL,             -- 第3条第2項第1号
  article       INTEGER,
  article_sub   INTEGER,                   -- the 2 of 第3条の2
  heading       TEXT,
  paragraph     INTEGER,                   -- 1-based
  item          TEXT,
  subitem       TEXT,
  text          TEXT NOT NULL,
  page_no       INTEGER NOT NULL,
  start_offset  INTEGER NOT NULL,
  end_offset    INTEGER NOT NULL,
  rule_id       TEXT NOT NULL
);
CREATE INDEX clauses_agreement ON clauses(agreement_id);
)sql";

// Version 2: the regional areas (連携中枢都市圏) with their members, and the areas each
// document names.
constexpr std::string_view kVersion2 = R"sql(
CREATE TABLE areas (
  id            INTEGER PRIMARY KEY,       -- the gazetteer's area_id
  name          TEXT NOT NULL
);

CREATE TABLE area_members (
  area_id       INTEGER NOT NULL REFERENCES areas(id) ON DELETE CASCADE,
  code          TEXT NOT NULL,
  name          TEXT,
  role          TEXT,                      -- centre | member
  PRIMARY KEY (area_id, code)
) WITHOUT ROWID;

CREATE TABLE document_areas (
  id            INTEGER PRIMARY KEY,
  document_id   INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  run_id        INTEGER REFERENCES runs(id),
  area_id       INTEGER NOT NULL,
  page_no       INTEGER NOT NULL,
  start_offset  INTEGER NOT NULL,
  end_offset    INTEGER NOT NULL,
  surface       TEXT NOT NULL
);
CREATE INDEX document_areas_document ON document_areas(document_id);
)sql";

// Version 3: the ruling lines of PDF pages (ingest::EncodeRules), which table
// extraction reads beside the text boxes; the participating-municipality
// abbreviations of a project as written (高・さ・東).
constexpr std::string_view kVersion3 = R"sql(
ALTER TABLE pages ADD COLUMN rules BLOB;
ALTER TABLE projects ADD COLUMN participants TEXT;
)sql";

// Version 4: a project's participating municipalities, one row per abbreviation as
// written, with the code the document defines it as (NULL when it does not).
constexpr std::string_view kVersion4 = R"sql(
CREATE TABLE project_participants (
  project_id    INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  position      INTEGER NOT NULL,          -- 1-based, in written order
  abbreviation  TEXT NOT NULL,             -- 高
  code          TEXT,                      -- 372013
  name          TEXT,                      -- 高松市
  rule_id       TEXT,                      -- how it was resolved; NULL when it was not
  PRIMARY KEY (project_id, position)
) WITHOUT ROWID;
CREATE INDEX project_participants_code ON project_participants(code);
)sql";

// Version 5: what an amendment changes, which part of an instrument a clause is in,
// and the 別表 tables an agreement refers to.
constexpr std::string_view kVersion5 = R"sql(
ALTER TABLE agreements ADD COLUMN amended_content TEXT;
ALTER TABLE clauses ADD COLUMN part TEXT;
CREATE TABLE agreement_appendices (
  agreement_id  INTEGER NOT NULL REFERENCES agreements(id) ON DELETE CASCADE,
  label         TEXT NOT NULL,             -- 別表, 別表第1
  table_id      INTEGER REFERENCES tables(id) ON DELETE CASCADE  -- NULL: no table found under it
);
CREATE INDEX agreement_appendices_agreement ON agreement_appendices(agreement_id);
)sql";

// Version 6: re-extraction and history. Each record row carries its stable key (from
// the document's bytes, the kind, the span and the value); record_versions keeps every
// version of every record with the runs it lived between, so that any two runs can be
// compared; runs say which command made them. Views join current records with their
// document and the text their span covers, for readers downstream.
constexpr std::string_view kVersion6 = R"sql(
ALTER TABLE runs ADD COLUMN command TEXT;  -- run | extract
ALTER TABLE dates ADD COLUMN record_key TEXT;
ALTER TABLE municipality_mentions ADD COLUMN record_key TEXT;
ALTER TABLE document_areas ADD COLUMN record_key TEXT;
ALTER TABLE tables ADD COLUMN record_key TEXT;
ALTER TABLE projects ADD COLUMN record_key TEXT;
ALTER TABLE agreements ADD COLUMN record_key TEXT;
ALTER TABLE clauses ADD COLUMN record_key TEXT;

CREATE TABLE record_versions (
  id            INTEGER PRIMARY KEY,
  document_id   INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  kind          TEXT NOT NULL,             -- dates | municipalities | areas | tables | projects | agreements | clauses
  record_key    TEXT NOT NULL,
  locus         TEXT NOT NULL,             -- where it is: p3:120-131, or p3-4 for a table
  rule_id       TEXT,
  body          TEXT NOT NULL,             -- JSON: the record as kobun export writes it
  added_run     INTEGER NOT NULL REFERENCES runs(id),
  removed_run   INTEGER REFERENCES runs(id) -- NULL while current
);
CREATE INDEX record_versions_current ON record_versions(document_id, kind) WHERE removed_run IS NULL;
CREATE INDEX record_versions_added ON record_versions(added_run);
CREATE INDEX record_versions_removed ON record_versions(removed_run);

CREATE VIEW current_records AS
  SELECT v.record_key, v.kind, v.document_id, d.source_path, d.sha256 AS document_sha256, d.title AS document_title,
         v.locus, v.rule_id, v.added_run AS run_id, r.rules_version, v.body
  FROM record_versions v JOIN documents d ON d.id = v.document_id JOIN runs r ON r.id = v.added_run
  WHERE v.removed_run IS NULL AND d.superseded_by IS NULL;

CREATE VIEW dates_view AS
  SELECT x.*, d.source_path, d.title AS document_title,
         substr(p.text, x.start_offset + 1, x.end_offset - x.start_offset) AS page_text
  FROM dates x JOIN documents d ON d.id = x.document_id
  JOIN pages p ON p.document_id = x.document_id AND p.page_no = x.page_no
  WHERE d.superseded_by IS NULL;

CREATE VIEW municipality_mentions_view AS
  SELECT x.*, d.source_path, d.title AS document_title,
         substr(p.text, x.start_offset + 1, x.end_offset - x.start_offset) AS page_text
  FROM municipality_mentions x JOIN documents d ON d.id = x.document_id
  JOIN pages p ON p.document_id = x.document_id AND p.page_no = x.page_no
  WHERE d.superseded_by IS NULL;

CREATE VIEW projects_view AS
  SELECT x.*, d.source_path, d.title AS document_title,
         CASE WHEN x.start_offset >= 0
              THEN substr(p.text, x.start_offset + 1, x.end_offset - x.start_offset) END AS page_text
  FROM projects x JOIN documents d ON d.id = x.document_id
  LEFT JOIN pages p ON p.document_id = x.document_id AND p.page_no = x.page_no
  WHERE d.superseded_by IS NULL;

CREATE VIEW agreements_view AS
  SELECT x.*, d.source_path, d.title AS document_title,
         substr(p.text, x.start_offset + 1, x.end_offset - x.start_offset) AS page_text
  FROM agreements x JOIN documents d ON d.id = x.document_id
  JOIN pages p ON p.document_id = x.document_id AND p.page_no = x.page_no
  WHERE d.superseded_by IS NULL;

CREATE VIEW clauses_view AS
  SELECT x.*, a.document_id, a.title AS agreement_title, d.source_path,
         substr(p.text, x.start_offset + 1, x.end_offset - x.start_offset) AS page_text
  FROM clauses x JOIN agreements a ON a.id = x.agreement_id JOIN documents d ON d.id = a.document_id
  JOIN pages p ON p.document_id = a.document_id AND p.page_no = x.page_no
  WHERE d.superseded_by IS NULL;

CREATE VIEW table_cells_view AS
  SELECT c.*, t.document_id, t.record_key AS table_key, t.first_page, t.last_page, d.source_path
  FROM table_cells c JOIN tables t ON t.id = c.table_id JOIN documents d ON d.id = t.document_id
  WHERE d.superseded_by IS NULL;
)sql";

// Current versions (removed_run NULL) are most of record_versions and are found through
// record_versions_current; indexing their NULLs cost every record one more index insert.
constexpr std::string_view kVersion7 = R"sql(
DROP INDEX record_versions_removed;
CREATE INDEX record_versions_removed ON record_versions(removed_run) WHERE removed_run IS NOT NULL;
)sql";

}  // namespace

const std::vector<std::string_view>& Migrations() {
  static const std::vector<std::string_view> kMigrations = {kVersion1, kVersion2, kVersion3, kVersion4, kVersion5,
                                                            kVersion6, kVersion7};
  return kMigrations;
}

}  // namespace kobun::store
