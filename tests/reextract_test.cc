// kobun extract, diff and export as a user runs them: a rule edit, re-extracted and
// diffed, must show exactly what a fresh run with the edited rules finds differently.
#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "tests/test_util.h"

namespace kobun {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;
using testing::Fixture;
using testing::RunKobun;
using testing::TempDir;

int64_t Count(const fs::path& db, const std::string& sql) {
  SQLite::Database d(db.string());
  return d.execAndGet(sql).getInt64();
}

// key → body of every current record.
std::map<std::string, std::string> CurrentRecords(const fs::path& db) {
  SQLite::Database d(db.string());
  SQLite::Statement q(d, "SELECT record_key, body FROM current_records");
  std::map<std::string, std::string> out;
  while (q.executeStep()) out[q.getColumn(0).getString()] = q.getColumn(1).getString();
  return out;
}

// A copy of the pipeline definitions (pipelines/*.toml, rules/, data/) under `dir`.
fs::path CopyPipeline(const fs::path& dir) {
  const fs::path source = fs::path(KOBUN_SOURCE_DIR) / "pipelines";
  fs::create_directories(dir / "pipelines");
  fs::copy_file(source / "default.toml", dir / "pipelines" / "default.toml");
  fs::copy(source / "rules", dir / "pipelines" / "rules", fs::copy_options::recursive);
  fs::copy(source / "data", dir / "pipelines" / "data", fs::copy_options::recursive);
  return dir / "pipelines" / "default.toml";
}

// Deletes the [[rules]] entry with this id from a rule file.
void RemoveRule(const fs::path& file, const std::string& id) {
  std::string text = testing::ReadFile(file);
  const size_t at = text.find("id = \"" + id + "\"");
  ASSERT_NE(at, std::string::npos) << id;
  const size_t begin = text.rfind("[[rules]]", at);
  size_t end = text.find("[[rules]]", at);
  if (end == std::string::npos) end = text.size();
  text.erase(begin, end - begin);
  testing::WriteFile(file, text);
}

class ReextractTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto run = RunKobun("run --db " + db() + " " + Fixture("reports").string());
    ASSERT_EQ(run.exit_code, 0) << run.err;
  }
  std::string db() const { return (dir_ / "k.db").string(); }
  TempDir dir_;
};

TEST_F(ReextractTest, UnchangedRulesGiveAnEmptyDiff) {
  const std::map<std::string, std::string> before = CurrentRecords(db());
  ASSERT_GT(before.size(), 100u);
  const auto extract = RunKobun("extract -j 2 --db " + db());
  ASSERT_EQ(extract.exit_code, 0) << extract.err;
  EXPECT_EQ(Count(db(), "SELECT COUNT(*) FROM runs WHERE command = 'extract'"), 1);

  const auto diff = RunKobun("diff --json --db " + db() + " 1 2");
  ASSERT_EQ(diff.exit_code, 0) << diff.err;
  const Json report = Json::parse(diff.out);
  EXPECT_EQ(report["changes"], 0) << diff.out;
  EXPECT_EQ(report["run_b"]["command"], "extract");
  EXPECT_EQ(CurrentRecords(db()), before);
  const auto text = RunKobun("diff --db " + db());  // latest against the one before
  EXPECT_NE(text.out.find("0 records differ"), std::string::npos) << text.out;
}

TEST_F(ReextractTest, DiffReportsExactlyWhatARuleEditAddedRemovedAndChanged) {
  const std::map<std::string, std::string> before = CurrentRecords(db());
  const int64_t month_day = Count(db(), "SELECT COUNT(*) FROM dates WHERE rule_id LIKE '%month-day%'");
  ASSERT_GT(month_day, 0);

  const fs::path pipeline = CopyPipeline(dir_.path());
  RemoveRule(pipeline.parent_path() / "rules" / "dates.toml", "month-day");
  const auto extract = RunKobun("extract --db " + db() + " --pipeline " + pipeline.string());
  ASSERT_EQ(extract.exit_code, 0) << extract.err;
  EXPECT_EQ(Count(db(), "SELECT COUNT(*) FROM dates WHERE rule_id LIKE '%month-day%'"), 0);
  EXPECT_EQ(Count(db(), "SELECT COUNT(DISTINCT rules_version) FROM runs"), 2);

  // What a fresh run with the edited rules finds, independently of the history.
  const std::string fresh_db = (dir_ / "fresh.db").string();
  ASSERT_EQ(RunKobun("run --db " + fresh_db + " --pipeline " + pipeline.string() + " " + Fixture("reports").string())
                .exit_code, 0);
  const std::map<std::string, std::string> after = CurrentRecords(fresh_db);
  EXPECT_EQ(CurrentRecords(db()), after);
  std::set<std::string> gone, come, reworded;
  for (const auto& [key, body] : before) {
    if (!after.count(key)) gone.insert(key);
    else if (after.at(key) != body) reworded.insert(key);
  }
  for (const auto& [key, body] : after)
    if (!before.count(key)) come.insert(key);
  ASSERT_GE(gone.size(), static_cast<size_t>(month_day));

  const auto diff = RunKobun("diff --json --db " + db() + " 1 2");
  ASSERT_EQ(diff.exit_code, 0) << diff.err;
  const Json report = Json::parse(diff.out);
  std::set<std::string> removed, added, changed_same_key;
  int64_t month_day_removed = 0;
  for (const Json& document : report["documents"]) {
    for (const Json& c : document["changes"]) {
      const std::string change = c["change"];
      if (change == "added") added.insert(c["key"].get<std::string>());
      if (change == "removed") {
        removed.insert(c["key"].get<std::string>());
        month_day_removed += c["rule_id"].get<std::string>().find("month-day") != std::string::npos;
      }
      if (change == "changed" && c.contains("before_key")) {
        removed.insert(c["before_key"].get<std::string>());
        added.insert(c["key"].get<std::string>());
      } else if (change == "changed") {
        changed_same_key.insert(c["key"].get<std::string>());
      }
    }
  }
  EXPECT_EQ(removed, gone);
  EXPECT_EQ(added, come);
  EXPECT_EQ(changed_same_key, reworded);
  EXPECT_GT(month_day_removed, 0);
  EXPECT_GT(report["by_rule"]["dates"]["month-day"]["removed"].get<int>(), 0) << report["by_rule"].dump();

  // For a person: the rule and the record, with the document it is in.
  const auto text = RunKobun("diff --db " + db() + " 1 2");
  EXPECT_NE(text.out.find("month-day"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("- dates p"), std::string::npos) << text.out;
}

// The rules compile while the workers already read pages; a rule that does not compile
// must still stop the command before it records a run or touches a record.
TEST_F(ReextractTest, ARuleThatDoesNotCompileStopsBeforeAnythingIsWritten) {
  const std::map<std::string, std::string> before = CurrentRecords(db());
  const int64_t runs = Count(db(), "SELECT COUNT(*) FROM runs");
  const fs::path pipeline = CopyPipeline(dir_.path());
  const fs::path dates = pipeline.parent_path() / "rules" / "dates.toml";
  testing::WriteFile(dates, testing::ReadFile(dates) + "\n[[rules]]\nid = \"broken\"\npattern = '(?P<year>[0-9]+'\n");

  const auto extract = RunKobun("extract -j 2 --db " + db() + " --pipeline " + pipeline.string());
  EXPECT_EQ(extract.exit_code, 2) << extract.err;
  EXPECT_NE(extract.err.find("dates.toml"), std::string::npos) << extract.err;
  EXPECT_NE(extract.err.find("broken"), std::string::npos) << extract.err;
  EXPECT_EQ(Count(db(), "SELECT COUNT(*) FROM runs"), runs);
  EXPECT_EQ(CurrentRecords(db()), before);
}

TEST_F(ReextractTest, ExportWritesEveryCurrentRecordOnceInEitherFormat) {
  const int64_t records = Count(db(), "SELECT COUNT(*) FROM current_records");
  const fs::path jsonl = dir_ / "records.jsonl";
  const auto exported = RunKobun("export --db " + db() + " --format jsonl -o " + jsonl.string());
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  EXPECT_FALSE(fs::exists(jsonl.string() + ".partial"));
  std::istringstream lines(testing::ReadFile(jsonl));
  std::set<std::string> keys;
  std::map<std::string, int> kinds;
  for (std::string line; std::getline(lines, line);) {
    const Json r = Json::parse(line);
    keys.insert(r["key"].get<std::string>());
    ++kinds[r["kind"]];
    EXPECT_TRUE(r["document"]["source_path"].get<std::string>().find("fixtures/reports/") != std::string::npos);
    EXPECT_EQ(r["run"], 1);
    EXPECT_TRUE(r["record"].is_object());
  }
  EXPECT_EQ(static_cast<int64_t>(keys.size()), records);
  EXPECT_EQ(kinds["dates"], Count(db(), "SELECT COUNT(*) FROM dates"));
  EXPECT_EQ(kinds["clauses"], Count(db(), "SELECT COUNT(*) FROM clauses"));

  const auto csv = RunKobun("export --db " + db() + " --format csv --kind municipalities");
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  EXPECT_EQ(csv.out.rfind("key,document_id,source_path,document_sha256,run,rules_version,page,start,end,surface,code,", 0),
            0u) << csv.out.substr(0, 200);
  int64_t rows = 0;
  for (char c : csv.out) rows += c == '\n';
  EXPECT_EQ(rows - 1, Count(db(), "SELECT COUNT(*) FROM municipality_mentions"));

  // --since: only what runs after it made new; none after the latest run.
  const auto since = RunKobun("export --db " + db() + " --format jsonl --since 1");
  EXPECT_EQ(since.exit_code, 0);
  EXPECT_TRUE(since.out.empty()) << since.out.substr(0, 200);

  EXPECT_EQ(RunKobun("export --db " + db() + " --format csv").exit_code, 2);  // csv needs --kind
  EXPECT_EQ(RunKobun("export --db " + db() + " --format jsonl --kind weather").exit_code, 2);
  EXPECT_EQ(RunKobun("export --db " + db() + " --format xml").exit_code, 2);
  EXPECT_EQ(RunKobun("export --db " + (dir_ / "none.db").string() + " --format jsonl").exit_code, 2);
}

TEST_F(ReextractTest, OnlyAndDocumentsNarrowTheExtraction) {
  const auto only = RunKobun("extract --db " + db() + " --only tables kitakami-press-2023.txt");
  ASSERT_EQ(only.exit_code, 0) << only.err;
  EXPECT_NE(only.err.find("1 documents re-extracted"), std::string::npos) << only.err;
  EXPECT_EQ(RunKobun("extract --db " + db() + " --only weather").exit_code, 2);
  EXPECT_EQ(RunKobun("extract --db " + db() + " no-such-document.txt").exit_code, 2);
  EXPECT_EQ(RunKobun("extract --db " + (dir_ / "none.db").string()).exit_code, 2);
  EXPECT_EQ(RunKobun("diff --db " + db() + " 1 99").exit_code, 2);
}

// A PostgreSQL server of the test's own (tests/pg_server.sh), on a Unix socket.
class PushTest : public ReextractTest {
 protected:
  static void SetUpTestSuite() {
    server_dir_ = new TempDir();
    const std::string script = std::string(KOBUN_SOURCE_DIR) + "/tests/pg_server.sh";
    const std::string out = (server_dir_->path().parent_path() / (server_dir_->path().filename().string() + ".uri")).string();
    const int status = std::system((script + " start " + (server_dir_->path() / "pg").string() + " >" + out + " 2>" +
                                    out + ".err").c_str());
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
      uri_ = testing::ReadFile(out);
      while (!uri_.empty() && uri_.back() == '\n') uri_.pop_back();
    } else {
      why_not_ = testing::ReadFile(out + ".err");
    }
    fs::remove(out);
    fs::remove(out + ".err");
  }
  static void TearDownTestSuite() {
    if (!uri_.empty())
      std::system((std::string(KOBUN_SOURCE_DIR) + "/tests/pg_server.sh stop " + (server_dir_->path() / "pg").string()).c_str());
    delete server_dir_;
  }
  void SetUp() override {
    if (uri_.empty()) GTEST_SKIP() << "no PostgreSQL server could be started here: " << why_not_;
    ReextractTest::SetUp();
  }

  // key → record (as text) of every row in <schema>.records.
  static std::map<std::string, std::string> ServerRecords(const std::string& schema) {
    std::map<std::string, std::string> out;
    PGconn* c = PQconnectdb(uri_.c_str());
    EXPECT_EQ(PQstatus(c), CONNECTION_OK) << PQerrorMessage(c);
    PGresult* r = PQexec(c, ("SELECT key, record::text FROM " + schema + ".records").c_str());
    EXPECT_EQ(PQresultStatus(r), PGRES_TUPLES_OK) << PQresultErrorMessage(r);
    for (int i = 0; i < PQntuples(r); ++i) out[PQgetvalue(r, i, 0)] = PQgetvalue(r, i, 1);
    PQclear(r);
    PQfinish(c);
    return out;
  }
  static std::set<std::string> Keys(const std::map<std::string, std::string>& records) {
    std::set<std::string> keys;
    for (const auto& [key, body] : records) keys.insert(key);
    return keys;
  }

  static TempDir* server_dir_;
  static std::string uri_, why_not_;
};
TempDir* PushTest::server_dir_ = nullptr;
std::string PushTest::uri_, PushTest::why_not_;

TEST_F(PushTest, TwoPushesLeaveTheSameRowsAndARuleChangeIsMirroredExactly) {
  const auto first = RunKobun("push --db " + db() + " --schema first '" + uri_ + "'");
  ASSERT_EQ(first.exit_code, 0) << first.err;
  const std::map<std::string, std::string> pushed = ServerRecords("first");
  EXPECT_EQ(Keys(pushed), Keys(CurrentRecords(db())));
  EXPECT_EQ(static_cast<int64_t>(pushed.size()), Count(db(), "SELECT COUNT(*) FROM current_records"));

  const auto second = RunKobun("push --db " + db() + " --schema first '" + uri_ + "'");
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_NE(second.err.find("0 inserted, 0 updated, 0 deleted"), std::string::npos) << second.err;
  EXPECT_EQ(ServerRecords("first"), pushed);

  const fs::path pipeline = CopyPipeline(dir_.path());
  RemoveRule(pipeline.parent_path() / "rules" / "dates.toml", "month-day");
  ASSERT_EQ(RunKobun("extract --db " + db() + " --pipeline " + pipeline.string()).exit_code, 0);
  const auto third = RunKobun("push --db " + db() + " --schema first '" + uri_ + "'");
  ASSERT_EQ(third.exit_code, 0) << third.err;
  EXPECT_EQ(third.err.find(" 0 deleted"), std::string::npos) << third.err;
  const std::map<std::string, std::string> now = ServerRecords("first");
  EXPECT_EQ(Keys(now), Keys(CurrentRecords(db())));
  EXPECT_NE(Keys(now), Keys(pushed));
  // The record column holds what export writes: equal as JSON to the SQLite bodies.
  for (const auto& [key, body] : CurrentRecords(db())) {
    ASSERT_TRUE(now.count(key));
    EXPECT_EQ(Json::parse(now.at(key)), Json::parse(body)) << key;
  }
}

TEST_F(PushTest, AFailedPushChangesNothingAndSaysWhy) {
  ASSERT_EQ(RunKobun("push --db " + db() + " --schema kept '" + uri_ + "'").exit_code, 0);
  const std::map<std::string, std::string> before = ServerRecords("kept");
  const auto bad_schema = RunKobun("push --db " + db() + " --schema 'Robert; DROP' '" + uri_ + "'");
  EXPECT_EQ(bad_schema.exit_code, 1);
  EXPECT_NE(bad_schema.err.find("schema"), std::string::npos) << bad_schema.err;
  const auto unreachable = RunKobun("push --db " + db() + " 'postgresql://nobody@/none?host=/nonexistent&port=1'");
  EXPECT_EQ(unreachable.exit_code, 1);
  EXPECT_NE(unreachable.err.find("cannot connect"), std::string::npos) << unreachable.err;
  EXPECT_EQ(ServerRecords("kept"), before);
}

}  // namespace
}  // namespace kobun
