#include "extract/role_rules.h"

#include <algorithm>

namespace kobun::extract {

bool FindNamed(const RE2& re, std::string_view text, Groups* groups, std::pair<size_t, size_t>* whole) {
  const re2::StringPiece piece(text.data(), text.size());
  // Whether it matches at all first: most lines match no rule, and RE2 answers that with
  // its DFA, while a search for groups in a short line skips the DFA for a slower engine.
  if (!re.Match(piece, 0, text.size(), RE2::UNANCHORED, nullptr, 0)) return false;
  if (!groups && !whole) return true;
  const int n = re.NumberOfCapturingGroups() + 1;
  std::vector<re2::StringPiece> found(n);
  if (!re.Match(piece, 0, text.size(), RE2::UNANCHORED, found.data(), n)) return false;
  if (groups) {
    groups->clear();
    for (const auto& [name, index] : re.NamedCapturingGroups())
      if (found[index].data() != nullptr) (*groups)[name] = std::string(found[index]);
  }
  if (whole) *whole = {static_cast<size_t>(found[0].data() - text.data()), found[0].size()};
  return true;
}

bool MatchRange(const RE2& re, std::string* min, std::string* max) {
  const std::string& pattern = re.pattern();
  if (pattern.find("\\b") != std::string::npos || pattern.find("\\B") != std::string::npos) return false;
  return re.PossibleMatchRange(min, max, 16);
}

bool MayMatchNewline(std::string_view pattern) {
  for (size_t i = 0; i < pattern.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(pattern[i]);
    if (c < 0x20 || c == 0x7F) return true;
    if (c == '\\') {
      if (++i == pattern.size()) return true;
      // n, and every escape that can stand for it or a class holding it; the control
      // escapes too, as a range may start from one.
      if (std::string_view("nsDWCpPxtrfva01234567").find(pattern[i]) != std::string_view::npos) return true;
      continue;
    }
    if (pattern.compare(i, 2, "[^") == 0 || pattern.compare(i, 2, "[:") == 0) return true;
    if (pattern.compare(i, 2, "(?") == 0 && i + 2 < pattern.size() && pattern[i + 2] != 'P') {
      // Flags: (?s) or (?is:…) let "." match a line break.
      for (size_t j = i + 2; j < pattern.size() && pattern[j] != ')' && pattern[j] != ':'; ++j) {
        if (pattern[j] == 's') return true;
      }
    }
  }
  return false;
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
    std::string required, min, max;
    if (MatchRange(*re, &min, &max)) {
      size_t common = 0;
      while (common < min.size() && common < max.size() && min[common] == max[common]) ++common;
      required = min.substr(0, common);
    }
    rules_.push_back({rule.id, rule.role, std::move(re), std::move(required)});
  }
  return true;
}

const RoleRule* RoleRules::FirstMatch(std::string_view role, std::string_view text, Groups* groups) const {
  for (const RoleRule& r : rules_) {
    if (r.role != role || (!r.required.empty() && text.find(r.required) == std::string_view::npos)) continue;
    if (FindNamed(*r.re, text, groups)) return &r;
  }
  return nullptr;
}

}  // namespace kobun::extract
