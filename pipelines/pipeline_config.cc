#include <fstream>
#include <sstream>
#include <toml++/toml.h>

#include "ingest/ingest.h"
#include "pipelines/pipeline.h"
#include "store/store.h"

namespace kobun::pipelines {

std::filesystem::path DefaultPipelinePath() { return std::filesystem::path(KOBUN_PIPELINE_DIR) / "default.toml"; }

bool LoadPipeline(const std::filesystem::path& file, PipelineConfig* config, std::string* error) {
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
  std::string fingerprint = std::string("kobun ") + KOBUN_VERSION + " schema " +
                            std::to_string(store::CurrentSchemaVersion()) + " extractor " + KOBUN_EXTRACTOR_BUILD + "\n";
  if (const toml::array* rules = table["extract"]["rules"].as_array()) {
    for (const toml::node& node : *rules) {
      const std::optional<std::string> name = node.value<std::string>();
      if (!name) {
        *error = "pipeline " + file.string() + ": extract.rules must be a list of file names";
        return false;
      }
      const std::filesystem::path rule = config->file.parent_path() / *name;
      std::ifstream in(rule, std::ios::binary);
      if (!in) {
        *error = "pipeline " + file.string() + ": cannot read rule file " + rule.string();
        return false;
      }
      std::ostringstream bytes;
      bytes << in.rdbuf();
      fingerprint += *name + "\n" + bytes.str() + "\n";
      config->rule_files.push_back(rule);
      // Data files a rule file names in its [data] table (a gazetteer) are part of
      // the rule set too: a new gazetteer is a new rules_version.
      try {
        const toml::table rule_table = toml::parse(bytes.str());
        if (const toml::table* data = rule_table["data"].as_table()) {
          for (const auto& [key, value] : *data) {
            const std::optional<std::string> file_name = value.value<std::string>();
            if (!file_name) continue;
            std::ifstream data_in(rule.parent_path() / *file_name, std::ios::binary);
            std::ostringstream data_bytes;
            data_bytes << data_in.rdbuf();
            fingerprint += *file_name + "\n" + ingest::Sha256Hex(data_bytes.str()) + "\n";
          }
        }
      } catch (const toml::parse_error&) {
        // The extract stage reports a broken rule file with its line number.
      }
    }
  }
  config->rules_version = ingest::Sha256Hex(fingerprint).substr(0, 12);
  return true;
}

std::unique_ptr<extract::Extractor> LoadExtractor(const std::string& pipeline_path, PipelineConfig* config,
                                                  std::string* error) {
  const std::filesystem::path file = pipeline_path.empty() ? DefaultPipelinePath() : std::filesystem::path(pipeline_path);
  if (!LoadPipeline(file, config, error)) return nullptr;
  return extract::Extractor::Load(config->rule_files, error);
}

}  // namespace kobun::pipelines
