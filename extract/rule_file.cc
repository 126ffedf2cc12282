#include "extract/rule_file.h"

#include <set>
#include <sstream>
#include <toml++/toml.h>

namespace kobun::extract {
namespace {

// Replaces every {NAME} (an upper-case identifier, so regex counts like {1,2} are left
// alone) by (?:fragment), recursively.
bool Expand(const std::string& pattern, const std::map<std::string, std::string>& fragments,
            std::set<std::string>* expanding, std::string* out, std::string* error) {
  for (size_t i = 0; i < pattern.size(); ++i) {
    const char c = pattern[i];
    if (c == '\\' && i + 1 < pattern.size()) {
      *out += pattern.substr(i, 2);
      ++i;
      continue;
    }
    if (c == '{' && i + 1 < pattern.size() && pattern[i + 1] >= 'A' && pattern[i + 1] <= 'Z') {
      const size_t close = pattern.find('}', i);
      const std::string name = close == std::string::npos ? "" : pattern.substr(i + 1, close - i - 1);
      if (!name.empty() && name.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") == std::string::npos) {
        auto it = fragments.find(name);
        if (it == fragments.end()) {
          *error = "unknown fragment {" + name + "}";
          return false;
        }
        if (!expanding->insert(name).second) {
          *error = "fragment {" + name + "} refers to itself";
          return false;
        }
        *out += "(?:";
        if (!Expand(it->second, fragments, expanding, out, error)) return false;
        *out += ")";
        expanding->erase(name);
        i = close;
        continue;
      }
    }
    *out += c;
  }
  return true;
}

}  // namespace

bool ReadRuleFile(const std::filesystem::path& path, RuleFile* out, std::string* error) {
  toml::table table;
  try {
    table = toml::parse_file(path.string());
  } catch (const toml::parse_error& e) {
    std::ostringstream message;
    message << path.string() << ": " << e.description() << " (line " << e.source().begin.line << ")";
    *error = message.str();
    return false;
  }
  out->path = path;
  out->kind = table["kind"].value_or(std::string());
  if (out->kind.empty()) {
    *error = path.string() + ": no kind = \"...\" naming the extractor";
    return false;
  }
  std::map<std::string, std::string> fragments;
  for (const auto& [key, node] : table) {
    const toml::table* sub = node.as_table();
    if (!sub) continue;
    std::map<std::string, std::string> strings;
    for (const auto& [k, v] : *sub) {
      if (std::optional<std::string> s = v.value<std::string>()) strings[std::string(k.str())] = *s;
    }
    if (key.str() == "fragments") {
      fragments = strings;
    } else {
      out->tables[std::string(key.str())] = strings;
    }
  }
  const toml::array* rules = table["rules"].as_array();
  std::set<std::string> ids;
  if (rules == nullptr) return true;
  for (const toml::node& node : *rules) {
    const toml::table* r = node.as_table();
    Rule rule;
    if (r) {
      rule.id = (*r)["id"].value_or(std::string());
      rule.role = (*r)["role"].value_or(std::string());
    }
    const std::string raw = r ? (*r)["pattern"].value_or(std::string()) : std::string();
    if (rule.id.empty() || raw.empty()) {
      *error = path.string() + ": every rule needs an id and a pattern";
      return false;
    }
    if (!ids.insert(rule.id).second) {
      *error = path.string() + ": rule id " + rule.id + " is used twice";
      return false;
    }
    std::set<std::string> expanding;
    std::string expand_error;
    if (!Expand(raw, fragments, &expanding, &rule.pattern, &expand_error)) {
      *error = path.string() + ": rule " + rule.id + ": " + expand_error;
      return false;
    }
    out->rules.push_back(std::move(rule));
  }
  return true;
}

}  // namespace kobun::extract
