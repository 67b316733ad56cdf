// `dockerfix parse`: reads Dockerfiles into the lossless tree and prints them
// back (byte for byte) or as JSON; many files at once for corpus runs.
#include <memory>
#include <string>
#include <vector>

#include <fmt/core.h>

#include "cli/commands.h"
#include "cli/file_io.h"
#include "cli/help_text.h"
#include "cli/ordered_pool.h"
#include "cli/output.h"
#include "dockerfix/json.h"
#include "dockerfix/syntax.h"

namespace dockerfix::cli {
namespace {

struct ParseOptions {
  std::vector<std::string> paths;
  std::string files_from;
  bool json = false;
  bool all_files = false;
  unsigned jobs = 0;  // 0: one per core
};

std::string dump_json(const Dockerfile& file, int indent) {
  // Dockerfiles may hold bytes that are not UTF-8; never throw on them.
  return to_json(file).dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
}

// One file: the printed tree (byte-exact) or its JSON.
int parse_one(const ParseOptions& options, const std::string& path) {
  std::string bytes;
  std::string error;
  if (!read_input(path, bytes, error)) {
    fmt::print(stderr, "dockerfix: {}\n", error);
    return kExitUsage;
  }
  Dockerfile file = parse(std::move(bytes), path);
  write_out(options.json ? dump_json(file, 2) + "\n" : print(file));
  return finish_output(kExitOk);
}

// What parse_many() learns of one file, on a worker.
struct Parsed {
  bool read = false;
  std::string error;  // when not read
  size_t bytes = 0, errors = 0, warnings = 0;
  bool has_errors = false;
  std::string json;  // --json: its line
};

// Thrown by the writer when stdout is gone: the workers stop too.
struct OutputClosed {};

// Many files in one process, on every core, in input order: a summary on
// stderr, or JSON lines on stdout.
int parse_many(const ParseOptions& options, const std::vector<std::string>& paths,
               int code) {
  size_t files = 0, bytes_total = 0, unreadable = 0;
  size_t errors = 0, warnings = 0, files_with_errors = 0;
  auto work = [&](size_t i) {
    Parsed out;
    std::string bytes;
    if (!read_input(paths[i], bytes, out.error)) return out;
    out.read = true;
    out.bytes = bytes.size();
    Dockerfile file = parse(std::move(bytes), paths[i]);
    for (const Diagnostic& d : file.diagnostics) (d.severity == Severity::Error ? out.errors : out.warnings) += 1;
    out.has_errors = file.has_errors();
    if (options.json) out.json = dump_json(file, -1) + "\n";
    return out;
  };
  auto emit = [&](size_t, Parsed&& p) {
    if (!p.read) {
      fmt::print(stderr, "dockerfix: {}\n", p.error);
      ++unreadable;
      code = kExitUsage;
      return;
    }
    ++files;
    bytes_total += p.bytes;
    errors += p.errors;
    warnings += p.warnings;
    if (p.has_errors) ++files_with_errors;
    if (options.json && !write_out(p.json)) throw OutputClosed{};
  };
  try {
    run_ordered<Parsed>(paths.size(), workers_for(options.jobs), work, emit);
  } catch (const OutputClosed&) {
  }
  fmt::print(stderr,
             "dockerfix parse: {} files, {} bytes, {} diagnostics ({} errors, {} warnings), "
             "{} files with errors{}\n",
             files, bytes_total, errors + warnings, errors, warnings, files_with_errors,
             unreadable ? fmt::format(", {} unreadable", unreadable) : std::string());
  return finish_output(code);
}

int run_parse(const ParseOptions& options) {
  if (options.paths.empty() && options.files_from.empty()) {
    fmt::print(stderr, "dockerfix parse: give a FILE, a DIRECTORY, - (stdin) or --files-from LIST\n");
    return kExitUsage;
  }
  std::vector<std::string> paths;
  bool many = options.paths.size() > 1 || !options.files_from.empty();
  int code = kExitOk;
  if (!options.files_from.empty()) {
    std::string error;
    if (!read_file_list(options.files_from, paths, error)) {
      fmt::print(stderr, "dockerfix: {}\n", error);
      return kExitUsage;
    }
  }
  for (const std::string& path : options.paths) {
    if (is_directory(path)) {
      many = true;
      std::vector<std::string> errors;
      find_files(path, options.all_files, paths, errors);
      for (const std::string& e : errors) fmt::print(stderr, "dockerfix: {}\n", e);
      if (!errors.empty()) code = kExitUsage;
    } else {
      paths.push_back(path);
    }
  }
  if (!many) return parse_one(options, paths.front());
  return parse_many(options, paths, code);
}

}  // namespace

Command add_parse_command(CLI::App& app) {
  auto options = std::make_shared<ParseOptions>();
  const HelpText& help = help_text("parse");
  CLI::App* sub = app.add_subcommand("parse", help.brief());
  sub->footer(help.footer());
  sub->add_option("paths", options->paths,
                  "Dockerfiles, directories (searched for Dockerfile, Dockerfile.*, "
                  "*.Dockerfile, *.dockerfile, Containerfile) or - for stdin");
  sub->add_option("--files-from", options->files_from,
                  "Read the paths to parse from this file, one a line (- for stdin)");
  sub->add_flag("--json", options->json,
                "Print the semantic view as JSON (one object a line for many files)");
  sub->add_flag("--all-files", options->all_files,
                "In directories, parse every regular file, not only Dockerfile names");
  sub->add_option("-j,--jobs", options->jobs,
                  "Files parsed at once (default: one per core; output stays in input order)");
  return {sub, [options] { return run_parse(*options); }};
}

}  // namespace dockerfix::cli
