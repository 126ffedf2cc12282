// The extractors of pipelines/default.toml, loaded once per test binary.
#ifndef KOBUN_TESTS_DEFAULT_EXTRACTOR_H_
#define KOBUN_TESTS_DEFAULT_EXTRACTOR_H_

#include "extract/extract.h"

namespace kobun::testing {

const extract::Extractor& DefaultExtractor();

}  // namespace kobun::testing

#endif  // KOBUN_TESTS_DEFAULT_EXTRACTOR_H_
