// Private to extract/: projects (連携事業).
//
// From tables (read after the table extractor): a table with a number header ("No") and
// a name header ("事業名") gives one project per number, whether the number has a cell of
// its own with the name in the next one, or shares a cell with it ("43 国土形成…"); a
// table whose first column holds status words (新規 / 拡充 / 変更 / 完了, carried down
// over empty cells) or field labels (経済成長 / 都市機能 / 生活関連機能サービス) gives one
// project per row, named by the next column. A field label anywhere in a numbered table
// sets the field of the numbers after it.
//
// From headings, outside tables: a line matching a `heading` rule (◆創業支援事業,
// "I SDGs推進プロジェクト") is a project wherever it stands; under a field heading, a short
// line (a `field_heading` rule, no `not_heading` rule) is a project when the line after it
// describes it (a `description` rule, or a long line) or when it ends like a project name
// (`project_suffix`). The area is the one whose section (…の取組) the line sits in.
//
// Names lose their markers (`marker` rules: (新), (74(再掲)), (高・さ・東)), kept apart as
// status, cross reference and participants; "old →new" is the new name.
#ifndef KOBUN_EXTRACT_PROJECTS_H_
#define KOBUN_EXTRACT_PROJECTS_H_

#include <memory>
#include <string>
#include <vector>

#include "extract/extract.h"
#include "extract/rule_file.h"
#include "extract/text_lines.h"

namespace kobun::extract {

class ProjectExtractor {
 public:
  static std::unique_ptr<ProjectExtractor> Create(const RuleFile& file, std::string* error);
  ~ProjectExtractor();

  // Reads records->tables, so runs after the table extractor; `lines` are the pages'
  // LinesOutsideTables(pages, records->tables), which agreements read too.
  void Extract(const std::vector<TextLine>& lines, Records* records) const;

  struct Impl;

 private:
  explicit ProjectExtractor(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace kobun::extract

#endif  // KOBUN_EXTRACT_PROJECTS_H_
