#include <fstream>
#include <functional>
#include <future>
#include <sstream>
#include <toml++/toml.h>

#include "ingest/ingest.h"
#include "pipelines/pipeline.h"
#include "store/store.h"

namespace kobun::pipelines {

std::filesystem::path DefaultPipelinePath() { return std::filesystem::path(KOBUN_PIPELINE_DIR) / "default.toml"; }

namespace {

// The pipeline's name and rule files, without their rules_version; *names are the rule
// files as the pipeline names them.
bool ReadPipeline(const std::filesystem::path& file, PipelineConfig* config, std::vector<std::string>* names,
                  std::string* error) {
  toml::table table;
  try {
    table = toml::parse_file(file.string());
  } catch (const toml::parse_error& e) {
    std::ostringstream message;
    message << "cannot read pipeline " << file.string() << ": " << e.description() << " (line "
            << e.source().begin.line << ")";
    *error = message.str();
    return false;
  }
  config->file = std::filesystem::absolute(file).lexically_normal();
  config->name = table["name"].value_or(file.stem().string());
  config->rule_files.clear();
  if (const toml::array* rules = table["extract"]["rules"].as_array()) {
    for (const toml::node& node : *rules) {
      const std::optional<std::string> name = node.value<std::string>();
      if (!name) {
        *error = "pipeline " + file.string() + ": extract.rules must be a list of file names";
        return false;
      }
      const std::filesystem::path rule = config->file.parent_path() / *name;
      if (!std::ifstream(rule, std::ios::binary)) {
        *error = "pipeline " + file.string() + ": cannot read rule file " + rule.string();
        return false;
      }
      config->rule_files.push_back(rule);
      names->push_back(*name);
    }
  }
  return true;
}

std::string ReadBytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return std::move(bytes).str();
}

std::string RulesVersion(const PipelineConfig& config, const std::vector<std::string>& names) {
  std::string fingerprint = std::string("kobun ") + KOBUN_VERSION + " schema " +
                            std::to_string(store::CurrentSchemaVersion()) + " extractor " + KOBUN_EXTRACTOR_BUILD + "\n";
  for (size_t i = 0; i < config.rule_files.size(); ++i) {
    const std::filesystem::path& rule = config.rule_files[i];
    const std::string bytes = ReadBytes(rule);
    fingerprint += names[i] + "\n" + bytes + "\n";
    // Data files a rule file names in its [data] table (a gazetteer) are part of the
    // rule set too: a new gazetteer is a new rules_version.
    try {
      const toml::table rule_table = toml::parse(bytes);
      if (const toml::table* data = rule_table["data"].as_table()) {
        for (const auto& [key, value] : *data) {
          const std::optional<std::string> file_name = value.value<std::string>();
          if (!file_name) continue;
          fingerprint += *file_name + "\n" + ingest::Sha256Hex(ReadBytes(rule.parent_path() / *file_name)) + "\n";
        }
      }
    } catch (const toml::parse_error&) {
      // The extract stage reports a broken rule file with its line number.
    }
  }
  return ingest::Sha256Hex(fingerprint).substr(0, 12);
}

}  // namespace

bool LoadPipeline(const std::filesystem::path& file, PipelineConfig* config, std::string* error) {
  std::vector<std::string> names;
  if (!ReadPipeline(file, config, &names, error)) return false;
  config->rules_version = RulesVersion(*config, names);
  return true;
}

std::unique_ptr<extract::Extractor> LoadExtractor(const std::string& pipeline_path, PipelineConfig* config,
                                                  std::string* error) {
  const std::filesystem::path file = pipeline_path.empty() ? DefaultPipelinePath() : std::filesystem::path(pipeline_path);
  std::vector<std::string> names;
  if (!ReadPipeline(file, config, &names, error)) return nullptr;
  // Hashed while the rules compile: reading and hashing the gazetteer took 6–8 ms of the
  // ~45 ms `kobun extract` spends before it extracts anything.
  std::future<std::string> version = std::async(std::launch::async, RulesVersion, std::cref(*config), std::cref(names));
  std::unique_ptr<extract::Extractor> extractor = extract::Extractor::Load(config->rule_files, error);
  config->rules_version = version.get();
  return extractor;
}

}  // namespace kobun::pipelines
