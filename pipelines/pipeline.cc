#include "pipelines/pipeline.h"

#include <algorithm>
#include <chrono>
#include <fstream>
#include <set>
#include <sstream>

#include "common/utf8.h"
#include "normalize/normalize.h"

namespace kobun::pipelines {
namespace {

namespace fs = std::filesystem;

std::string ReadHead(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::string head(1024, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<size_t>(in.gcount()));
  return head;
}

bool ReadAll(const fs::path& path, std::string* bytes, std::string* error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *error = "cannot open the file";
    return false;
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) {
    *error = "reading the file failed";
    return false;
  }
  *bytes = std::move(buffer).str();
  return true;
}

void AddFile(const fs::path& path, std::set<fs::path>* seen, Inputs* inputs) {
  const fs::path absolute = fs::absolute(path).lexically_normal();
  if (!seen->insert(absolute).second) return;
  const std::optional<ingest::MediaType> type = ingest::Classify(absolute, ReadHead(absolute));
  if (!type) {
    inputs->skipped.emplace_back(absolute.string(), "not a PDF or a text report (.pdf, .txt)");
    return;
  }
  inputs->files.push_back({absolute, *type});
}

// The first non-blank line of the first page, as a title of last resort.
std::string FirstLine(const std::string& text) {
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    const size_t first = line.find_first_not_of(" \t");
    if (first == std::string::npos) continue;
    std::u32string cps = DecodeUtf8(line.substr(first));
    if (cps.size() > 200) cps.resize(200);
    return EncodeUtf8(cps);
  }
  return "";
}

}  // namespace

bool ToPageText(const store::PageRecord& page, extract::PageText* text, std::string* error) {
  text->page_no = page.page_no;
  text->text = DecodeUtf8(page.text);
  text->width = page.width;
  text->height = page.height;
  if (!ingest::DecodeBoxes(page.boxes, &text->boxes) || !ingest::DecodeRules(page.rules, &text->rules)) {
    *error = "page " + std::to_string(page.page_no) + ": stored text boxes or ruling lines are damaged";
    return false;
  }
  return true;
}

Inputs FindInputs(const std::vector<std::string>& paths) {
  Inputs inputs;
  std::set<fs::path> seen;
  for (const std::string& p : paths) {
    std::error_code ec;
    const fs::file_status status = fs::status(p, ec);
    if (ec || !fs::exists(status)) {
      inputs.missing.emplace_back(p, "no such file or directory");
      continue;
    }
    if (fs::is_directory(status)) {
      std::vector<fs::path> found;
      for (auto it = fs::recursive_directory_iterator(p, fs::directory_options::skip_permission_denied, ec);
           !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (it->is_regular_file(ec)) found.push_back(it->path());
      }
      if (ec) inputs.missing.emplace_back(p, "cannot walk the directory: " + ec.message());
      std::sort(found.begin(), found.end());
      for (const fs::path& f : found) AddFile(f, &seen, &inputs);
    } else if (fs::is_regular_file(status)) {
      AddFile(p, &seen, &inputs);
    } else {
      inputs.skipped.emplace_back(p, "not a regular file");
    }
  }
  return inputs;
}

FileResult ProcessFile(const InputFile& input, const extract::Extractor& extractor,
                       const std::unordered_set<std::string>& known, bool force, const FileLimits& limits) {
  using Clock = std::chrono::steady_clock;
  auto since = [](Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); };
  Clock::time_point start = Clock::now();
  FileResult result;
  result.source_path = input.path.string();
  const Clock::time_point deadline = start + std::chrono::seconds(limits.timeout_seconds);
  auto past_deadline = [&](const char* stage) {
    if (Clock::now() <= deadline) return false;
    result.stage = stage;
    result.message = "it took longer than the limit of " + std::to_string(limits.timeout_seconds) + " s (--timeout)";
    return true;
  };
  std::error_code size_error;
  const uintmax_t size = fs::file_size(input.path, size_error);
  if (!size_error && size > static_cast<uintmax_t>(limits.max_bytes)) {
    result.stage = "read";
    result.message = "it is " + std::to_string(size >> 20) + " MB, more than the limit of " +
                     std::to_string(limits.max_bytes >> 20) + " MB (--max-file-mb)";
    return result;
  }
  std::string bytes;
  if (!ReadAll(input.path, &bytes, &result.message)) {
    result.stage = "read";
    return result;
  }
  store::DocumentRecord& doc = result.document;
  doc.source_path = result.source_path;
  doc.sha256 = ingest::Sha256Hex(bytes);
  if (!force && known.count(doc.sha256)) {
    result.outcome = FileResult::Outcome::kUnchanged;
    return result;
  }
  result.read_seconds = since(start);
  start = Clock::now();
  ingest::Document ingested;
  ingest::Limits ingest_limits;
  ingest_limits.max_pages = limits.max_pages;
  ingest_limits.deadline = deadline;
  ingest_limits.timeout_seconds = limits.timeout_seconds;
  if (!ingest::LoadDocument(bytes, input.type, &ingested, &result.message, ingest_limits)) {
    result.stage = "ingest";
    return result;
  }
  bytes.clear();
  bytes.shrink_to_fit();
  result.ingest_seconds = since(start);
  start = Clock::now();

  doc.media_type = ingest::MediaTypeName(input.type);
  doc.encoding = ingested.encoding;
  doc.warnings = ingested.warnings;
  normalize::Options options;
  options.join_wrapped_lines = input.type == ingest::MediaType::kPdf;
  doc.pages.reserve(ingested.pages.size());
  std::vector<extract::PageText> texts(ingested.pages.size());
  for (size_t i = 0; i < ingested.pages.size(); ++i) {
    ingest::Page& page = ingested.pages[i];
    normalize::Text normalized = normalize::Normalize(DecodeUtf8(page.text), options);
    store::PageRecord record;
    record.page_no = static_cast<int>(i + 1);
    record.text = EncodeUtf8(normalized.text);
    record.offset_map = normalize::EncodeOffsetMap(normalized);
    record.raw_text = std::move(page.text);
    record.width = page.width;
    record.height = page.height;
    record.boxes = ingest::EncodeBoxes(page.boxes);
    record.rules = ingest::EncodeRules(page.rules);
    // Extraction reads the page as stored (boxes in single precision), so that `kobun
    // extract` over the stored pages finds exactly what this run finds.
    if (!ToPageText(record, &texts[i], &result.message)) {
      result.stage = "normalize";
      return result;
    }
    doc.pages.push_back(std::move(record));
  }
  result.normalize_seconds = since(start);
  if (past_deadline("normalize")) return result;
  doc.records = extractor.Extract(texts);
  result.keyed = store::KeyRecords(doc.sha256, doc.records);
  doc.title = !ingested.title.empty() ? ingested.title : (doc.pages.empty() ? "" : FirstLine(doc.pages[0].text));
  result.outcome = FileResult::Outcome::kDocument;
  return result;
}

}  // namespace kobun::pipelines
