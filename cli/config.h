// `.dockerfix.yaml`: rules on/off, per-rule options, base-image knowledge
// overrides and ignored paths. Schema and precedence: docs/config.md.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "dockerfix/fix.h"
#include "dockerfix/model.h"
#include "dockerfix/rule_info.h"
#include "k8s/image_map.h"

namespace dockerfix::cli {

// "FILE:LINE: what is wrong", naming the key.
class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct Config {
  std::filesystem::path file;  // empty: no config file
  std::filesystem::path root;  // its directory; ignore patterns are relative to it

  std::vector<std::string> disabled;  // rule ids switched off
  std::vector<std::string> enabled;   // rule ids switched on (for rules off by default)

  // `rules.<id>.<option>` values by the setting they set (dockerfix/rule_info.h's
  // RuleOption::setting, also the flag's name: "uid", "health-interval"), as
  // checked text; a flag given on the command line wins over them.
  struct Value {
    std::string text;
    int line = 0;
  };
  std::map<std::string, Value> settings;
  std::optional<std::string> setting(const std::string& name) const {
    auto it = settings.find(name);
    return it == settings.end() ? std::nullopt : std::optional<std::string>(it->second.text);
  }
  std::optional<size_t> max_size;

  std::vector<std::string> ignore;  // glob patterns, relative to root
  std::optional<model::KnowledgeBase> images;  // `images:` entries; they win over the built-in ones

  // hadolint's settings: `.hadolint.yaml` spells them its way, `.dockerfix.yaml`
  // as trusted-registries, label-schema, strict-labels, severity, failure-threshold,
  // no-fail and shellcheck (docs/config.md).
  std::vector<std::string> trusted_registries;
  std::map<std::string, std::string> label_schema;  // label -> text, url, semver, hash, rfc3339, spdx, email
  std::optional<bool> strict_labels;
  std::map<std::string, fix::Severity> severity;    // rule id, or a name no rule has (SC2086) -> severity
  std::optional<std::string> failure_threshold;     // error, warning, info, style or none
  std::optional<bool> no_fail;
  std::optional<std::string> format;                // check's output format
  std::optional<bool> shellcheck;                   // run shellcheck on RUN scripts (default: when installed)
  std::optional<bool> cache;                        // keep shellcheck's results across runs (default: true)
  std::vector<std::string> ignored_names;           // switched off names no rule has (SC2086, DLxxxx dockerfix lacks)
  bool hadolint = false;                            // read from a hadolint config file
  std::vector<std::string> warnings;                // "FILE:LINE: ..." for what was read but is not used
  k8s::Config kubernetes;  // `kubernetes: {images: {IMAGE: Dockerfile}}` (docs/kubernetes.md)
};

// Copies the settings rules read (trusted registries, label schema, strict labels) into `o`.
void apply_rule_settings(const Config& c, fix::Options& o);

// The nearest `.dockerfix.yaml` in `start` or one of its parents.
std::optional<std::filesystem::path> find_config(const std::filesystem::path& start);

// Where hadolint looks when there is no `.dockerfix.yaml`, first found wins:
// `start`/.hadolint.yaml, $XDG_CONFIG_HOME/hadolint.yaml,
// ~/.config/hadolint.yaml, ~/.hadolint/hadolint.yaml, ~/hadolint/config.yaml,
// ~/.hadolint.yaml (each also as .yml).
std::optional<std::filesystem::path> find_hadolint_config(const std::filesystem::path& start);

// Throws ConfigError on unreadable files, bad YAML, unknown keys and bad values.
// A file whose name holds "hadolint" is read as hadolint's config.
Config load_config(const std::filesystem::path& file);

// hadolint's `.hadolint.yaml`: ignored, override, failure-threshold,
// trustedRegistries, label-schema, strict-labels, no-fail, format; keys
// dockerfix does not use (no-color, verbose, ...) are warnings, not errors,
// so real files load as they are. Throws ConfigError on bad YAML or values.
Config parse_hadolint_config(const std::string& text, const std::string& origin, const std::filesystem::path& dir);

// The same from text: `origin` names it in errors, `dir` is where its
// ignore patterns are rooted (the directory holding it).
Config parse_config(const std::string& text, const std::string& origin, const std::filesystem::path& dir);

// is_ignored for a path already relative to the config's directory.
bool is_ignored_relative(const Config& config, const std::string& relative_path);

// True when `path` (a discovered file) matches one of the config's ignore
// patterns: fnmatch on its path relative to the config's directory, where a
// pattern naming a directory covers everything below it.
bool is_ignored(const Config& config, const std::filesystem::path& path);

}  // namespace dockerfix::cli
