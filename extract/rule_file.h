// Private to extract/: reading a rule file.
//
// A rule file is TOML:
//   kind = "dates"                       which extractor reads it
//   [fragments]  NAME = 'regex'          reusable pieces; {NAME} in a pattern expands to (?:regex)
//   [<any table of strings>]             extractor-specific data (e.g. [eras])
//   [[rules]] id = "..." pattern = '...' role = "..." (optional)
// Patterns are RE2 syntax over normalized text.
#ifndef KOBUN_EXTRACT_RULE_FILE_H_
#define KOBUN_EXTRACT_RULE_FILE_H_

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace kobun::extract {

struct Rule {
  std::string id;
  std::string pattern;  // fragments expanded
  std::string role;     // extractor-specific; empty when not given
};

struct RuleFile {
  std::filesystem::path path;
  std::string kind;
  std::vector<Rule> rules;
  std::map<std::string, std::map<std::string, std::string>> tables;  // other string tables

  // The string table `name`; empty when the file has none.
  std::map<std::string, std::string> Table(const std::string& name) const {
    auto it = tables.find(name);
    return it == tables.end() ? std::map<std::string, std::string>() : it->second;
  }
};

bool ReadRuleFile(const std::filesystem::path& path, RuleFile* out, std::string* error);

}  // namespace kobun::extract

#endif  // KOBUN_EXTRACT_RULE_FILE_H_
