// extract/text_index: the CSV reader the gazetteer is loaded with.
#include "extract/text_index.h"

#include <gtest/gtest.h>

#include "tests/test_util.h"

namespace kobun::extract {
namespace {

using testing::TempDir;

CsvTable ReadCsv(const TempDir& dir, const std::string& bytes) {
  const std::filesystem::path path = dir / "t.csv";
  testing::WriteFile(path, bytes);
  CsvTable table;
  std::string error;
  EXPECT_TRUE(table.Read(path, &error)) << error;
  return table;
}

TEST(CsvTable, FieldsAreFoundByColumnName) {
  TempDir dir;
  const CsvTable t = ReadCsv(dir, "code,name\n072036,郡山市\n072109,二本松市\n");
  ASSERT_EQ(t.size(), 2u);
  EXPECT_EQ(t.row(0)["name"], "郡山市");
  EXPECT_EQ(t.row(1)["code"], "072109");
  EXPECT_EQ(t.row(1)["kana"], "");  // no such column
}

TEST(CsvTable, QuotedFieldsHoldCommasQuotesAndLineEnds) {
  TempDir dir;
  const CsvTable t = ReadCsv(dir,
                             "code,note\r\n"
                             "1,\"郡山市,須賀川市\"\r\n"
                             "2,\"いわゆる\"\"こおりやま広域圏\"\"\"\r\n"
                             "3,\"二行\n目\"\r\n"
                             "4,\"引用\"の後\r\n");
  ASSERT_EQ(t.size(), 4u);
  EXPECT_EQ(t.row(0)["note"], "郡山市,須賀川市");
  EXPECT_EQ(t.row(1)["note"], "いわゆる\"こおりやま広域圏\"");
  EXPECT_EQ(t.row(2)["note"], "二行\n目");
  EXPECT_EQ(t.row(3)["note"], "引用の後");
  EXPECT_EQ(t.row(3)["code"], "4");
}

TEST(CsvTable, BlankLinesAreSkippedAndShortRowsReadEmpty) {
  TempDir dir;
  const CsvTable t = ReadCsv(dir, "a,b,c\n1,2,3\n\n4\n\"5\"");
  ASSERT_EQ(t.size(), 3u);
  EXPECT_EQ(t.row(0)["c"], "3");
  EXPECT_EQ(t.row(1)["a"], "4");
  EXPECT_EQ(t.row(1)["b"], "");
  EXPECT_EQ(t.row(2)["a"], "5");  // the last line has no line break
}

TEST(CsvTable, AQuoteLeftOpenRunsToTheEndOfTheFile) {
  TempDir dir;
  const CsvTable t = ReadCsv(dir, "a,b\n1,\"open,\n2,3\n");
  ASSERT_EQ(t.size(), 1u);
  EXPECT_EQ(t.row(0)["b"], "open,\n2,3\n");
}

TEST(CsvTable, AnEmptyOrMissingFileIsAnError) {
  TempDir dir;
  testing::WriteFile(dir / "empty.csv", "");
  CsvTable t;
  std::string error;
  EXPECT_FALSE(t.Read(dir / "empty.csv", &error));
  EXPECT_NE(error.find("no header row"), std::string::npos) << error;
  EXPECT_FALSE(t.Read(dir / "missing.csv", &error));
  EXPECT_NE(error.find("cannot read"), std::string::npos) << error;
}

}  // namespace
}  // namespace kobun::extract
