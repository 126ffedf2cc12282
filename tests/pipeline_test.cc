// pipelines/: the pipeline definition, finding inputs, and one file from bytes to records.
#include "pipelines/pipeline.h"

#include <gtest/gtest.h>

#include "tests/default_extractor.h"
#include "tests/test_util.h"

namespace kobun::pipelines {
namespace {

using testing::Fixture;
using testing::SharedCorpus;
using testing::TempDir;
using testing::WriteFile;

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// ProcessFile with the extractors of the default pipeline.
FileResult Process(const InputFile& input, const std::unordered_set<std::string>& known, bool force) {
  return ProcessFile(input, testing::DefaultExtractor(), known, force);
}

TEST(LoadPipeline, DefaultPipelineLoads) {
  PipelineConfig config;
  std::string error;
  ASSERT_TRUE(LoadPipeline(DefaultPipelinePath(), &config, &error)) << error;
  EXPECT_EQ(config.name, "default");
  EXPECT_EQ(config.rules_version.size(), 12u);
}

TEST(LoadPipeline, RulesVersionFollowsTheRuleFiles) {
  TempDir dir;
  WriteFile(dir / "p.toml", "name = \"test\"\n[extract]\nrules = [\"dates.rules\"]\n");
  WriteFile(dir / "dates.rules", "rule one\n");
  PipelineConfig before, same, after;
  std::string error;
  ASSERT_TRUE(LoadPipeline(dir / "p.toml", &before, &error)) << error;
  ASSERT_TRUE(LoadPipeline(dir / "p.toml", &same, &error)) << error;
  WriteFile(dir / "dates.rules", "rule one\nrule two\n");
  ASSERT_TRUE(LoadPipeline(dir / "p.toml", &after, &error)) << error;
  EXPECT_EQ(before.rules_version, same.rules_version);
  EXPECT_NE(before.rules_version, after.rules_version);
  ASSERT_EQ(after.rule_files.size(), 1u);
  EXPECT_EQ(after.rule_files[0], dir.path() / "dates.rules");
}

TEST(LoadPipeline, BrokenTomlNamesTheFileAndLine) {
  TempDir dir;
  WriteFile(dir / "p.toml", "name = \"x\"\n[extract\n");
  PipelineConfig config;
  std::string error;
  EXPECT_FALSE(LoadPipeline(dir / "p.toml", &config, &error));
  EXPECT_TRUE(Contains(error, "p.toml")) << error;
  EXPECT_TRUE(Contains(error, "line 2")) << error;
}

TEST(LoadPipeline, MissingRuleFileIsAnError) {
  TempDir dir;
  WriteFile(dir / "p.toml", "[extract]\nrules = [\"gone.rules\"]\n");
  PipelineConfig config;
  std::string error;
  EXPECT_FALSE(LoadPipeline(dir / "p.toml", &config, &error));
  EXPECT_TRUE(Contains(error, "gone.rules")) << error;
}

TEST(FindInputs, WalksDirectoriesAndSkipsWhatIsNotADocument) {
  TempDir dir;
  std::filesystem::create_directories(dir / "a/b");
  WriteFile(dir / "a/b/deep.txt", "令和");
  WriteFile(dir / "a/top.pdf", "%PDF-1.4");
  WriteFile(dir / "a/picture.png", "\x89PNG");
  const Inputs inputs = FindInputs({dir.path().string(), (dir / "a/top.pdf").string(), (dir / "nope").string()});
  ASSERT_EQ(inputs.files.size(), 2u);  // top.pdf named twice, read once
  EXPECT_EQ(inputs.files[0].path.filename(), "deep.txt");
  EXPECT_EQ(inputs.files[0].type, ingest::MediaType::kText);
  EXPECT_EQ(inputs.files[1].path.filename(), "top.pdf");
  EXPECT_EQ(inputs.files[1].type, ingest::MediaType::kPdf);
  ASSERT_EQ(inputs.skipped.size(), 1u);
  EXPECT_TRUE(Contains(inputs.skipped[0].first, "picture.png"));
  ASSERT_EQ(inputs.missing.size(), 1u);
  EXPECT_TRUE(Contains(inputs.missing[0].first, "nope"));
}

TEST(ProcessFile, TextReportIsDecodedAndNormalized) {
  const FileResult r = Process({Fixture("reports/fukuyama-kyoyaku-cp932.txt"), ingest::MediaType::kText}, {}, false);
  ASSERT_EQ(r.outcome, FileResult::Outcome::kDocument) << r.message;
  EXPECT_EQ(r.document.encoding, "CP932");
  EXPECT_EQ(r.document.title, "福山市と府中市との連携中枢都市圏形成に係る連携協約");
  ASSERT_EQ(r.document.pages.size(), 1u);
  const std::string& text = r.document.pages[0].text;
  EXPECT_TRUE(Contains(text, "第1条 この協約は")) << text;  // U+3000 became a space
  EXPECT_FALSE(Contains(text, "\r"));
  EXPECT_TRUE(Contains(r.document.pages[0].raw_text, "\r\n"));  // raw text is as the file says
}

TEST(ProcessFile, KnownBytesAreNotParsedAgainUnlessForced) {
  const InputFile input{Fixture("reports/kitakami-press-2023.txt"), ingest::MediaType::kText};
  const FileResult first = Process(input, {}, false);
  ASSERT_EQ(first.outcome, FileResult::Outcome::kDocument);
  const std::unordered_set<std::string> known = {first.document.sha256};
  EXPECT_EQ(Process(input, known, false).outcome, FileResult::Outcome::kUnchanged);
  EXPECT_EQ(Process(input, known, true).outcome, FileResult::Outcome::kDocument);
}

TEST(ProcessFile, FailureSaysWhichStage) {
  const FileResult r = Process({Fixture("bad/needs-password.pdf"), ingest::MediaType::kPdf}, {}, false);
  EXPECT_EQ(r.outcome, FileResult::Outcome::kFailed);
  EXPECT_EQ(r.stage, "ingest");
  EXPECT_TRUE(Contains(r.message, "password"));
  const FileResult missing = Process({Fixture("bad/does-not-exist.pdf"), ingest::MediaType::kPdf}, {}, false);
  EXPECT_EQ(missing.stage, "read");
}

TEST(ProcessFile, PdfPageTextHasNoInsertedSpacesAndKeepsItsBoxes) {
  const FileResult r = Process({Fixture("reports/koriyama-agreement.pdf"), ingest::MediaType::kPdf}, {}, false);
  ASSERT_EQ(r.outcome, FileResult::Outcome::kDocument) << r.message;
  const std::string& text = r.document.pages[0].text;
  EXPECT_TRUE(Contains(text, "令和元年10月18日")) << text;
  EXPECT_TRUE(Contains(text, "第1条 この協約は")) << text;
  EXPECT_TRUE(Contains(text, "郡山市長")) << text;
  EXPECT_TRUE(Contains(text, "品川")) << text;
  // The first article wraps over four lines in the PDF; it is one line here.
  EXPECT_TRUE(Contains(text, "相互に補完し合いながら連携することにより")) << text;
  EXPECT_TRUE(Contains(text, "圏域の住民が将来にわたって")) << text;
  EXPECT_FALSE(r.document.pages[0].boxes.empty());
}

TEST(ProcessFile, SharedCorpusAgreementPdf) {
  const auto path = SharedCorpus("pdf/koriyama-nihonmatsu-kyoyaku.pdf");
  if (path.empty()) GTEST_SKIP() << "../shared/corpus is not here";
  const FileResult r = Process({path, ingest::MediaType::kPdf}, {}, false);
  ASSERT_EQ(r.outcome, FileResult::Outcome::kDocument) << r.message;
  std::string all;
  for (const auto& page : r.document.pages) all += page.text;
  EXPECT_TRUE(Contains(all, "令和元年10月18日"));
  EXPECT_TRUE(Contains(all, "第1条"));
  EXPECT_FALSE(Contains(all, "第 1 条"));
  EXPECT_FALSE(Contains(all, "令和元年 10 月"));
  EXPECT_TRUE(Contains(all, "地方自治法(昭和22年法律第67号)第252条の2第1項の規定により"));
  EXPECT_TRUE(Contains(all, "品川 萬里"));
}

}  // namespace
}  // namespace kobun::pipelines
