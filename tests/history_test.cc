// store/: record keys, record versions across runs, and the diff between two runs.
#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>

#include "store/store.h"
#include "tests/test_util.h"

namespace kobun::store {
namespace {

using testing::TempDir;

DocumentRecord Document(const std::string& path, const std::string& sha) {
  DocumentRecord doc;
  doc.source_path = path;
  doc.sha256 = sha;
  doc.media_type = "text/plain";
  PageRecord page;
  page.page_no = 1;
  page.raw_text = page.text = "令和元年10月18日 郡山市 二本松市";
  doc.pages.push_back(page);
  return doc;
}

extract::DateRecord Date(int start, int end, const std::string& iso, const std::string& rule) {
  extract::DateRecord d;
  d.page_no = 1;
  d.start_offset = start;
  d.end_offset = end;
  d.surface = "x";
  d.start_date = d.end_date = iso;
  d.precision = "day";
  d.rule_id = rule;
  return d;
}

extract::MunicipalityRecord Mention(int start, const std::string& code, const std::string& name) {
  extract::MunicipalityRecord m;
  m.page_no = 1;
  m.start_offset = start;
  m.end_offset = start + 3;
  m.surface = m.name = name;
  m.code = code;
  m.kind = "city";
  m.resolution = "unique";
  m.rule_id = "name";
  return m;
}

class HistoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = Database::Open((dir_ / "k.db").string(), &error_);
    ASSERT_NE(db_, nullptr) << error_;
  }
  int64_t Run(const std::string& command) {
    int64_t run = 0;
    EXPECT_TRUE(db_->BeginRun(command, "rules", "default.toml", &run, &error_)) << error_;
    return run;
  }
  int64_t Add(int64_t run, const DocumentRecord& doc) {
    int64_t id = 0;
    bool added = false;
    EXPECT_TRUE(db_->AddDocument(run, doc, false, &id, &added, &error_)) << error_;
    return id;
  }
  std::vector<RecordChange> Diff(int64_t a, int64_t b) {
    std::vector<RecordChange> changes;
    EXPECT_TRUE(db_->Diff(a, b, &changes, &error_)) << error_;
    return changes;
  }
  int64_t Count(const std::string& sql) {
    SQLite::Database db((dir_ / "k.db").string());
    return db.execAndGet(sql).getInt64();
  }
  std::string Text(const std::string& sql) {
    SQLite::Database db((dir_ / "k.db").string());
    return db.execAndGet(sql).getString();
  }

  TempDir dir_;
  std::unique_ptr<Database> db_;
  std::string error_;
};

TEST_F(HistoryTest, KeyComesFromDocumentBytesKindSpanAndValue) {
  const int64_t run = Run("run");
  DocumentRecord a = Document("/a.txt", "sha-a");
  a.records.dates = {Date(0, 10, "2019-10-18", "era"), Date(0, 10, "2019-10-19", "era"),
                     Date(11, 21, "2019-10-18", "era")};
  DocumentRecord b = Document("/b.txt", "sha-b");
  b.records.dates = {Date(0, 10, "2019-10-18", "era")};
  Add(run, a);
  Add(run, b);
  // Another value, another span or another document: another key.
  EXPECT_EQ(Count("SELECT COUNT(DISTINCT record_key) FROM dates"), 4);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM dates WHERE length(record_key) = 32"), 4);

  // The same record extracted again keeps its key, whatever rule now finds it.
  const std::string key = Text("SELECT record_key FROM dates WHERE document_id = 2");
  const int64_t again = Run("extract");
  extract::Records records;
  records.dates = {Date(0, 10, "2019-10-18", "western")};
  VersionCounts counts;
  ASSERT_TRUE(db_->ReplaceRecords(again, 2, records, {"dates"}, &counts, &error_)) << error_;
  EXPECT_EQ(Text("SELECT record_key FROM dates WHERE document_id = 2"), key);
  EXPECT_EQ(counts.changed, 1);
}

TEST_F(HistoryTest, ReextractionVersionsWhatChangedAndDiffShowsIt) {
  const int64_t first = Run("run");
  DocumentRecord doc = Document("/a.txt", "sha-a");
  doc.records.dates = {Date(0, 10, "2019-10-18", "era"), Date(11, 14, "2019-10-01", "month")};
  doc.records.municipalities = {Mention(11, "072036", "郡山市")};
  const int64_t id = Add(first, doc);

  const int64_t second = Run("extract");
  extract::Records records;
  records.dates = {Date(0, 10, "2019-10-18", "era"),              // unchanged
                   Date(11, 14, "2019-10-01", "month-fallback"),  // same key, another rule
                   Date(15, 18, "2019-11-01", "month")};          // new
  // The mention of 郡山市 is gone: no municipalities this time.
  VersionCounts counts;
  ASSERT_TRUE(db_->ReplaceRecords(second, id, records, {"dates", "municipalities"}, &counts, &error_)) << error_;
  EXPECT_EQ(counts.unchanged, 1);
  EXPECT_EQ(counts.changed, 1);
  EXPECT_EQ(counts.added, 1);
  EXPECT_EQ(counts.removed, 1);

  // The record tables hold the second run's records.
  EXPECT_EQ(Count("SELECT COUNT(*) FROM dates"), 3);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM municipality_mentions"), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM dates WHERE run_id = " + std::to_string(second)), 3);
  // The first run's records are still in the history.
  EXPECT_EQ(Count("SELECT COUNT(*) FROM record_versions WHERE added_run = " + std::to_string(first)), 3);

  const std::vector<RecordChange> changes = Diff(first, second);
  ASSERT_EQ(changes.size(), 3u);
  std::map<std::string, const RecordChange*> by;  // kind + change
  for (const RecordChange& c : changes) by[c.kind + (!c.before ? "+" : !c.after ? "-" : "~")] = &c;
  ASSERT_TRUE(by.count("dates+"));
  EXPECT_EQ(by["dates+"]->after->locus, "p1:15-18");
  ASSERT_TRUE(by.count("dates~"));
  EXPECT_EQ(by["dates~"]->before->rule_id, "month");
  EXPECT_EQ(by["dates~"]->after->rule_id, "month-fallback");
  EXPECT_EQ(by["dates~"]->before->key, by["dates~"]->after->key);
  ASSERT_TRUE(by.count("municipalities-"));
  EXPECT_EQ(nlohmann::json::parse(by["municipalities-"]->before->body)["code"], "072036");
  EXPECT_EQ(by["municipalities-"]->source_path, "/a.txt");

  // Backwards, what was added is removed; a run against itself differs in nothing.
  const std::vector<RecordChange> back = Diff(second, first);
  ASSERT_EQ(back.size(), 3u);
  int removed = 0, added = 0;
  for (const RecordChange& c : back) {
    removed += c.before && !c.after;
    added += c.after && !c.before;
  }
  EXPECT_EQ(removed, 1);
  EXPECT_EQ(added, 1);
  EXPECT_TRUE(Diff(second, second).empty());
}

TEST_F(HistoryTest, ANewValueAtTheSameSpanIsAChangeNotAnAdditionAndARemoval) {
  const int64_t first = Run("run");
  DocumentRecord doc = Document("/a.txt", "sha-a");
  doc.records.dates = {Date(0, 10, "2019-10-18", "era")};
  const int64_t id = Add(first, doc);
  const int64_t second = Run("extract");
  extract::Records records;
  records.dates = {Date(0, 10, "2018-10-18", "era")};
  VersionCounts counts;
  ASSERT_TRUE(db_->ReplaceRecords(second, id, records, {"dates"}, &counts, &error_)) << error_;
  const std::vector<RecordChange> changes = Diff(first, second);
  ASSERT_EQ(changes.size(), 1u);
  ASSERT_TRUE(changes[0].before && changes[0].after);
  EXPECT_NE(changes[0].before->key, changes[0].after->key);
  EXPECT_EQ(nlohmann::json::parse(changes[0].after->body)["start_date"], "2018-10-18");
}

TEST_F(HistoryTest, ReplacingOneKindLeavesTheOthersAndTheirRunAlone) {
  const int64_t first = Run("run");
  DocumentRecord doc = Document("/a.txt", "sha-a");
  doc.records.dates = {Date(0, 10, "2019-10-18", "era")};
  doc.records.municipalities = {Mention(11, "072036", "郡山市")};
  const int64_t id = Add(first, doc);
  const int64_t second = Run("extract");
  extract::Records records;  // no dates, no mentions
  VersionCounts counts;
  ASSERT_TRUE(db_->ReplaceRecords(second, id, records, {"municipalities"}, &counts, &error_)) << error_;
  EXPECT_EQ(Count("SELECT COUNT(*) FROM dates"), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM municipality_mentions"), 0);
  EXPECT_EQ(counts.removed, 1);

  // Nothing new: the rows are not rewritten and keep the run that produced them.
  const int64_t third = Run("extract");
  records.dates = {Date(0, 10, "2019-10-18", "era")};
  ASSERT_TRUE(db_->ReplaceRecords(third, id, records, {"dates"}, &counts, &error_)) << error_;
  EXPECT_EQ(counts.unchanged, 1);
  EXPECT_EQ(counts.added + counts.removed + counts.changed, 0);
  EXPECT_EQ(Count("SELECT run_id FROM dates"), first);

  EXPECT_FALSE(db_->ReplaceRecords(third, id, records, {"weather"}, &counts, &error_));
  EXPECT_NE(error_.find("weather"), std::string::npos) << error_;
  EXPECT_FALSE(db_->ReplaceRecords(third, 999, records, {"dates"}, &counts, &error_));
}

TEST_F(HistoryTest, ANewVersionOfAFileRetiresTheOldOnesRecords) {
  const int64_t first = Run("run");
  DocumentRecord old_doc = Document("/a.txt", "sha-old");
  old_doc.records.dates = {Date(0, 10, "2019-10-18", "era")};
  Add(first, old_doc);
  const int64_t second = Run("run");
  DocumentRecord new_doc = Document("/a.txt", "sha-new");
  new_doc.records.dates = {Date(0, 10, "2019-10-18", "era")};
  Add(second, new_doc);

  const std::vector<RecordChange> changes = Diff(first, second);
  ASSERT_EQ(changes.size(), 2u);  // the same date, but in other bytes: another record
  EXPECT_EQ(Count("SELECT COUNT(*) FROM current_records"), 1);
  EXPECT_EQ(Text("SELECT document_sha256 FROM current_records"), "sha-new");
  std::vector<StoredDocument> documents;
  ASSERT_TRUE(db_->CurrentDocuments(&documents, &error_));
  ASSERT_EQ(documents.size(), 1u);
  EXPECT_EQ(documents[0].sha256, "sha-new");
}

TEST_F(HistoryTest, EveryKindsBodyHasExactlyTheFieldsExportListsInOrder) {
  const int64_t run = Run("run");
  DocumentRecord doc = Document("/a.txt", "sha-a");
  doc.records.dates = {Date(0, 10, "2019-10-18", "era")};
  doc.records.municipalities = {Mention(11, "072036", "郡山市")};
  doc.records.areas = {{1, 11, 14, "こおりやま広域連携中枢都市圏", 12, "こおりやま広域連携中枢都市圏"}};
  extract::TableRecord table;
  table.first_page = table.last_page = 1;
  table.row_count = table.col_count = 1;
  table.rule_id = "tsv";
  table.cells = {{0, 0, "取組", true, 1, 20, 22}};
  doc.records.tables = {table};
  extract::ProjectRecord project;
  project.page_no = 1;
  project.name = "図書館相互利用事業";
  project.rule_id = "field-heading";
  project.participant_codes = {{"郡", "072036", "郡山市", "section-member"}};
  doc.records.projects = {project};
  extract::AgreementRecord agreement;
  agreement.page_no = 1;
  agreement.kind = "agreement";
  agreement.title = "連携協約";
  agreement.parties = {{"072036", "郡山市", "甲", ""}};
  agreement.appendices = {{"別表", {0}}};
  extract::ClauseRecord clause;
  clause.path = "第1条第1項";
  clause.article = clause.paragraph = 1;
  clause.text = "目的";
  clause.page_no = 1;
  clause.rule_id = "article";
  agreement.clauses = {clause};
  doc.records.agreements = {agreement};
  Add(run, doc);

  std::set<std::string> seen;
  ASSERT_TRUE(db_->ForEachCurrentRecord("", 0, [&](const ExportedRecord& r) {
    seen.insert(r.kind);
    const nlohmann::ordered_json body = nlohmann::ordered_json::parse(r.body);
    std::vector<std::string> fields;
    for (const auto& [name, value] : body.items()) fields.push_back(name);
    EXPECT_EQ(fields, RecordFields(r.kind)) << r.kind;
    EXPECT_EQ(r.source_path, "/a.txt");
    EXPECT_EQ(r.run_id, run);
  }, &error_)) << error_;
  EXPECT_EQ(seen.size(), RecordKinds().size());
  // The agreement's 別表 names its table by key, and the clause its agreement.
  EXPECT_EQ(Text("SELECT json_extract(body, '$.appendices[0].table_keys[0]') FROM record_versions WHERE kind = 'agreements'"),
            Text("SELECT record_key FROM tables"));
  EXPECT_EQ(Text("SELECT json_extract(body, '$.agreement_key') FROM record_versions WHERE kind = 'clauses'"),
            Text("SELECT record_key FROM agreements"));
  // The views join each record with its document and the text its span covers.
  EXPECT_EQ(Text("SELECT page_text FROM dates_view"), "令和元年10月18日");
  EXPECT_EQ(Text("SELECT page_text || ' ' || source_path FROM municipality_mentions_view"), "郡山市 /a.txt");
}

// Bodies are compared byte for byte across runs and versions of kobun, so they are
// written exactly as nlohmann::json writes them: parsing and dumping one changes nothing.
TEST(KeyRecords, BodiesAreTheBytesNlohmannJsonWrites) {
  extract::Records records;
  extract::DateRecord date = Date(0, 10, "2019-10-18", "era");
  date.surface = std::string("\"引用\" back\\slash\ttab\nline\r\b\f\x01\x1f\x7f 令和");
  records.dates = {date};
  extract::TableRecord table;
  table.first_page = table.last_page = 1;
  table.row_count = table.col_count = 1;
  table.x0 = 0.1, table.y0 = 72.5, table.x1 = 595.2755905511812, table.y1 = 1e-7;
  table.rule_id = "ruled";
  table.cells = {{0, 0, "a\"b", true, 1, -1, -1}};
  records.tables = {table};
  const KeyedRecords keyed = KeyRecords("sha-a", records);
  ASSERT_EQ(keyed.all.size(), 2u);
  EXPECT_EQ(keyed.document_sha256, "sha-a");
  for (const KeyedRecord& r : keyed.all) EXPECT_EQ(nlohmann::ordered_json::parse(r.body).dump(), r.body) << r.kind;
  EXPECT_EQ(nlohmann::ordered_json::parse(keyed.all[0].body)["surface"], date.surface);
}

TEST_F(HistoryTest, RecordsKeyedForAnotherDocumentAreRefused) {
  const int64_t run = Run("run");
  DocumentRecord doc = Document("/a.txt", "sha-a");
  doc.records.dates = {Date(0, 10, "2019-10-18", "era")};
  int64_t id = 0;
  bool added = false;
  EXPECT_FALSE(db_->AddDocument(run, doc, KeyRecords("sha-b", doc.records), false, &id, &added, &error_));
  EXPECT_EQ(Count("SELECT count(*) FROM documents"), 0);
  ASSERT_TRUE(db_->AddDocument(run, doc, KeyRecords("sha-a", doc.records), false, &id, &added, &error_)) << error_;
  VersionCounts counts;
  const int64_t again = Run("extract");
  EXPECT_FALSE(db_->ReplaceRecords(again, id, doc.records, KeyRecords("sha-b", doc.records), {"dates"}, &counts,
                                   &error_));
  EXPECT_NE(error_.find("another document"), std::string::npos) << error_;
  EXPECT_EQ(Count("SELECT count(*) FROM record_versions"), 1);
}

}  // namespace
}  // namespace kobun::store
