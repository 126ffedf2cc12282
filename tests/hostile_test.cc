// Hostile input and hostile endings: every bad file of a batch is one recorded failure
// (or a flagged document) with a sentence that says what is wrong, every other file goes
// in, per-document limits hold, and a run killed with SIGKILL leaves a consistent
// database that the next run completes.
#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "ingest/ingest.h"
#include "tests/test_util.h"

namespace kobun {
namespace {

namespace fs = std::filesystem;
using testing::Fixture;
using testing::RunKobun;
using testing::TempDir;

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

int64_t Count(const fs::path& db, const std::string& sql) {
  SQLite::Database d(db.string());
  return d.execAndGet(sql).getInt64();
}

std::string Text(const fs::path& db, const std::string& sql) {
  SQLite::Database d(db.string());
  return d.execAndGet(sql).getString();
}

class HostileBatch : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    // A report that is one 1 MB line: no line breaks for the line-based rules to use.
    std::string line;
    while (line.size() < (1u << 20)) line += "令和5年4月1日に盛岡市と滝沢市は連携協約を締結し、";
    testing::WriteFile(*dir_ / "huge-line.txt", line);
    result_ = new testing::CommandResult(RunKobun("run --db " + db() + " " + Fixture("bad").string() + " " +
                                                   (*dir_ / "huge-line.txt").string() + " " +
                                                   Fixture("reports/utf8-bom-note.txt").string()));
  }
  static void TearDownTestSuite() {
    delete result_;
    delete dir_;
  }
  static std::string db() { return (*dir_ / "k.db").string(); }
  static int64_t Failures(const std::string& name) {
    return Count(db(), "SELECT COUNT(*) FROM failures WHERE source_path LIKE '%/" + name + "'");
  }
  static int64_t Documents(const std::string& name) {
    return Count(db(), "SELECT COUNT(*) FROM documents WHERE source_path LIKE '%/" + name + "'");
  }
  static TempDir* dir_;
  static testing::CommandResult* result_;
};
TempDir* HostileBatch::dir_ = nullptr;
testing::CommandResult* HostileBatch::result_ = nullptr;

TEST_F(HostileBatch, EachBadFileIsOneFailureThatSaysWhy) {
  EXPECT_EQ(result_->exit_code, 1);
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"empty.txt", "the file is empty"},
      {"empty.pdf", "the file is empty"},
      {"truncated.pdf", "damaged, truncated"},
      {"needs-password.pdf", "needs a password"},
      {"binary.txt", "binary data"},
      {"invalid-utf8.txt", "not UTF-8 (an invalid byte at line 3"},
      {"mixed-encodings.txt", "mixed encodings"},
      {"many-pages.pdf", "2500 pages, more than the limit of 2000 (--max-pages)"},
  };
  for (const auto& [name, why] : expected) {
    EXPECT_EQ(Failures(name), 1) << name;
    EXPECT_EQ(Documents(name), 0) << name;
    EXPECT_TRUE(Contains(result_->err, name + ": ")) << name << "\n" << result_->err;
    EXPECT_TRUE(Contains(Text(db(), "SELECT message FROM failures WHERE source_path LIKE '%/" + name + "'"), why))
        << name;
  }
  EXPECT_EQ(Count(db(), "SELECT COUNT(*) FROM failures"), static_cast<int64_t>(expected.size()));
}

TEST_F(HostileBatch, ReadableFilesOfTheSameBatchGoIn) {
  for (const char* name : {"garbage-middle.pdf", "empty-user-password.pdf", "deep-nesting.pdf", "scan-no-text.pdf",
                           "huge-line.txt", "utf8-bom-note.txt"}) {
    EXPECT_EQ(Documents(name), 1) << name;
  }
  // A damaged font stream and 100,000 nested arrays do not stop the page text.
  EXPECT_TRUE(Contains(Text(db(), "SELECT p.text FROM pages p JOIN documents d ON d.id = p.document_id"
                                  " WHERE d.source_path LIKE '%/deep-nesting.pdf'"), "Nested objects"));
  // The 1 MB line is one page, and its dates are found all along it.
  EXPECT_GT(Count(db(), "SELECT COUNT(*) FROM dates d JOIN documents x ON x.id = d.document_id"
                        " WHERE x.source_path LIKE '%/huge-line.txt'"), 12000);
  EXPECT_EQ(Count(db(), "SELECT COUNT(*) FROM failures WHERE source_path LIKE '%.png'"), 0);  // skipped
}

TEST_F(HostileBatch, AScanWithoutTextIsFlaggedNotAnEmptySuccess) {
  EXPECT_TRUE(Contains(Text(db(), "SELECT warnings FROM documents WHERE source_path LIKE '%/scan-no-text.pdf'"),
                       "a scan without a text layer"));
  EXPECT_TRUE(Contains(result_->err, "scan-no-text.pdf: no page has any text")) << result_->err;
}

TEST(Limits, APageLimitAboveTheDocumentLetsItIn) {
  TempDir dir;
  const std::string db = (dir / "k.db").string();
  const auto r = RunKobun("run --max-pages 3000 --db " + db + " " + Fixture("bad/many-pages.pdf").string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Count(db, "SELECT page_count FROM documents"), 2500);
  EXPECT_EQ(RunKobun("run --max-pages 0 --db " + db + " x").exit_code, 2);
}

TEST(Limits, AFileOverTheSizeLimitIsNotRead) {
  TempDir dir;
  const std::string db = (dir / "k.db").string();
  std::string big(2u << 20, 'a');
  testing::WriteFile(dir / "big.txt", big);
  const auto r = RunKobun("run --max-file-mb 1 --db " + db + " " + (dir / "big.txt").string());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(Contains(r.err, "big.txt: it is 2 MB, more than the limit of 1 MB (--max-file-mb)")) << r.err;
}

TEST(Limits, ADocumentPastItsDeadlineStopsBetweenPages) {
  ingest::Limits limits;
  limits.deadline = std::chrono::steady_clock::now() - std::chrono::seconds(1);
  limits.timeout_seconds = 7;
  ingest::Document doc;
  std::string error;
  EXPECT_FALSE(ingest::LoadDocument(testing::ReadFile(Fixture("reports/koriyama-agreement.pdf")),
                                    ingest::MediaType::kPdf, &doc, &error, limits));
  EXPECT_TRUE(Contains(error, "longer than the limit of 7 s (--timeout); stopped at page 1")) << error;
  EXPECT_TRUE(doc.pages.empty());
}

// Copies of the fixture reports under distinct names, so that a run has many files to
// get through and can be killed in the middle of them.
void WriteBatch(const fs::path& dir, int copies) {
  fs::create_directories(dir);
  const std::string text = testing::ReadFile(Fixture("reports/kitakami-press-2023.txt"));
  const std::string pdf = testing::ReadFile(Fixture("reports/koriyama-agreement.pdf"));
  for (int i = 0; i < copies; ++i) {
    // Distinct bytes: a trailing line in the text, a trailing comment after %%EOF.
    testing::WriteFile(dir / ("report-" + std::to_string(i) + ".txt"), text + "\n整理番号 " + std::to_string(i) + "\n");
    testing::WriteFile(dir / ("agreement-" + std::to_string(i) + ".pdf"), pdf + "\n% copy " + std::to_string(i) + "\n");
  }
}

TEST(CrashSafety, KilledRunLeavesAConsistentDatabaseThatTheNextRunCompletes) {
  TempDir dir;
  const fs::path inputs = dir / "inputs";
  constexpr int kCopies = 60;
  WriteBatch(inputs, kCopies);
  const std::string db = (dir / "k.db").string();

  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    const int null = open("/dev/null", O_WRONLY);
    dup2(null, STDOUT_FILENO);
    dup2(null, STDERR_FILENO);
    execl(KOBUN_BINARY, KOBUN_BINARY, "run", "-j", "2", "--db", db.c_str(), inputs.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  // Kill it once some documents are in, while others are still going.
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  int64_t seen = 0;
  while (std::chrono::steady_clock::now() < give_up) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    try {
      if (fs::exists(db)) seen = Count(db, "SELECT COUNT(*) FROM documents");
    } catch (const std::exception&) {
      // The schema may not exist yet.
    }
    if (seen >= 10) break;
  }
  kill(child, SIGKILL);
  int status = 0;
  waitpid(child, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status)) << "the run finished before it could be killed (" << seen << " documents)";
  ASSERT_LT(seen, 2 * kCopies);

  {
    SQLite::Database d(db);
    EXPECT_EQ(d.execAndGet("PRAGMA integrity_check").getString(), "ok");
    EXPECT_EQ(d.execAndGet("SELECT COUNT(*) FROM pragma_foreign_key_check").getInt64(), 0);
    // No half documents: every document has all its pages, and as many date rows as
    // current date versions.
    EXPECT_EQ(d.execAndGet("SELECT COUNT(*) FROM documents x WHERE page_count <>"
                           " (SELECT COUNT(*) FROM pages p WHERE p.document_id = x.id)").getInt64(), 0);
    EXPECT_EQ(d.execAndGet("SELECT COUNT(*) FROM documents x WHERE"
                           " (SELECT COUNT(*) FROM dates WHERE document_id = x.id) <>"
                           " (SELECT COUNT(*) FROM record_versions WHERE document_id = x.id AND kind = 'dates'"
                           "  AND removed_run IS NULL)").getInt64(), 0);
    EXPECT_GT(d.execAndGet("SELECT COUNT(*) FROM dates").getInt64(), 0);
  }

  const auto again = RunKobun("run -j 2 --db " + db + " " + inputs.string());
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(Count(db, "SELECT COUNT(*) FROM documents"), 2 * kCopies);  // every file present once
  EXPECT_EQ(Count(db, "SELECT COUNT(DISTINCT source_path) FROM documents"), 2 * kCopies);
  EXPECT_EQ(Count(db, "SELECT COUNT(*) FROM (SELECT record_key FROM current_records GROUP BY record_key"
                      " HAVING COUNT(*) > 1)"), 0);
  EXPECT_EQ(Count(db, "SELECT COUNT(*) FROM documents x WHERE page_count <>"
                      " (SELECT COUNT(*) FROM pages p WHERE p.document_id = x.id)"), 0);
  SQLite::Database d(db);
  EXPECT_EQ(d.execAndGet("PRAGMA integrity_check").getString(), "ok");
}

}  // namespace
}  // namespace kobun
