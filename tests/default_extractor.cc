#include "tests/default_extractor.h"

#include <gtest/gtest.h>

#include "pipelines/pipeline.h"

namespace kobun::testing {

const extract::Extractor& DefaultExtractor() {
  static const std::unique_ptr<extract::Extractor> extractor = [] {
    pipelines::PipelineConfig config;
    std::string error;
    EXPECT_TRUE(pipelines::LoadPipeline(pipelines::DefaultPipelinePath(), &config, &error)) << error;
    std::unique_ptr<extract::Extractor> e = extract::Extractor::Load(config.rule_files, &error);
    if (!e) {
      ADD_FAILURE() << error;
      std::abort();
    }
    return e;
  }();
  return *extractor;
}

}  // namespace kobun::testing
