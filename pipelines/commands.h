// The kobun commands, callable without a shell (main.cc parses the arguments).
// Each returns the process exit code: 0 all went in, 1 some files failed, 2 usage error.
#ifndef KOBUN_PIPELINES_COMMANDS_H_
#define KOBUN_PIPELINES_COMMANDS_H_

#include <string>
#include <vector>

#include "pipelines/pipeline.h"

namespace kobun::pipelines {

enum ExitCode { kExitOk = 0, kExitSomeFailed = 1, kExitUsage = 2 };

struct RunOptions {
  std::string db_path = "kobun.db";
  std::string pipeline_path;  // empty: DefaultPipelinePath()
  int jobs = 0;               // 0: one per core
  bool force = false;
  bool progress = false;      // a progress line on stderr (the CLI turns it on for a terminal)
  FileLimits limits;
  std::vector<std::string> paths;
};

int RunCommand(const RunOptions& options);

struct ExtractOptions {
  std::string db_path = "kobun.db";
  std::string pipeline_path;           // empty: DefaultPipelinePath()
  int jobs = 0;                        // 0: one per core
  bool progress = false;
  std::vector<std::string> only;       // rule kinds; empty: all
  std::vector<std::string> documents;  // ids or path ends; empty: every current document
};

// Re-runs the extract stage over the stored pages of current documents as a new run.
int ExtractCommand(const ExtractOptions& options);

struct DiffOptions {
  std::string db_path = "kobun.db";
  int64_t run_a = 0, run_b = 0;  // 0: run_b the latest run, run_a the one before run_b
  bool json = false;
};

int DiffCommand(const DiffOptions& options);

struct ExportOptions {
  std::string db_path = "kobun.db";
  std::string format;       // jsonl | csv
  std::string kind;         // empty: all (jsonl only)
  int64_t since_run = 0;
  std::string output_path;  // empty or "-": stdout
};

int ExportCommand(const ExportOptions& options);

struct PushOptions {
  std::string db_path = "kobun.db";
  std::string conninfo;          // postgresql://…
  std::string schema = "kobun";  // PostgreSQL schema the tables live in
};

int PushCommand(const PushOptions& options);

int StatsCommand(const std::string& db_path);

// Prints a document's tables as aligned text, cells wrapped at `cell_width` columns.
int ShowCommand(const std::string& db_path, const std::string& document, int cell_width);

}  // namespace kobun::pipelines

#endif  // KOBUN_PIPELINES_COMMANDS_H_
