// The kobun commands, callable without a shell (main.cc parses the arguments).
// Each returns the process exit code: 0 all went in, 1 some files failed, 2 usage error.
#ifndef KOBUN_PIPELINES_COMMANDS_H_
#define KOBUN_PIPELINES_COMMANDS_H_

#include <string>
#include <vector>

namespace kobun::pipelines {

enum ExitCode { kExitOk = 0, kExitSomeFailed = 1, kExitUsage = 2 };

struct RunOptions {
  std::string db_path = "kobun.db";
  std::string pipeline_path;  // empty: DefaultPipelinePath()
  int jobs = 0;               // 0: one per core
  bool force = false;
  bool progress = false;      // a progress line on stderr (the CLI turns it on for a terminal)
  std::vector<std::string> paths;
};

int RunCommand(const RunOptions& options);

int StatsCommand(const std::string& db_path);

// Prints a document's tables as aligned text, cells wrapped at `cell_width` columns.
int ShowCommand(const std::string& db_path, const std::string& document, int cell_width);

}  // namespace kobun::pipelines

#endif  // KOBUN_PIPELINES_COMMANDS_H_
