#include "extract/role_rules.h"

#include <algorithm>

namespace kobun::extract {

bool FindNamed(const RE2& re, std::string_view text, Groups* groups, std::pair<size_t, size_t>* whole) {
  const int n = re.NumberOfCapturingGroups() + 1;
  std::vector<re2::StringPiece> found(n);
  if (!re.Match(re2::StringPiece(text.data(), text.size()), 0, text.size(), RE2::UNANCHORED, found.data(), n))
    return false;
  if (groups) {
    groups->clear();
    for (const auto& [name, index] : re.NamedCapturingGroups())
      if (found[index].data() != nullptr) (*groups)[name] = std::string(found[index]);
  }
  if (whole) *whole = {static_cast<size_t>(found[0].data() - text.data()), found[0].size()};
  return true;
}

bool RoleRules::Compile(const RuleFile& file, const std::vector<std::string>& roles, std::string* error) {
  RE2::Options options;
  options.set_log_errors(false);
  for (const Rule& rule : file.rules) {
    if (std::find(roles.begin(), roles.end(), rule.role) == roles.end()) {
      *error = file.path.string() + ": rule " + rule.id + ": unknown role \"" + rule.role + "\"";
      return false;
    }
    auto re = std::make_unique<RE2>(rule.pattern, options);
    if (!re->ok()) {
      *error = file.path.string() + ": rule " + rule.id + ": " + re->error();
      return false;
    }
    rules_.push_back({rule.id, rule.role, std::move(re)});
  }
  return true;
}

const RoleRule* RoleRules::FirstMatch(std::string_view role, std::string_view text, Groups* groups) const {
  for (const RoleRule& r : rules_)
    if (r.role == role && FindNamed(*r.re, text, groups)) return &r;
  return nullptr;
}

}  // namespace kobun::extract
