// kobun: Japanese local-government publications into a queryable SQLite database.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "pipelines/commands.h"

int main(int argc, char** argv) {
  using kobun::pipelines::kExitUsage;
  CLI::App app{
      "kobun turns Japanese local-government publications (PDFs and text reports) into an SQLite\n"
      "database: normalized page text with provenance, and the records later stages extract.",
      "kobun"};
  app.set_version_flag("--version", std::string("kobun ") + KOBUN_VERSION);
  app.require_subcommand(1);
  app.fallthrough();  // -v may follow the subcommand
  bool verbose = false;
  app.add_flag("-v,--verbose", verbose, "Log every file, not only failures and the summary");

  kobun::pipelines::RunOptions run;
  CLI::App* run_cmd = app.add_subcommand(
      "run",
      "Read PDFs and text reports (files, or directories walked recursively), normalize them and\n"
      "store them. A file already stored with the same bytes (SHA-256) is left alone unless --force;\n"
      "a changed file becomes a new version of its path. Other file types are skipped with a note.\n"
      "Exit status: 0 all files went in, 1 some failed (each is printed and recorded in the\n"
      "failures table), 2 usage error.");
  run_cmd->add_option("--db", run.db_path, "SQLite database to write (created if missing)")->capture_default_str();
  run_cmd->add_option("--pipeline", run.pipeline_path, "Pipeline definition (TOML); default: pipelines/default.toml");
  run_cmd->add_option("-j,--jobs", run.jobs, "Files processed in parallel (default: one per core)")
      ->check(CLI::NonNegativeNumber);
  run_cmd->add_flag("--force", run.force, "Read and store files again even when their bytes are already stored");
  run_cmd->add_option("PATH", run.paths, "Files or directories to read")->required();

  std::string stats_db = "kobun.db";
  CLI::App* stats_cmd = app.add_subcommand("stats", "Print what the database holds: documents, pages, runs, records.");
  stats_cmd->add_option("--db", stats_db, "SQLite database to read")->capture_default_str();

  std::string show_db = "kobun.db", show_document;
  int show_width = 24;
  CLI::App* show_cmd = app.add_subcommand(
      "show", "Print a document's tables as aligned text, to check extraction by eye before trusting it.");
  show_cmd->add_option("--db", show_db, "SQLite database to read")->capture_default_str();
  show_cmd->add_option("--width", show_width, "Wrap cells at this many columns")->capture_default_str()
      ->check(CLI::Range(4, 200));
  show_cmd->add_option("DOCUMENT", show_document, "Document id, or its file name or the end of its path")->required();

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return kExitUsage;
  }

  auto logger = spdlog::stderr_color_mt("kobun");
  logger->set_pattern("kobun: %^%l%$: %v");
  logger->set_level(verbose ? spdlog::level::debug : spdlog::level::info);
  spdlog::set_default_logger(logger);

  if (*run_cmd) {
    run.progress = isatty(STDERR_FILENO) && !verbose;
    return kobun::pipelines::RunCommand(run);
  }
  if (*show_cmd) return kobun::pipelines::ShowCommand(show_db, show_document, show_width);
  return kobun::pipelines::StatsCommand(stats_db);
}
