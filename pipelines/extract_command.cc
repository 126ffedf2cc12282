// kobun extract: the extract stage again, over the pages the database already holds.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <future>
#include <memory>
#include <set>
#include <thread>

#include "pipelines/commands.h"
#include "pipelines/pipeline.h"
#include "pipelines/work_queue.h"
#include "store/store.h"

namespace kobun::pipelines {
namespace {

struct Extracted {
  size_t index = 0;  // into the documents being extracted
  std::string error;  // empty: extracted
  int pages = 0;
  extract::Records records;
  store::KeyedRecords keyed;
};

// Every worker reads pages through its own connection: SQLite readers in WAL mode do
// not wait for the writer.
bool LoadPageTexts(store::Database& db, const store::StoredDocument& document, std::vector<extract::PageText>* pages,
                   std::string* error) {
  std::vector<store::PageRecord> stored;
  if (!db.LoadPages(document.id, &stored, error)) return false;
  pages->resize(stored.size());
  for (size_t i = 0; i < stored.size(); ++i) {
    if (!ToPageText(stored[i], &(*pages)[i], error)) return false;
  }
  return true;
}

}  // namespace

int ExtractCommand(const ExtractOptions& options) {
  std::string error;
  std::set<std::string> kinds;
  for (const std::string& kind : options.only) {
    const std::vector<std::string> with_readers = extract::KindAndReaders(kind);
    if (with_readers.empty()) {
      spdlog::error("--only {}: not a rule kind (dates, municipalities, tables, projects, agreements)", kind);
      return kExitUsage;
    }
    kinds.insert(with_readers.begin(), with_readers.end());
  }
  if (kinds.empty()) kinds.insert(extract::RuleKinds().begin(), extract::RuleKinds().end());

  // The rule files compile while the database opens and the workers read their first
  // pages: compiling them is a fifth of re-extracting a small batch. (Declared before
  // `loading`, whose destructor waits for the compiling thread, so they outlive it.)
  PipelineConfig config;
  std::string load_error;
  std::shared_future<std::shared_ptr<const extract::Extractor>> loading =
      std::async(std::launch::async, [&]() -> std::shared_ptr<const extract::Extractor> {
        return LoadExtractor(options.pipeline_path, &config, &load_error);
      }).share();
  if (!std::filesystem::exists(options.db_path)) {
    spdlog::error("no database at {}; `kobun run` ingests documents first", options.db_path);
    return kExitUsage;
  }
  std::unique_ptr<store::Database> db = store::Database::Open(options.db_path, &error);
  if (!db) {
    spdlog::error("{}", error);
    return kExitSomeFailed;
  }

  std::vector<store::StoredDocument> documents;
  if (!db->CurrentDocuments(&documents, &error)) {
    spdlog::error("{}", error);
    return kExitSomeFailed;
  }
  if (!options.documents.empty()) {
    std::set<int64_t> chosen;
    for (const std::string& selector : options.documents) {
      int64_t id = 0;
      std::string path;
      if (!db->FindDocument(selector, &id, &path, &error)) {
        spdlog::error("{}", error);
        return kExitUsage;
      }
      chosen.insert(id);
    }
    std::erase_if(documents, [&](const store::StoredDocument& d) { return !chosen.count(d.id); });
  }

  // Longest first, so that no long document starts last while the other workers idle.
  std::stable_sort(documents.begin(), documents.end(),
                   [](const store::StoredDocument& a, const store::StoredDocument& b) { return a.page_count > b.page_count; });

  store::RunCounts counts;
  const int jobs = options.jobs > 0 ? options.jobs : std::max(1u, std::thread::hardware_concurrency());
  const int workers = std::max(1, std::min<int>(jobs, static_cast<int>(documents.size())));
  BoundedQueue<Extracted> queue(static_cast<size_t>(workers) * 2);
  queue.SetProducers(workers);
  std::atomic<size_t> next{0};
  std::vector<std::thread> threads;
  for (int w = 0; w < workers; ++w) {
    threads.emplace_back([&] {
      std::string open_error;
      std::unique_ptr<store::Database> reader = store::Database::Open(options.db_path, &open_error);
      for (size_t i = next++; i < documents.size(); i = next++) {
        Extracted result;
        result.index = i;
        std::vector<extract::PageText> pages;
        try {
          if (!reader) {
            result.error = open_error;
          } else {
            LoadPageTexts(*reader, documents[i], &pages, &result.error);
          }
          const std::shared_ptr<const extract::Extractor>& extractor = loading.get();
          if (!extractor) break;  // the writer reports why
          if (result.error.empty()) {
            result.pages = static_cast<int>(pages.size());
            result.records = extractor->Extract(pages);
            result.keyed = store::KeyRecords(documents[i].sha256, result.records);
          }
        } catch (const std::exception& e) {
          result.error = std::string("unexpected error: ") + e.what();
        }
        queue.Push(std::move(result));
      }
      queue.ProducerDone();
    });
  }
  // Before the run has begun: the workers take no further document, what they have done
  // is dropped, and nothing has been written.
  auto stop = [&](int exit_code) {
    next = documents.size();
    while (queue.Pop()) {
    }
    for (std::thread& t : threads) t.join();
    return exit_code;
  };
  const std::shared_ptr<const extract::Extractor>& extractor = loading.get();
  if (!extractor) {
    spdlog::error("{}", load_error);
    return stop(kExitUsage);
  }
  if (!db->SyncAreas(extractor->areas(), &error)) {
    spdlog::error("{}", error);
    return stop(kExitSomeFailed);
  }
  int64_t run_id = 0;
  if (!db->BeginRun("extract", config.rules_version, config.file.string(), &run_id, &error)) {
    spdlog::error("{}", error);
    return stop(kExitSomeFailed);
  }

  Progress progress(options.progress, documents.size());
  size_t done = 0;
  int pages = 0;
  while (std::optional<Extracted> result = queue.Pop()) {
    ++done;
    const store::StoredDocument& document = documents[result->index];
    store::VersionCounts changes;
    if (!result->error.empty() || !db->ReplaceRecords(run_id, document.id, result->records, result->keyed, kinds, &changes, &result->error)) {
      progress.Clear();
      ++counts.files_failed;
      spdlog::error("{}: {}", document.source_path, result->error);
      std::string store_error;
      if (!db->RecordFailure(run_id, document.source_path, "extract", result->error, &store_error))
        spdlog::error("{}", store_error);
    } else {
      ++counts.documents_extracted;
      pages += result->pages;
      counts.records.added += changes.added;
      counts.records.removed += changes.removed;
      counts.records.changed += changes.changed;
      counts.records.unchanged += changes.unchanged;
      counts.extract_seconds += result->records.seconds;
      if (changes.added + changes.removed + changes.changed > 0) {
        spdlog::debug("{}: {} added, {} removed, {} changed", document.source_path, changes.added, changes.removed,
                      changes.changed);
      }
    }
    progress.Update(done, pages, document.source_path);
  }
  for (std::thread& t : threads) t.join();
  progress.Clear();

  if (!db->FinishRun(run_id, counts, &error)) spdlog::error("{}", error);
  spdlog::info("run {} (rules {}): {} documents re-extracted ({} pages), {} failed; records {} added, {} removed, "
               "{} changed, {} unchanged; `kobun diff` shows them",
               run_id, config.rules_version, counts.documents_extracted, pages, counts.files_failed,
               counts.records.added, counts.records.removed, counts.records.changed, counts.records.unchanged);
  return counts.files_failed > 0 ? kExitSomeFailed : kExitOk;
}

}  // namespace kobun::pipelines
