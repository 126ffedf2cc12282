// store/: schema and migrations, one transaction per document, versions, failures.
#include "store/store.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include "tests/test_util.h"

namespace kobun::store {
namespace {

using testing::TempDir;

DocumentRecord MakeDocument(const std::string& path, const std::string& sha, int pages) {
  DocumentRecord doc;
  doc.source_path = path;
  doc.sha256 = sha;
  doc.media_type = "text/plain";
  doc.encoding = "UTF-8";
  doc.title = "連携協約";
  for (int i = 1; i <= pages; ++i) {
    PageRecord page;
    page.page_no = i;
    page.raw_text = "令和元年 10 月 18 日";
    page.text = "令和元年10月18日";
    page.offset_map = std::string(12, '\0');
    doc.pages.push_back(page);
  }
  return doc;
}

int64_t Count(const std::string& db_path, const std::string& sql) {
  SQLite::Database db(db_path);
  return db.execAndGet(sql).getInt64();
}

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = Database::Open(path(), &error_);
    ASSERT_NE(db_, nullptr) << error_;
    ASSERT_TRUE(db_->BeginRun("run", "rules-a", "default.toml", &run_, &error_)) << error_;
  }
  std::string path() const { return (dir_ / "k.db").string(); }

  TempDir dir_;
  std::unique_ptr<Database> db_;
  int64_t run_ = 0;
  std::string error_;
};

TEST_F(StoreTest, NewDatabaseHasTheCurrentSchemaInWalModeWithForeignKeys) {
  EXPECT_EQ(db_->SchemaVersion(), CurrentSchemaVersion());
  SQLite::Database db(path());
  EXPECT_EQ(db.execAndGet("PRAGMA journal_mode").getString(), "wal");
  for (const char* table : {"documents", "pages", "runs", "failures", "dates", "municipality_mentions", "tables",
                            "table_cells", "projects", "project_participants", "agreements", "agreement_parties", "clauses"}) {
    EXPECT_TRUE(db.tableExists(table)) << table;
  }
}

TEST_F(StoreTest, ReopeningKeepsDataAndDoesNotMigrateAgain) {
  int64_t id;
  bool added;
  ASSERT_TRUE(db_->AddDocument(run_, MakeDocument("/a.txt", "sha-a", 1), false, &id, &added, &error_));
  db_.reset();
  std::unique_ptr<Database> again = Database::Open(path(), &error_);
  ASSERT_NE(again, nullptr) << error_;
  EXPECT_EQ(again->SchemaVersion(), CurrentSchemaVersion());
  EXPECT_EQ(Count(path(), "SELECT COUNT(*) FROM documents"), 1);
}

TEST_F(StoreTest, DatabaseFromANewerKobunIsRefused) {
  db_.reset();
  {
    SQLite::Database db(path(), SQLite::OPEN_READWRITE);
    db.exec("PRAGMA user_version = " + std::to_string(CurrentSchemaVersion() + 1));
  }
  std::string error;
  EXPECT_EQ(Database::Open(path(), &error), nullptr);
  EXPECT_NE(error.find("newer"), std::string::npos) << error;
}

TEST_F(StoreTest, NotADatabaseIsAnError) {
  testing::WriteFile(dir_ / "junk.db", std::string(4096, 'x'));
  std::string error;
  EXPECT_EQ(Database::Open((dir_ / "junk.db").string(), &error), nullptr);
  EXPECT_NE(error.find("junk.db"), std::string::npos) << error;
}

TEST_F(StoreTest, DocumentGoesInWithItsPages) {
  int64_t id;
  bool added;
  ASSERT_TRUE(db_->AddDocument(run_, MakeDocument("/a.txt", "sha-a", 3), false, &id, &added, &error_)) << error_;
  EXPECT_TRUE(added);
  EXPECT_EQ(Count(path(), "SELECT page_count FROM documents WHERE id = " + std::to_string(id)), 3);
  EXPECT_EQ(Count(path(), "SELECT COUNT(*) FROM pages WHERE document_id = " + std::to_string(id)), 3);
  EXPECT_EQ(Count(path(), "SELECT run_id FROM documents"), run_);
}

TEST_F(StoreTest, PageTextOffsetsCountCodePoints) {
  int64_t id;
  bool added;
  ASSERT_TRUE(db_->AddDocument(run_, MakeDocument("/a.txt", "sha-a", 1), false, &id, &added, &error_));
  SQLite::Database db(path());
  // A record at code points [4, 9) of "令和元年10月18日" is "10月18".
  EXPECT_EQ(db.execAndGet("SELECT substr(text, 4 + 1, 9 - 4) FROM pages").getString(), "10月18");
}

TEST_F(StoreTest, FailingDocumentLeavesNoRows) {
  DocumentRecord doc = MakeDocument("/bad.txt", "sha-bad", 2);
  doc.pages[1].page_no = 1;  // a duplicate page breaks the insert after the document row went in
  int64_t id;
  bool added;
  EXPECT_FALSE(db_->AddDocument(run_, doc, false, &id, &added, &error_));
  EXPECT_FALSE(added);
  EXPECT_FALSE(error_.empty());
  EXPECT_EQ(Count(path(), "SELECT COUNT(*) FROM documents"), 0);
  EXPECT_EQ(Count(path(), "SELECT COUNT(*) FROM pages"), 0);
}

TEST_F(StoreTest, SameBytesAreNotAddedTwice) {
  int64_t first, second;
  bool added;
  ASSERT_TRUE(db_->AddDocument(run_, MakeDocument("/a.txt", "sha-a", 1), false, &first, &added, &error_));
  ASSERT_TRUE(db_->AddDocument(run_, MakeDocument("/copy-of-a.txt", "sha-a", 1), false, &second, &added, &error_));
  EXPECT_FALSE(added);
  EXPECT_EQ(first, second);
  EXPECT_EQ(Count(path(), "SELECT COUNT(*) FROM documents"), 1);
  EXPECT_EQ(db_->KnownHashes().count("sha-a"), 1u);
}

TEST_F(StoreTest, ReplaceRewritesTheDocumentAndItsRecords) {
  int64_t first, second;
  bool added;
  ASSERT_TRUE(db_->AddDocument(run_, MakeDocument("/a.txt", "sha-a", 2), false, &first, &added, &error_));
  {
    SQLite::Database db(path(), SQLite::OPEN_READWRITE);
    db.exec("PRAGMA foreign_keys = ON");
    db.exec("INSERT INTO dates(document_id, page_no, start_offset, end_offset, surface, rule_id) VALUES (" +
            std::to_string(first) + ", 1, 0, 4, '令和元年', 'test')");
  }
  ASSERT_TRUE(db_->AddDocument(run_, MakeDocument("/a.txt", "sha-a", 1), true, &second, &added, &error_)) << error_;
  EXPECT_TRUE(added);
  EXPECT_EQ(Count(path(), "SELECT COUNT(*) FROM documents"), 1);
  EXPECT_EQ(Count(path(), "SELECT COUNT(*) FROM pages"), 1);
  EXPECT_EQ(Count(path(), "SELECT COUNT(*) FROM dates"), 0);
}

TEST_F(StoreTest, ProjectParticipantsAreRowsInWrittenOrderAndGoWithTheirDocument) {
  DocumentRecord doc = MakeDocument("/a.txt", "sha-a", 1);
  extract::ProjectRecord project;
  project.page_no = 1;
  project.name = "図書館相互利用事業";
  project.participants = "高・綾";
  project.rule_id = "field-heading";
  project.participant_codes = {{"高", "372013", "高松市", "section-member"}, {"綾", "", "", ""}};
  doc.records.projects.push_back(project);
  int64_t id;
  bool added;
  ASSERT_TRUE(db_->AddDocument(run_, doc, false, &id, &added, &error_)) << error_;
  {
    SQLite::Database db(path());
    SQLite::Statement rows(db,
                           "SELECT position, abbreviation, pp.code IS NULL, pp.rule_id IS NULL FROM project_participants pp"
                           " JOIN projects ON projects.id = pp.project_id ORDER BY position");
    ASSERT_TRUE(rows.executeStep());
    EXPECT_EQ(rows.getColumn(1).getString(), "高");
    EXPECT_EQ(rows.getColumn(2).getInt(), 0);
    ASSERT_TRUE(rows.executeStep());
    EXPECT_EQ(rows.getColumn(0).getInt(), 2);
    EXPECT_EQ(rows.getColumn(1).getString(), "綾");
    EXPECT_EQ(rows.getColumn(2).getInt(), 1);  // NULL code: not defined by the document
    EXPECT_EQ(rows.getColumn(3).getInt(), 1);
    EXPECT_FALSE(rows.executeStep());
  }
  ASSERT_TRUE(db_->AddDocument(run_, MakeDocument("/a.txt", "sha-a", 1), true, &id, &added, &error_)) << error_;
  EXPECT_EQ(Count(path(), "SELECT COUNT(*) FROM project_participants"), 0);
}

TEST_F(StoreTest, ChangedFileIsANewVersionOfItsPath) {
  int64_t v1, v2;
  bool added;
  ASSERT_TRUE(db_->AddDocument(run_, MakeDocument("/a.txt", "sha-1", 1), false, &v1, &added, &error_));
  ASSERT_TRUE(db_->AddDocument(run_, MakeDocument("/a.txt", "sha-2", 1), false, &v2, &added, &error_));
  EXPECT_TRUE(added);
  EXPECT_EQ(Count(path(), "SELECT version FROM documents WHERE id = " + std::to_string(v2)), 2);
  EXPECT_EQ(Count(path(), "SELECT superseded_by FROM documents WHERE id = " + std::to_string(v1)), v2);
  EXPECT_EQ(Count(path(), "SELECT COUNT(*) FROM documents WHERE superseded_by IS NULL"), 1);
}

TEST_F(StoreTest, FailuresAndRunCountsAreRecorded) {
  ASSERT_TRUE(db_->RecordFailure(run_, "/x.pdf", "ingest", "it is encrypted and needs a password", &error_));
  RunCounts counts;
  counts.documents_added = 3;
  counts.files_failed = 1;
  ASSERT_TRUE(db_->FinishRun(run_, counts, &error_));
  SQLite::Database db(path());
  EXPECT_EQ(db.execAndGet("SELECT message FROM failures WHERE source_path = '/x.pdf'").getString(),
            "it is encrypted and needs a password");
  EXPECT_EQ(db.execAndGet("SELECT json_extract(counts, '$.documents_added') FROM runs").getInt(), 3);
  EXPECT_FALSE(db.execAndGet("SELECT finished_at FROM runs").isNull());
  Stats stats;
  ASSERT_TRUE(db_->GetStats(&stats, &error_));
  EXPECT_EQ(stats.failures_last_run, 1);
  EXPECT_EQ(stats.last_run_rules_version, "rules-a");
}

}  // namespace
}  // namespace kobun::store
