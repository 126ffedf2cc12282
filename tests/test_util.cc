#include "tests/test_util.h"

#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "common/utf8.h"

namespace kobun::testing {

std::u32string U32(const std::string& utf8) { return DecodeUtf8(utf8); }
std::string U8(const std::u32string& text) { return EncodeUtf8(text); }

extract::PageText Page(int page_no, const std::u32string& normalized) {
  extract::PageText page;
  page.page_no = page_no;
  page.text = normalized;
  return page;
}

std::filesystem::path Fixture(const std::string& relative) {
  return std::filesystem::path(KOBUN_SOURCE_DIR) / "fixtures" / relative;
}

std::filesystem::path SharedCorpus(const std::string& relative) {
  const std::filesystem::path path = std::filesystem::path(KOBUN_SOURCE_DIR) / ".." / "shared" / "corpus" / relative;
  return std::filesystem::exists(path) ? path.lexically_normal() : std::filesystem::path();
}

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

void WriteFile(const std::filesystem::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out << bytes;
}

TempDir::TempDir() {
  static std::atomic<int> counter{0};
  path_ = std::filesystem::temp_directory_path() /
          ("kobun-test-" + std::to_string(getpid()) + "-" + std::to_string(counter++));
  std::filesystem::remove_all(path_);
  std::filesystem::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

CommandResult RunKobun(const std::string& args) {
  TempDir dir;
  const std::string command = std::string(KOBUN_BINARY) + " " + args + " >" + (dir / "out").string() + " 2>" +
                              (dir / "err").string() + " </dev/null";
  CommandResult result;
  const int status = std::system(command.c_str());
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  result.out = ReadFile(dir / "out");
  result.err = ReadFile(dir / "err");
  return result;
}

}  // namespace kobun::testing
