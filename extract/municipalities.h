// Private to extract/: municipality and prefecture names, and regional areas.
//
// The gazetteer (pipelines/data, named by rules/municipalities.toml) goes into one
// dictionary automaton: official names (a designated-city ward under its full name
// 札幌市中央区 and its short name), the spelling variants the rule file lists (ヶ/ケ,
// 塩竈/塩釜 …) and former municipalities. Where matches overlap, the longest wins
// (東広島市, not 広島市). A name shared by several places is resolved, in order, by a
// prefecture written just before or just after it, then by the places named near it
// and in the whole document and the document's regional areas; when that does not
// decide, the mention is kept with no code and resolution "ambiguous: …". A former
// municipality counts only in a document whose issue date is before it was merged away.
#ifndef KOBUN_EXTRACT_MUNICIPALITIES_H_
#define KOBUN_EXTRACT_MUNICIPALITIES_H_

#include <memory>
#include <string>
#include <vector>

#include "extract/extract.h"
#include "extract/rule_file.h"

namespace kobun::extract {

class MunicipalityExtractor {
 public:
  static std::unique_ptr<MunicipalityExtractor> Create(const RuleFile& file, std::string* error);
  ~MunicipalityExtractor();

  // Fills records->municipalities and records->areas; reads records->issued_on.
  void Extract(const std::vector<PageText>& pages, Records* records) const;

  const std::vector<Area>& areas() const;

  struct Impl;

 private:
  explicit MunicipalityExtractor(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace kobun::extract

#endif  // KOBUN_EXTRACT_MUNICIPALITIES_H_
