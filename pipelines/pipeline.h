// pipelines: the pipeline definition (a TOML file naming the rule files the extract
// stage uses) and the work done on one file: read, ingest, normalize, extract.
#ifndef KOBUN_PIPELINES_PIPELINE_H_
#define KOBUN_PIPELINES_PIPELINE_H_

#include <filesystem>
#include <string>
#include <vector>

#include "extract/extract.h"
#include "ingest/ingest.h"
#include "store/store.h"

namespace kobun::pipelines {

struct PipelineConfig {
  std::string name;
  std::filesystem::path file;
  std::vector<std::filesystem::path> rule_files;  // absolute
  // Hash of kobun's version, the extractor build (a hash of its sources) and every rule
  // file's name and bytes, with the data files they name: stored on each run, so that
  // records can be traced to the rules that produced them.
  std::string rules_version;
};

// pipelines/default.toml of the source tree this kobun was built from.
std::filesystem::path DefaultPipelinePath();

bool LoadPipeline(const std::filesystem::path& file, PipelineConfig* config, std::string* error);

// Loads the pipeline at `pipeline_path` (empty: DefaultPipelinePath()) into *config and
// compiles its rule files; null and *error when either fails.
std::unique_ptr<extract::Extractor> LoadExtractor(const std::string& pipeline_path, PipelineConfig* config,
                                                  std::string* error);

// A file found under the paths given to `kobun run`.
struct InputFile {
  std::filesystem::path path;
  ingest::MediaType type;
};

struct Inputs {
  std::vector<InputFile> files;                                     // sorted, no duplicates
  std::vector<std::pair<std::string, std::string>> skipped;         // path, why
  std::vector<std::pair<std::string, std::string>> missing;         // path, why
};

// Expands files and directories (recursively) into the files kobun reads.
Inputs FindInputs(const std::vector<std::string>& paths);

// What became of one file.
struct FileResult {
  enum class Outcome { kDocument, kUnchanged, kFailed } outcome = Outcome::kFailed;
  std::string source_path;
  std::string stage;    // for kFailed: read | ingest | normalize
  std::string message;  // for kFailed
  store::DocumentRecord document;
  store::KeyedRecords keyed;  // document.records keyed, ready for the writer
  double read_seconds = 0, ingest_seconds = 0, normalize_seconds = 0;  // extraction: document.records.seconds
};

// The extract stage's view of a stored page: what `kobun run` extracts from and what
// `kobun extract` reads back. False and *error when the stored boxes do not decode.
bool ToPageText(const store::PageRecord& page, extract::PageText* text, std::string* error);

// Bounds on one file (kobun run --max-pages, --timeout, --max-file-mb).
struct FileLimits {
  int max_pages = 2000;
  int timeout_seconds = 300;  // checked between pages and stages
  int64_t max_bytes = int64_t{512} << 20;
};

// Reads, ingests, normalizes and extracts one file. A file whose SHA-256 is in `known`
// is not parsed (kUnchanged) unless `force`. A file over a limit fails with a message
// that names the limit.
FileResult ProcessFile(const InputFile& input, const extract::Extractor& extractor,
                       const std::unordered_set<std::string>& known, bool force,
                       const FileLimits& limits = FileLimits());

}  // namespace kobun::pipelines

#endif  // KOBUN_PIPELINES_PIPELINE_H_
