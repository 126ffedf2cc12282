// Municipalities and prefectures: each trap of CONVENTIONS.md, resolution by context,
// variants, former municipalities, regional areas.
#include <gtest/gtest.h>

#include <algorithm>

#include "common/utf8.h"
#include "extract/extract.h"
#include "normalize/normalize.h"
#include "tests/default_extractor.h"
#include "tests/test_util.h"

namespace kobun::extract {
namespace {

Records Extract(const std::string& page) {
  return testing::DefaultExtractor().Extract({testing::Page(1, normalize::NormalizeString(DecodeUtf8(page)))});
}

// "surface=code" for every mention, in order; code "?" when unresolved.
std::vector<std::string> Mentions(const std::string& page) {
  std::vector<std::string> out;
  for (const MunicipalityRecord& m : Extract(page).municipalities)
    out.push_back(m.surface + "=" + (m.code.empty() ? "?" : m.code));
  return out;
}

using V = std::vector<std::string>;

TEST(Municipalities, NamesInsideCompoundsCount) {
  EXPECT_EQ(Mentions("郡山市長 品川萬里"), V{"郡山市=072036"});
  EXPECT_EQ(Mentions("福山市民病院"), V{"福山市=342076"});
  EXPECT_EQ(Mentions("岩手県盛岡広域振興局"), V{"岩手県=030007"});
  EXPECT_EQ(Mentions("下関市連携中枢都市圏"), V{"下関市=352012"});
}

TEST(Municipalities, TheLongestOfficialNameWins) {
  EXPECT_EQ(Mentions("東広島市"), V{"東広島市=342122"});
  EXPECT_EQ(Mentions("市川三郷町"), V{"市川三郷町=193461"});
  EXPECT_EQ(Mentions("大崎上島町"), V{"大崎上島町=344311"});
  EXPECT_EQ(Mentions("広島県東広島市"), (V{"広島県=340006", "東広島市=342122"}));
}

TEST(Municipalities, NamesWithShiInsideAndKanaNames) {
  EXPECT_EQ(Mentions("野々市市"), V{"野々市市=172120"});
  EXPECT_EQ(Mentions("四日市市"), V{"四日市市=242021"});
  EXPECT_EQ(Mentions("廿日市市"), V{"廿日市市=342131"});
  EXPECT_EQ(Mentions("かほく市といわき市"), (V{"かほく市=172090", "いわき市=072044"}));
}

TEST(Municipalities, NamesWithoutTheirSuffixAndGenericWordsDoNotCount) {
  EXPECT_TRUE(Mentions("郡山営業所").empty());
  EXPECT_TRUE(Mentions("市町村、中心市、中核市、連携市町、都市").empty());
  EXPECT_TRUE(Mentions("こおりやま広域圏、みやざき共創都市圏").empty());
  EXPECT_TRUE(Mentions("高・さ・東").empty());
  // 東村山 is 東村山市 without its suffix, not the village 東村.
  EXPECT_TRUE(Mentions("調布\n日野\n東村山\n国分寺").empty());
  EXPECT_TRUE(Mentions("中央市場の再整備").empty());  // a market, not 中央市
}

TEST(Municipalities, PrefecturesHaveTheirOwnKind) {
  const Records r = Extract("福島県と東京都と大阪府と北海道");
  ASSERT_EQ(r.municipalities.size(), 4u);
  EXPECT_EQ(r.municipalities[0].code, "070009");
  EXPECT_EQ(r.municipalities[1].code, "130001");
  for (const auto& m : r.municipalities) EXPECT_EQ(m.kind, "prefecture");
}

TEST(Municipalities, SameNameResolvedByThePrefectureWrittenWithIt) {
  EXPECT_EQ(Mentions("福島県伊達市"), (V{"福島県=070009", "伊達市=072133"}));
  EXPECT_EQ(Mentions("北海道伊達市"), (V{"北海道=010006", "伊達市=012335"}));
  const Records r = Extract("福山市及び府中市(広島県)は");
  ASSERT_GE(r.municipalities.size(), 2u);
  EXPECT_EQ(r.municipalities[1].code, "342084");
  EXPECT_EQ(r.municipalities[1].resolution, "prefecture_after");
}

TEST(Municipalities, SameNameResolvedByThePlacesAroundIt) {
  const Records fukushima = Extract("福島市、伊達市、桑折町、国見町及び川俣町が連携する。");
  ASSERT_EQ(fukushima.municipalities.size(), 5u);
  EXPECT_EQ(fukushima.municipalities[1].code, "072133");
  EXPECT_EQ(fukushima.municipalities[1].resolution, "context");
  const Records hokkaido = Extract("室蘭市、登別市及び伊達市の3市で構成する。");
  ASSERT_EQ(hokkaido.municipalities.size(), 3u);
  EXPECT_EQ(hokkaido.municipalities[2].code, "012335");
}

TEST(Municipalities, UndecidableSameNameIsFlaggedNotGuessed) {
  const Records r = Extract("伊達市の事例");
  ASSERT_EQ(r.municipalities.size(), 1u);
  EXPECT_EQ(r.municipalities[0].code, "");
  EXPECT_EQ(r.municipalities[0].resolution, "ambiguous: 012335 072133");
  EXPECT_EQ(r.municipalities[0].name, "伊達市");
}

TEST(Municipalities, SpellingVariantsFindTheOfficialName) {
  EXPECT_EQ(Mentions("茅ケ崎市"), V{"茅ケ崎市=142077"});
  EXPECT_EQ(Mentions("竜ヶ崎市"), V{"竜ヶ崎市=082082"});
  EXPECT_EQ(Mentions("塩釜市"), V{"塩釜市=042030"});
  EXPECT_EQ(Mentions("梼原町"), V{"梼原町=394050"});
  const Records r = Extract("塩釜市");
  EXPECT_EQ(r.municipalities[0].rule_id, "variant");
  EXPECT_EQ(r.municipalities[0].name, "塩竈市");
  EXPECT_EQ(Extract("塩竈市").municipalities[0].rule_id, "name");
}

TEST(Municipalities, DesignatedCityWardsByFullName) {
  const Records r = Extract("札幌市中央区役所");
  ASSERT_EQ(r.municipalities.size(), 1u);
  EXPECT_EQ(r.municipalities[0].code, "011011");
  EXPECT_EQ(r.municipalities[0].kind, "designated_city_ward");
  EXPECT_EQ(r.municipalities[0].name, "札幌市中央区");
}

TEST(Municipalities, FormerMunicipalityCountsInADocumentDatedBeforeTheMerger) {
  // 梁川町 merged into 伊達市 on 2006-01-01.
  const Records before = Extract("平成17年4月1日\n梁川町役場からのお知らせ");
  EXPECT_EQ(before.issued_on, "2005-04-01");
  ASSERT_EQ(before.municipalities.size(), 1u);
  EXPECT_EQ(before.municipalities[0].code, "073041");
  EXPECT_EQ(before.municipalities[0].successor_code, "072133");
  EXPECT_EQ(before.municipalities[0].rule_id, "former");
  const Records after = Extract("令和5年4月1日\n旧梁川町の区域");
  EXPECT_TRUE(after.municipalities.empty());
  EXPECT_TRUE(Extract("梁川町の区域").municipalities.empty());  // undated: not assumed old
}

TEST(Municipalities, RegionalAreasAreRecordedWithTheirMembersKnown) {
  const Records r = Extract("こおりやま広域圏の取組");
  ASSERT_EQ(r.areas.size(), 1u);
  EXPECT_EQ(r.areas[0].name, "こおりやま広域連携中枢都市圏");
  EXPECT_EQ(r.areas[0].surface, "こおりやま広域圏");
  const auto& areas = testing::DefaultExtractor().areas();
  EXPECT_EQ(areas.size(), 38u);
  auto it = std::find_if(areas.begin(), areas.end(), [&](const Area& a) { return a.id == r.areas[0].area_id; });
  ASSERT_NE(it, areas.end());
  EXPECT_TRUE(std::any_of(it->members.begin(), it->members.end(), [](const Area::Member& m) {
    return m.code == "072036" && m.role == "centre";
  }));
}

TEST(Municipalities, MentionsPointAtTheirSurface) {
  const std::u32string text = normalize::NormalizeString(DecodeUtf8("令和元年10月18日 郡山市と二本松市(福島県)"));
  const Records r = testing::DefaultExtractor().Extract({testing::Page(2, text)});
  ASSERT_EQ(r.municipalities.size(), 3u);
  for (const MunicipalityRecord& m : r.municipalities) {
    EXPECT_EQ(m.page_no, 2);
    EXPECT_EQ(EncodeUtf8(text.substr(m.start_offset, m.end_offset - m.start_offset)), m.surface);
  }
}

}  // namespace
}  // namespace kobun::extract
