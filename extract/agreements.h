// Private to extract/: agreements (連携協約) and other article-structured documents.
//
// The lines of the document (outside tables) are read once, in order, as a structure:
// a parenthesised line is the heading of the article after it; 第N条 (第三条, 第N条の2)
// opens an article and its first, unnumbered paragraph; a line that starts with the next
// paragraph number (2, ２) opens the next paragraph; (1) / 一 / ① open items and
// ア / イ / ロ sub-items; 附則 opens the supplementary provisions; the closing formula
// (この連携協約の締結を証するため…) ends them and opens the signature block; 別表 opens an
// appendix, whose tables (from the table extractor) are linked to the agreement.
//
// A document holds one instrument per run of articles: 第1条 after articles (outside
// 附則 and outside quoted text) or a second preamble (次のとおり連携協約を締結する) starts
// the next. A run without a preamble, an amendment title or a closing formula is an
// article-structured document (kind "articles", e.g. 就業規則), not an agreement; a run
// whose articles have no body text (a table of contents) is dropped.
//
// Amendments: after "…を次のように改める。" the lines are the text being put in, kept
// as the amendment's content and not parsed as its clauses, until the next instruction
// ("第3条中「…」を「…」に改める。"), 附則 or the closing formula.
//
// Every pattern is a rule of the rule file (kind "agreements"); roles are listed in
// pipelines/rules/agreements.toml.
#ifndef KOBUN_EXTRACT_AGREEMENTS_H_
#define KOBUN_EXTRACT_AGREEMENTS_H_

#include <memory>
#include <string>
#include <vector>

#include "extract/extract.h"
#include "extract/rule_file.h"
#include "extract/text_lines.h"

namespace kobun::extract {

class AgreementExtractor {
 public:
  static std::unique_ptr<AgreementExtractor> Create(const RuleFile& file, std::string* error);
  ~AgreementExtractor();

  // Reads records->dates, ->municipalities and ->tables, so runs after their extractors;
  // `lines` are the pages' LinesOutsideTables(pages, records->tables).
  void Extract(const std::vector<TextLine>& lines, Records* records) const;

  struct Impl;

 private:
  explicit AgreementExtractor(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace kobun::extract

#endif  // KOBUN_EXTRACT_AGREEMENTS_H_
