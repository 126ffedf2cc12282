// extract/role_rules: which rule of a role matches a line, with the substring every match
// must contain checked before RE2 is asked.
#include "extract/role_rules.h"

#include <gtest/gtest.h>

namespace kobun::extract {
namespace {

RoleRules Compile(const std::vector<Rule>& rules) {
  RuleFile file;
  file.path = "test.toml";
  file.kind = "agreements";
  file.rules = rules;
  RoleRules compiled;
  std::string error;
  EXPECT_TRUE(compiled.Compile(file, {"article", "closing", "note"}, &error)) << error;
  return compiled;
}

TEST(RoleRules, FirstRuleOfTheRoleInFileOrderWithItsGroups) {
  const RoleRules rules = Compile({{"article", "^第(?P<number>[0-9]+)条", "article"},
                                   {"article-kanji", "^第(?P<number>[一二三])条", "article"},
                                   {"closing", "(?:締結|合意)を証するため", "closing"}});
  Groups groups;
  const RoleRule* r = rules.FirstMatch("article", "第12条 目的", &groups);
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->id, "article");
  EXPECT_EQ(groups["number"], "12");
  r = rules.FirstMatch("article", "第二条", &groups);
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->id, "article-kanji");
  EXPECT_EQ(rules.FirstMatch("article", "12条", &groups), nullptr);
  EXPECT_EQ(rules.FirstMatch("article", "前文 第1条", &groups), nullptr);  // anchored at the start
  EXPECT_EQ(rules.FirstMatch("closing", "第1条", &groups), nullptr);      // another role's line
}

TEST(RoleRules, WhatEveryMatchBeginsWithIsRequiredAndNothingMore) {
  const RoleRules rules = Compile({{"article", "^第(?P<number>[0-9]+)条", "article"},
                                   {"closing", "(?:締結|合意)を証するため", "closing"},
                                   {"note", "附則", "note"},
                                   {"note-boundary", "\\Bfoo|fob", "note"}});
  EXPECT_EQ(rules.rules()[0].required, "第");
  EXPECT_EQ(rules.rules()[2].required, "附則");
  // Alternatives that begin differently require nothing common to both...
  EXPECT_TRUE(rules.Matches("closing", "本協約の締結を証するため"));
  EXPECT_TRUE(rules.Matches("closing", "合意を証するため、"));
  // ...a match anywhere in the line counts...
  EXPECT_TRUE(rules.Matches("note", "第5条 附則の規定"));
  EXPECT_FALSE(rules.Matches("note", "第5条 規定"));
  // ...and a rule that looks at the character before its match is not filtered.
  EXPECT_TRUE(rules.rules()[3].required.empty());
  EXPECT_TRUE(rules.Matches("note", "afoo"));
  std::string min, max;
  EXPECT_FALSE(MatchRange(RE2("\\Bfoo|fob"), &min, &max));
  ASSERT_TRUE(MatchRange(RE2(" ?(?:~|から) ?"), &min, &max));
  EXPECT_LE(min, std::string("~"));
  EXPECT_GE(max, std::string("から"));
}

TEST(RoleRules, APatternThatCannotHoldALineBreakIsToldApart) {
  // Any way of writing a line break, or a class that holds one, says "may".
  for (const char* pattern : {"約\\n?1", "a\\sb", "[^0-9]", "\\D", "\\W", "\\pC", "\\PL", "\\x0a", "\\012",
                              "[\\t-~]", "[[:space:]]", "(?s:.)", "(?is).", "\\C", "a\nb"}) {
    EXPECT_TRUE(MayMatchNewline(pattern)) << pattern;
  }
  // What the date rules are made of says "cannot".
  for (const char* pattern : {"(?P<era>令和|平成)(?P<year>[1-9][0-9]?)年", "(?P<not>[0-9./])??" "(?P<month>1[0-2]|0?[1-9])月",
                              "\\((?P<wday>[月火])\\)", " ?(?:~|-|から) ?", "(?m:^[0-9]{1,2}/[0-9]{1,2}$)", "\\d\\w\\S.",
                              "(?i:fy)", "(?P<samemonth>同月)", "a\\.b"}) {
    EXPECT_FALSE(MayMatchNewline(pattern)) << pattern;
  }
}

}  // namespace
}  // namespace kobun::extract
