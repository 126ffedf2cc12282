// Private to extract/: the [[rules]] of a rule file compiled, each with its role, for
// extractors that ask "which rule of role R matches this line?" (projects, agreements).
#ifndef KOBUN_EXTRACT_ROLE_RULES_H_
#define KOBUN_EXTRACT_ROLE_RULES_H_

#include <re2/re2.h>

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "extract/rule_file.h"

namespace kobun::extract {

// Named groups of a match, by name; only the groups that took part.
using Groups = std::map<std::string, std::string>;

struct RoleRule {
  std::string id, role;
  std::unique_ptr<RE2> re;
  // Bytes every match begins with (from RE2::PossibleMatchRange): a text without them
  // cannot match, and most lines are turned away by a substring search instead of RE2.
  std::string required;
};

// Matches `re` anywhere in `text`; fills *groups with its named groups and *whole with
// the matched text's byte range (either may be null).
bool FindNamed(const RE2& re, std::string_view text, Groups* groups, std::pair<size_t, size_t>* whole = nullptr);

// Bounds every match of `re` lies within, as a string read on its own:
// *min <= match <= *max (RE2::PossibleMatchRange). False when RE2 gives none or the
// pattern has \b or \B, which look at the character before a match.
bool MatchRange(const RE2& re, std::string* min, std::string* max);

// Whether a match of `pattern` might hold a line break. Errs towards true: any spelling
// of "\n" (escaped, hex, octal, a control character written in), any class that can hold
// one (negated, \s \D \W \C \p \P, [[:…:]], a range from a control character) and "."
// under the s flag. A pattern for which it is false matches within one line, so a text
// can be searched line by line (RE2 has no API to ask this of a compiled pattern).
bool MayMatchNewline(std::string_view pattern);

class RoleRules {
 public:
  // Compiles file.rules in file order; false and *error (naming the file and rule) when
  // a rule's role is not one of `roles` or its pattern does not compile.
  bool Compile(const RuleFile& file, const std::vector<std::string>& roles, std::string* error);

  // The first rule of `role`, in file order, that matches anywhere in `text`; null when
  // none does. *groups (may be null) gets that rule's named groups.
  const RoleRule* FirstMatch(std::string_view role, std::string_view text, Groups* groups) const;
  bool Matches(std::string_view role, std::string_view text) const { return FirstMatch(role, text, nullptr); }

  const std::vector<RoleRule>& rules() const { return rules_; }

 private:
  std::vector<RoleRule> rules_;
};

}  // namespace kobun::extract

#endif  // KOBUN_EXTRACT_ROLE_RULES_H_
