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
  int max_file_mb = static_cast<int>(run.limits.max_bytes >> 20);
  run_cmd->add_option("--max-pages", run.limits.max_pages, "A document with more pages fails (one hostile file\n"
                      "must not stall the batch)")->capture_default_str()->check(CLI::PositiveNumber);
  run_cmd->add_option("--timeout", run.limits.timeout_seconds, "Seconds one document may take to read and\n"
                      "normalize (checked between pages)")->capture_default_str()->check(CLI::PositiveNumber);
  run_cmd->add_option("--max-file-mb", max_file_mb, "A larger file fails without being read")
      ->capture_default_str()->check(CLI::PositiveNumber);
  run_cmd->add_option("PATH", run.paths, "Files or directories to read")->required();

  kobun::pipelines::ExtractOptions extract;
  CLI::App* extract_cmd = app.add_subcommand(
      "extract",
      "Run the extract stage again over the pages already stored (no PDF is read again), as a new\n"
      "run with the pipeline's rule-set version: after editing a rule, this brings every record up\n"
      "to date and keeps the old ones in the history (see `kobun diff`). The record tables then hold\n"
      "the new run's records.\n"
      "Exit status: 0 every document re-extracted, 1 some failed, 2 usage error.");
  extract_cmd->add_option("--db", extract.db_path, "SQLite database to update")->capture_default_str();
  extract_cmd->add_option("--pipeline", extract.pipeline_path,
                          "Pipeline definition (TOML); default: pipelines/default.toml");
  extract_cmd->add_option("-j,--jobs", extract.jobs, "Documents extracted in parallel (default: one per core)")
      ->check(CLI::NonNegativeNumber);
  extract_cmd->add_option("--only", extract.only,
                          "Re-extract only this rule kind (dates, municipalities, tables, projects, agreements) and\n"
                          "the kinds that read it; repeatable")
      ->expected(1)->allow_extra_args(false);
  extract_cmd->add_option("DOCUMENT", extract.documents,
                          "Documents to re-extract: id, or file name or the end of the path (default: all current)");

  kobun::pipelines::DiffOptions diff;
  CLI::App* diff_cmd = app.add_subcommand(
      "diff",
      "Show the records that differ between two runs — added, removed, changed — per kind, rule\n"
      "and document. Each run stands for the records as it left the database. Without runs: the\n"
      "latest run against the one before it.");
  diff_cmd->add_option("--db", diff.db_path, "SQLite database to read")->capture_default_str();
  diff_cmd->add_flag("--json", diff.json, "Write JSON for a script instead of text for a person");
  diff_cmd->add_option("RUN_A", diff.run_a, "The earlier run (runs.id)")->check(CLI::PositiveNumber);
  diff_cmd->add_option("RUN_B", diff.run_b, "The later run (default: the latest)")->check(CLI::PositiveNumber);

  kobun::pipelines::ExportOptions export_options;
  CLI::App* export_cmd = app.add_subcommand(
      "export",
      "Write the current records, each with its stable key, document and run, as JSON Lines or CSV\n"
      "(UTF-8). The README lists the fields of each kind.");
  export_cmd->add_option("--db", export_options.db_path, "SQLite database to read")->capture_default_str();
  export_cmd->add_option("--format", export_options.format, "jsonl: one JSON object per line; csv: one kind's columns")
      ->required()->check(CLI::IsMember({"jsonl", "csv"}));
  export_cmd->add_option("--kind", export_options.kind,
                         "Only this kind: dates, municipalities, areas, tables, projects, agreements, clauses\n"
                         "(required for csv)");
  export_cmd->add_option("--since", export_options.since_run,
                         "Only records new or changed after this run (runs.id)")->check(CLI::NonNegativeNumber);
  export_cmd->add_option("-o,--output", export_options.output_path, "File to write (default: standard output)");

  kobun::pipelines::PushOptions push;
  CLI::App* push_cmd = app.add_subcommand(
      "push",
      "Make PostgreSQL tables <schema>.documents and <schema>.records hold exactly the current\n"
      "documents and records (upsert by record key, delete what is gone), in one transaction.");
  push_cmd->add_option("--db", push.db_path, "SQLite database to read")->capture_default_str();
  push_cmd->add_option("--schema", push.schema, "PostgreSQL schema for the tables")->capture_default_str();
  push_cmd->add_option("URL", push.conninfo, "postgresql://user@host/database, or a libpq connection string")
      ->required();

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
    run.limits.max_bytes = int64_t{max_file_mb} << 20;
    return kobun::pipelines::RunCommand(run);
  }
  if (*extract_cmd) {
    extract.progress = isatty(STDERR_FILENO) && !verbose;
    return kobun::pipelines::ExtractCommand(extract);
  }
  if (*diff_cmd) return kobun::pipelines::DiffCommand(diff);
  if (*export_cmd) return kobun::pipelines::ExportCommand(export_options);
  if (*push_cmd) return kobun::pipelines::PushCommand(push);
  if (*show_cmd) return kobun::pipelines::ShowCommand(show_db, show_document, show_width);
  return kobun::pipelines::StatsCommand(stats_db);
}
