// Helpers shared by the test suites.
#ifndef KOBUN_TESTS_TEST_UTIL_H_
#define KOBUN_TESTS_TEST_UTIL_H_

#include <filesystem>
#include <string>

#include "extract/extract.h"

namespace kobun::testing {

std::u32string U32(const std::string& utf8);

// A page of normalized text, as extractors receive it.
extract::PageText Page(int page_no, const std::u32string& normalized);
std::string U8(const std::u32string& text);

// fixtures/<relative> in the source tree.
std::filesystem::path Fixture(const std::string& relative);

// ../shared/corpus/<relative> beside the source tree; empty when absent (tests skip).
std::filesystem::path SharedCorpus(const std::string& relative);

std::string ReadFile(const std::filesystem::path& path);
void WriteFile(const std::filesystem::path& path, const std::string& bytes);

// A fresh directory under the system temp directory, removed on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

struct CommandResult {
  int exit_code = -1;
  std::string out, err;
};

// Runs the kobun binary built with the tests, with `args` passed through the shell.
CommandResult RunKobun(const std::string& args);

}  // namespace kobun::testing

#endif  // KOBUN_TESTS_TEST_UTIL_H_
