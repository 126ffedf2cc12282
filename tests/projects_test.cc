// Projects (連携事業) from tables and from headings.
#include <gtest/gtest.h>

#include "common/utf8.h"
#include "extract/extract.h"
#include "normalize/normalize.h"
#include "tests/default_extractor.h"
#include "tests/test_util.h"

namespace kobun::extract {
namespace {

std::vector<ProjectRecord> Projects(const std::string& page) {
  const std::u32string text = normalize::NormalizeString(DecodeUtf8(page));
  return testing::DefaultExtractor().Extract({testing::Page(1, text)}).projects;
}

const ProjectRecord* Named(const std::vector<ProjectRecord>& projects, const std::string& name) {
  for (const ProjectRecord& p : projects)
    if (p.name == name) return &p;
  return nullptr;
}

// A numbered list laid out in two column pairs, with field labels between the numbers,
// markers on the names, a number sharing its cell with the name, and a name that starts
// with a digit.
TEST(Projects, NumberedListSplitAcrossColumns) {
  const std::vector<ProjectRecord> p = Projects(
      "連携事業一覧\n"
      "連携協約項目\tNo\t事業名\t\n"
      "1 圏域全体の経済成長のけん引\t1\t創業支援事業\t4 移住・定住促進事業(新)\n"
      "\t2\t6次産業化プロジェクト(4(再掲))\t5 婚活支援事業(高・さ・東)\n"
      "2 高次の都市機能の集積・強化\t3\t鉄道利用の活性化促進\t\n"
      "以上\n");
  ASSERT_EQ(p.size(), 5u);
  const ProjectRecord* sixth = Named(p, "6次産業化プロジェクト");
  ASSERT_NE(sixth, nullptr);
  EXPECT_EQ(sixth->number, 2);
  EXPECT_EQ(sixth->cross_reference, "4");
  EXPECT_EQ(sixth->field, "経済成長のけん引");
  const ProjectRecord* shared_cell = Named(p, "移住・定住促進事業");
  ASSERT_NE(shared_cell, nullptr);
  EXPECT_EQ(shared_cell->number, 4);
  EXPECT_EQ(shared_cell->status, "新規");
  const ProjectRecord* towns = Named(p, "婚活支援事業");
  ASSERT_NE(towns, nullptr);
  EXPECT_EQ(towns->participants, "高・さ・東");
  const ProjectRecord* rail = Named(p, "鉄道利用の活性化促進");
  ASSERT_NE(rail, nullptr);
  EXPECT_EQ(rail->number, 3);
  EXPECT_EQ(rail->field, "高次の都市機能の集積・強化");
  EXPECT_EQ(rail->rule_id, "number-cell");
}

TEST(Projects, StatusTableWithRenamesCarriesTheStatusDown) {
  const std::vector<ProjectRecord> p = Projects(
      "見直しの内容\n"
      "新規\t農福連携推進事業\tマッチングによる農福連携を促進\n"
      "\t生成AI活用推進事業\t業務効率化を図る\n"
      "変更\tアンバサダー制度運営事業 →普及啓発推進事業\t圏域普及啓発へ変更\n"
      "完了\tスモールスタート支援事業\t類似事業へ統合のため\n");
  ASSERT_EQ(p.size(), 4u);
  EXPECT_EQ(p[1].name, "生成AI活用推進事業");
  EXPECT_EQ(p[1].status, "新規");
  EXPECT_EQ(p[2].name, "普及啓発推進事業");
  EXPECT_EQ(p[2].status, "変更");
  EXPECT_EQ(p[2].description, "圏域普及啓発へ変更");
  EXPECT_EQ(p[3].status, "完了");
  EXPECT_EQ(p[3].number, 0);
  EXPECT_EQ(Named(p, "アンバサダー制度運営事業"), nullptr);
}

// Headings in an area summary: field headings with a count, a heading that joins two
// projects, descriptions that are not projects, and a second area.
TEST(Projects, HeadingsUnderFieldsInEachAreasSection) {
  const std::vector<ProjectRecord> p = Projects(
      "下関市連携中枢都市圏の取組\n\n"
      "圏域全体の経済成長のけん引(13事業)\n\n"
      "しものせき産学交流しごとの魅力発信事業／就業機会創出事業\n\n"
      "- ・ 圏域の企業の魅力を学生に発信し、地元就職を促進する取組を、産学官の連携により進めている。\n\n"
      "航路誘致集貨対策事業\n\n"
      "下関港の国際物流拠点としての機能を高めるため、船社への航路誘致や荷主への集貨の働きかけを行う。\n\n"
      "高次の都市機能の集積・強化\n\n"
      "(例) 関門海峡の観光\n\n"
      "圏域の取組を紹介するパンフレットを作成\n\n"
      "熊本連携中枢都市圏の取組\n\n"
      "圏域全体の生活関連機能サービスの向上\n\n"
      "◆図書館における圏域住民の相互利用\n\n"
      "圏域内の図書館で貸出を受けられる。\n");
  ASSERT_EQ(p.size(), 3u);
  EXPECT_EQ(p[0].name, "しものせき産学交流しごとの魅力発信事業/就業機会創出事業");
  EXPECT_EQ(p[0].field, "経済成長のけん引");
  EXPECT_EQ(p[0].area, "下関市連携中枢都市圏");
  EXPECT_EQ(p[1].name, "航路誘致集貨対策事業");
  EXPECT_NE(p[1].description.find("国際物流拠点"), std::string::npos);
  EXPECT_EQ(p[2].name, "図書館における圏域住民の相互利用");
  EXPECT_EQ(p[2].area, "熊本連携中枢都市圏");
  EXPECT_EQ(p[2].field, "生活関連機能サービスの向上");
  EXPECT_EQ(p[2].rule_id, "marked-heading");
  // Offsets point at the name in the page text.
  const std::u32string text = normalize::NormalizeString(DecodeUtf8("下関市連携中枢都市圏の取組\n\n圏域全体の経済成長のけん引(13事業)\n\n"));
  EXPECT_EQ(p[0].start_offset, static_cast<int>(text.size()));
}

TEST(Projects, RomanNumberedHeadingsButNotWordsThatStartWithI) {
  const std::vector<ProjectRecord> p = Projects(
      "こおりやま広域連携中枢都市圏の取組\n\n"
      "横断的な『重点プロジェクト』\n\n"
      "I SDGs推進プロジェクト\n\n"
      "IIIエリアプロモーションプロジェクト\n\n"
      "ICT活用の推進について\n");
  ASSERT_EQ(p.size(), 2u);
  EXPECT_EQ(p[0].name, "SDGs推進プロジェクト");
  EXPECT_EQ(p[1].name, "エリアプロモーションプロジェクト");
  EXPECT_EQ(p[1].field, "");
}

// Outside any area section or field, a marked line is a note, not a project.
TEST(Projects, MarkedLinesOutsideAPlanAreNotProjects) {
  const std::vector<ProjectRecord> p = Projects(
      "新型コロナウイルスに関連した患者の発生について\n\n"
      "■令和2年10月19日19時45分時点\n\n"
      "◆創業支援事業\n\n"
      "■速報値のため、今後の調査状況により、変動の可能性があります。\n");
  EXPECT_TRUE(p.empty());
}

// Participant abbreviations stand for the municipalities the area's own section names:
// the same character means another town in another section, and an abbreviation no
// name (or two names) in the section starts with stays unresolved.
TEST(Projects, ParticipantAbbreviationsResolveToTheSectionsMunicipalities) {
  const std::vector<ProjectRecord> p = Projects(
      "瀬戸・高松広域連携中枢都市圏の取組\n\n"
      "3市で形成(高松市、さぬき市、東かがわ市)。\n\n"
      "圏域全体の生活関連機能サービスの向上\n\n"
      "ファミリー・サポート・センター事業 (高・東・綾)\n\n"
      "子育ての援助を受けたい人と行いたい人を結び、相互援助活動を支援する。\n\n"
      "松山広域連携中枢都市圏の取組\n\n"
      "松山市、東温市、伊予市、東かがわ市との交流も行う。\n\n"
      "圏域全体の生活関連機能サービスの向上\n\n"
      "図書館相互利用事業 (松・伊・東)\n\n"
      "圏域内の図書館の本を、住民がどの図書館でも借りられるようにする。\n");
  ASSERT_EQ(p.size(), 2u);
  EXPECT_EQ(p[0].participants, "高・東・綾");
  ASSERT_EQ(p[0].participant_codes.size(), 3u);
  EXPECT_EQ(p[0].participant_codes[0].abbreviation, "高");
  EXPECT_EQ(p[0].participant_codes[0].code, "372013");
  EXPECT_EQ(p[0].participant_codes[0].rule_id, "section-member");
  EXPECT_EQ(p[0].participant_codes[1].code, "372072");  // 東かがわ市
  EXPECT_EQ(p[0].participant_codes[2].abbreviation, "綾");
  EXPECT_EQ(p[0].participant_codes[2].code, "");  // 綾川町 is not named in the section
  EXPECT_EQ(p[0].participant_codes[2].rule_id, "");
  ASSERT_EQ(p[1].participant_codes.size(), 3u);
  EXPECT_EQ(p[1].participant_codes[0].name, "松山市");
  EXPECT_EQ(p[1].participant_codes[1].name, "伊予市");
  EXPECT_EQ(p[1].participant_codes[2].code, "");  // 東温市 or 東かがわ市
}

}  // namespace
}  // namespace kobun::extract
