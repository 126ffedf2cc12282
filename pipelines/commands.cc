#include "pipelines/commands.h"

#include <spdlog/spdlog.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <iostream>
#include <mutex>
#include <optional>
#include <thread>

#include "common/utf8.h"
#include "pipelines/pipeline.h"
#include "pipelines/work_queue.h"
#include "store/store.h"

namespace kobun::pipelines {

int RunCommand(const RunOptions& options) {
  PipelineConfig config;
  std::string error;
  std::unique_ptr<extract::Extractor> extractor = LoadExtractor(options.pipeline_path, &config, &error);
  if (!extractor) {
    spdlog::error("{}", error);
    return kExitUsage;
  }
  std::unique_ptr<store::Database> db = store::Database::Open(options.db_path, &error);
  if (!db) {
    spdlog::error("{}", error);
    return kExitSomeFailed;
  }
  if (!db->SyncAreas(extractor->areas(), &error)) {
    spdlog::error("{}", error);
    return kExitSomeFailed;
  }
  int64_t run_id = 0;
  if (!db->BeginRun("run", config.rules_version, config.file.string(), &run_id, &error)) {
    spdlog::error("{}", error);
    return kExitSomeFailed;
  }
  spdlog::debug("run {} with pipeline {} (rules {})", run_id, config.file.string(), config.rules_version);

  store::RunCounts counts;
  const Inputs inputs = FindInputs(options.paths);
  auto record_failure = [&](const std::string& path, const std::string& stage, const std::string& message) {
    ++counts.files_failed;
    spdlog::error("{}: {}", path, message);
    std::string store_error;
    if (!db->RecordFailure(run_id, path, stage, message, &store_error)) spdlog::error("{}", store_error);
  };
  for (const auto& [path, why] : inputs.missing) record_failure(path, "read", why);
  for (const auto& [path, why] : inputs.skipped) {
    ++counts.files_skipped;
    spdlog::debug("skipped {}: {}", path, why);
  }
  if (!inputs.skipped.empty()) {
    spdlog::info("skipped {} file(s) that are not PDFs or text reports (-v lists them)", inputs.skipped.size());
  }

  const std::unordered_set<std::string> known = db->KnownHashes();
  const int jobs = options.jobs > 0 ? options.jobs : std::max(1u, std::thread::hardware_concurrency());
  const int workers = std::max(1, std::min<int>(jobs, static_cast<int>(inputs.files.size())));
  BoundedQueue<FileResult> queue(static_cast<size_t>(workers) * 2);
  queue.SetProducers(workers);
  std::atomic<size_t> next{0};
  std::vector<std::thread> threads;
  for (int w = 0; w < workers; ++w) {
    threads.emplace_back([&] {
      for (size_t i = next++; i < inputs.files.size(); i = next++) {
        FileResult result;
        try {
          result = ProcessFile(inputs.files[i], *extractor, known, options.force, options.limits);
        } catch (const std::exception& e) {
          result.source_path = inputs.files[i].path.string();
          result.stage = "ingest";
          result.message = std::string("unexpected error: ") + e.what();
        }
        queue.Push(std::move(result));
      }
      queue.ProducerDone();
    });
  }

  Progress progress(options.progress, inputs.files.size());
  size_t done = 0;
  while (std::optional<FileResult> result = queue.Pop()) {
    ++done;
    switch (result->outcome) {
      case FileResult::Outcome::kFailed:
        progress.Clear();
        record_failure(result->source_path, result->stage, result->message);
        break;
      case FileResult::Outcome::kUnchanged:
        ++counts.documents_unchanged;
        spdlog::debug("unchanged {}", result->source_path);
        break;
      case FileResult::Outcome::kDocument: {
        int64_t id = 0;
        bool added = false;
        counts.read_seconds += result->read_seconds;
        counts.ingest_seconds += result->ingest_seconds;
        counts.normalize_seconds += result->normalize_seconds;
        counts.extract_seconds += result->document.records.seconds;
        const auto store_start = std::chrono::steady_clock::now();
        const bool stored = db->AddDocument(run_id, result->document, result->keyed, options.force, &id, &added, &error);
        counts.store_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - store_start).count();
        if (!stored) {
          progress.Clear();
          record_failure(result->source_path, "store", error);
        } else if (added) {
          ++counts.documents_added;
          counts.pages_added += static_cast<int>(result->document.pages.size());
          for (const std::string& warning : result->document.warnings) {
            progress.Clear();
            spdlog::warn("{}: {}", result->source_path, warning);
          }
          spdlog::debug("added {} as document {} ({} pages)", result->source_path, id,
                        result->document.pages.size());
        } else {
          ++counts.documents_unchanged;
          spdlog::debug("unchanged {} (same bytes as document {})", result->source_path, id);
        }
        break;
      }
    }
    progress.Update(done, counts.pages_added, result->source_path);
  }
  for (std::thread& t : threads) t.join();
  progress.Clear();

  if (!db->FinishRun(run_id, counts, &error)) spdlog::error("{}", error);
  spdlog::debug("seconds per stage, summed over files: read {:.3f}, ingest {:.3f}, normalize {:.3f}, extract dates "
                "{:.3f}, municipalities {:.3f}, tables {:.3f}, projects {:.3f}, agreements {:.3f}, store {:.3f}",
                counts.read_seconds, counts.ingest_seconds, counts.normalize_seconds, counts.extract_seconds.dates,
                counts.extract_seconds.municipalities, counts.extract_seconds.tables, counts.extract_seconds.projects,
                counts.extract_seconds.agreements, counts.store_seconds);
  spdlog::info("{} added ({} pages), {} unchanged, {} failed, {} skipped → {}", counts.documents_added,
               counts.pages_added, counts.documents_unchanged, counts.files_failed, counts.files_skipped,
               options.db_path);
  return counts.files_failed > 0 ? kExitSomeFailed : kExitOk;
}

namespace {

int Width(char32_t c) { return (c >= 0x1100 && (c < 0xFF61 || c > 0xFFDC)) ? 2 : 1; }

// The cell's text in lines no wider than `width` display columns.
std::vector<std::u32string> Wrap(const std::u32string& text, int width) {
  std::vector<std::u32string> lines(1);
  int used = 0;
  for (char32_t c : text) {
    if (used + Width(c) > width) {
      lines.emplace_back();
      used = 0;
    }
    lines.back() += c;
    used += Width(c);
  }
  return lines;
}

int Width(const std::u32string& s) {
  int w = 0;
  for (char32_t c : s) w += Width(c);
  return w;
}

}  // namespace

int ShowCommand(const std::string& db_path, const std::string& document, int cell_width) {
  std::string error;
  if (!std::filesystem::exists(db_path)) {
    spdlog::error("no database at {}", db_path);
    return kExitUsage;
  }
  std::unique_ptr<store::Database> db = store::Database::Open(db_path, &error);
  int64_t id = 0;
  std::string path;
  if (!db || !db->FindDocument(document, &id, &path, &error)) {
    spdlog::error("{}", error);
    return kExitUsage;
  }
  std::vector<store::StoredTable> tables;
  if (!db->GetTables(id, &tables, &error)) {
    spdlog::error("{}", error);
    return kExitSomeFailed;
  }
  std::cout << "document " << id << "  " << path << "\n" << tables.size() << " tables\n";
  for (size_t n = 0; n < tables.size(); ++n) {
    const store::StoredTable& t = tables[n];
    std::cout << "\ntable " << n + 1 << " (id " << t.id << "): page " << t.first_page
              << (t.last_page != t.first_page ? "-" + std::to_string(t.last_page) : "") << ", " << t.row_count
              << " rows x " << t.col_count << " columns, rule " << t.rule_id << "\n";
    std::vector<std::vector<std::vector<std::u32string>>> grid(
        t.row_count, std::vector<std::vector<std::u32string>>(t.col_count));
    std::vector<int> widths(t.col_count, 1);
    std::vector<bool> header(t.row_count, false);
    for (const extract::TableCell& c : t.cells) {
      if (c.row >= t.row_count || c.col >= t.col_count) continue;
      grid[c.row][c.col] = Wrap(DecodeUtf8(c.text), cell_width);
      for (const auto& line : grid[c.row][c.col]) widths[c.col] = std::max(widths[c.col], Width(line));
      header[c.row] = header[c.row] || c.is_header;
    }
    auto rule = [&](char fill) {
      std::string line = "+";
      for (int w : widths) line += std::string(w + 2, fill) + "+";
      std::cout << line << "\n";
    };
    rule('-');
    for (int r = 0; r < t.row_count; ++r) {
      size_t height = 1;
      for (const auto& cell : grid[r]) height = std::max(height, cell.size());
      for (size_t l = 0; l < height; ++l) {
        std::string line = "|";
        for (int c = 0; c < t.col_count; ++c) {
          const std::u32string part = l < grid[r][c].size() ? grid[r][c][l] : U"";
          line += ' ';
          line += EncodeUtf8(part);
          line.append(static_cast<size_t>(widths[c] - Width(part)), ' ');
          line += " |";
        }
        std::cout << line << "\n";
      }
      rule(header[r] ? '=' : '-');
    }
  }
  return kExitOk;
}

int StatsCommand(const std::string& db_path) {
  std::string error;
  if (!std::filesystem::exists(db_path)) {
    spdlog::error("no database at {}", db_path);
    return kExitUsage;
  }
  std::unique_ptr<store::Database> db = store::Database::Open(db_path, &error);
  store::Stats stats;
  if (!db || !db->GetStats(&stats, &error)) {
    spdlog::error("{}", error);
    return kExitSomeFailed;
  }
  std::cout << "database      " << db_path << " (schema " << db->SchemaVersion() << ")\n";
  std::cout << "documents     " << stats.documents << " (" << stats.current_documents << " current)\n";
  for (const auto& [type, n] : stats.by_media_type) std::cout << "  " << type << "  " << n << "\n";
  std::cout << "pages         " << stats.pages << "\n";
  std::cout << "runs          " << stats.runs << "\n";
  if (stats.runs > 0) {
    std::cout << "last run      started " << stats.last_run_started << ", "
              << (stats.last_run_finished.empty() ? "not finished" : "finished " + stats.last_run_finished)
              << ", rules " << stats.last_run_rules_version << ", " << stats.failures_last_run << " failures\n";
  }
  std::cout << "records\n";
  for (const auto& [table, n] : stats.records) std::cout << "  " << table << "  " << n << "\n";
  return kExitOk;
}

}  // namespace kobun::pipelines
