// Options shared by check, diff and apply, and how the command line, the
// config file and the defaults combine: a flag given on the command line wins
// over `.dockerfix.yaml`, which wins over the built-in default.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "cli/config.h"
#include "cli/input_check.h"
#include "dockerfix/fix.h"

namespace dockerfix::cli {

struct FixOptions {
  std::vector<std::string> paths;
  std::string files_from;  // --files-from: more paths, one a line
  std::vector<std::string> rules, skip;
  std::string user = "agent";
  uint32_t uid = 1000, gid = 1000;
  bool numeric_user = false;
  bool unsafe_fixes = false;
  fix::Options tuning;  // retries and health-check timings
  std::string target;
  std::string context;  // --context: the build context for every file (default: each file's directory)
  bool quiet = false;
  size_t max_size = kDefaultMaxSize;
  std::string format = "text";
  std::string color = "auto";
  std::string config_file;  // --config
  bool no_config = false;
  // hadolint's flags
  std::vector<std::string> ignore;  // --ignore: the same as --skip
  std::string failure_threshold;    // --failure-threshold / -t
  bool no_fail = false;
  std::vector<std::string> trusted_registries;  // --trusted-registry
  std::vector<std::string> require_labels;      // --require-label NAME:TYPE
  bool strict_labels = false;
  std::vector<std::string> as_error, as_warning, as_info, as_style;  // --error RULE ...
  bool no_shellcheck = false;
  bool no_cache = false;  // check --no-cache: shellcheck's results neither read from nor written to the cache
  unsigned jobs = 0;  // --jobs; 0: one worker per core
};

void add_fix_options(CLI::App* sub, FixOptions& o);
// The subset that chooses rules and the user they create (the bot's).
void add_rule_options(CLI::App* sub, FixOptions& o);

// Everything a run needs once the config is read.
struct Settings {
  Config config;
  fix::Options options;
  fix::Selection selection;
  fix::FixScope scope;  // --unsafe-fixes
  model::KnowledgeBase kb;
  size_t max_size = kDefaultMaxSize;
  std::map<std::string, fix::Severity> severity;   // rule id or SCxxxx -> the severity it is reported with
  std::optional<fix::Severity> failure_threshold;  // findings below it do not make exit 1; nullopt: all do
  bool no_fail = false;                            // findings never make exit 1
  bool shellcheck = true;                          // run shellcheck when it is installed
  bool cache = true;                               // keep shellcheck's results across runs (cli/shellcheck_cache.h)
  std::string format;                              // the config's format, when --format is not given
  // The finding with the severity the config or flags give its rule.
  void set_severity(fix::Finding& f) const;
  // Does this finding make the run exit 1?
  bool fails(const fix::Finding& f) const;
};

// Reads the config (`--config`, else the nearest `.dockerfix.yaml` above the
// working directory), then applies the flags `sub` saw. Throws ConfigError
// (or std::runtime_error) with a message naming the file, line and key.
Settings resolve_settings(const CLI::App& sub, FixOptions& o);

// Where the base-image lock comes from: found beside the config, else upward
// from the working directory (check, diff, apply); or given, which may be
// none (the bot: each repository's own).
struct LockSource {
  bool find = true;
  std::shared_ptr<const model::Lock> given;  // when !find; null: no lock
};

// The same with the config already read (the bot reads each repository's).
// Leaves `o` as it was: one FixOptions serves many repositories.
Settings settings_from(const CLI::App& sub, FixOptions o, Config config, const LockSource& lock = {});

}  // namespace dockerfix::cli
