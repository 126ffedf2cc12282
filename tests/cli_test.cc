// The kobun command as a user runs it: exit codes, messages, idempotent runs.
#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include "tests/test_util.h"

namespace kobun {
namespace {

using testing::Fixture;
using testing::RunKobun;
using testing::TempDir;

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

int64_t Count(const std::filesystem::path& db, const std::string& sql) {
  SQLite::Database d(db.string());
  return d.execAndGet(sql).getInt64();
}

TEST(Cli, UsageErrorsExitTwo) {
  EXPECT_EQ(RunKobun("").exit_code, 2);
  EXPECT_EQ(RunKobun("frobnicate").exit_code, 2);
  EXPECT_EQ(RunKobun("run").exit_code, 2);  // no PATH
  EXPECT_EQ(RunKobun("run --jobs=-3 x").exit_code, 2);
  TempDir dir;
  testing::WriteFile(dir / "bad.toml", "[extract\n");
  const auto bad_pipeline = RunKobun("run --db " + (dir / "k.db").string() + " --pipeline " +
                                     (dir / "bad.toml").string() + " " + Fixture("reports").string());
  EXPECT_EQ(bad_pipeline.exit_code, 2);
  EXPECT_TRUE(Contains(bad_pipeline.err, "bad.toml")) << bad_pipeline.err;
}

TEST(Cli, HelpExplainsEachCommand) {
  const auto top = RunKobun("--help");
  EXPECT_EQ(top.exit_code, 0);
  EXPECT_TRUE(Contains(top.out, "run")) << top.out;
  EXPECT_TRUE(Contains(top.out, "stats")) << top.out;
  const auto run = RunKobun("run --help");
  EXPECT_EQ(run.exit_code, 0);
  for (const char* option : {"--db", "--pipeline", "--jobs", "--force", "Exit status"})
    EXPECT_TRUE(Contains(run.out, option)) << option << "\n" << run.out;
  EXPECT_EQ(RunKobun("stats --help").exit_code, 0);
}

TEST(Cli, GoodDocumentsGoInAndASecondRunAddsNothing) {
  TempDir dir;
  const std::string db = (dir / "k.db").string();
  const auto first = RunKobun("run --db " + db + " " + Fixture("reports").string());
  ASSERT_EQ(first.exit_code, 0) << first.err;
  const int64_t documents = Count(db, "SELECT COUNT(*) FROM documents");
  EXPECT_EQ(documents, 8);  // five text reports, three PDFs; README.md is skipped
  EXPECT_EQ(Count(db, "SELECT COUNT(*) FROM documents d WHERE NOT EXISTS "
                      "(SELECT 1 FROM pages p WHERE p.document_id = d.id)"), 0);
  EXPECT_EQ(Count(db, "SELECT COUNT(*) FROM pages WHERE document_id = "
                      "(SELECT id FROM documents WHERE source_path LIKE '%morioka-vision-utf16.txt')"), 2);
  EXPECT_FALSE(Contains(first.err, "\033[K"));  // no progress line when stderr is not a terminal

  const auto second = RunKobun("run --db " + db + " " + Fixture("reports").string());
  EXPECT_EQ(second.exit_code, 0) << second.err;
  EXPECT_EQ(Count(db, "SELECT COUNT(*) FROM documents"), documents);
  EXPECT_TRUE(Contains(second.err, "0 added")) << second.err;
  EXPECT_TRUE(Contains(second.err, "8 unchanged")) << second.err;

  const auto forced = RunKobun("run --force -j 1 --db " + db + " " + Fixture("reports").string());
  EXPECT_EQ(forced.exit_code, 0) << forced.err;
  EXPECT_EQ(Count(db, "SELECT COUNT(*) FROM documents"), documents);
  EXPECT_EQ(Count(db, "SELECT MIN(run_id) FROM documents"), 3);  // every document rewritten by run 3
}

TEST(Cli, BadFilesAreEachRecordedAndTheRestGoIn) {
  TempDir dir;
  const std::string db = (dir / "k.db").string();
  const auto r = RunKobun("run --db " + db + " " + Fixture("bad").string() + " " + Fixture("reports/utf8-bom-note.txt").string());
  EXPECT_EQ(r.exit_code, 1);
  for (const char* name : {"empty.txt", "empty.pdf", "truncated.pdf", "needs-password.pdf", "binary.txt"}) {
    EXPECT_TRUE(Contains(r.err, std::string(name) + ": ")) << name << "\n" << r.err;
    EXPECT_EQ(Count(db, std::string("SELECT COUNT(*) FROM failures WHERE source_path LIKE '%/") + name + "'"), 1)
        << name;
  }
  EXPECT_TRUE(Contains(r.err, "needs a password"));
  // Readable files of the same batch went in; the PNG was skipped, not failed.
  EXPECT_EQ(Count(db, "SELECT COUNT(*) FROM documents WHERE source_path LIKE '%empty-user-password.pdf'"), 1);
  EXPECT_EQ(Count(db, "SELECT COUNT(*) FROM documents WHERE source_path LIKE '%utf8-bom-note.txt'"), 1);
  EXPECT_EQ(Count(db, "SELECT COUNT(*) FROM failures WHERE source_path LIKE '%.png'"), 0);
  // Nothing of a failed file is in the database.
  EXPECT_EQ(Count(db, "SELECT COUNT(*) FROM documents WHERE source_path LIKE '%needs-password.pdf'"), 0);
}

TEST(Cli, MissingPathIsAFailureNotACrash) {
  TempDir dir;
  const auto r = RunKobun("run --db " + (dir / "k.db").string() + " " + (dir / "nowhere").string());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(Contains(r.err, "nowhere: no such file or directory")) << r.err;
}

TEST(Cli, StatsReportsTheDatabase) {
  TempDir dir;
  const std::string db = (dir / "k.db").string();
  EXPECT_EQ(RunKobun("stats --db " + db).exit_code, 2);  // no database yet
  ASSERT_EQ(RunKobun("run --db " + db + " " + Fixture("reports/kitakami-press-2023.txt").string()).exit_code, 0);
  const auto stats = RunKobun("stats --db " + db);
  EXPECT_EQ(stats.exit_code, 0);
  EXPECT_TRUE(Contains(stats.out, "documents     1")) << stats.out;
  EXPECT_TRUE(Contains(stats.out, "text/plain  1")) << stats.out;
}

}  // namespace
}  // namespace kobun
