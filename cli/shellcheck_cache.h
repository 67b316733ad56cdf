// shellcheck's comments on a script, kept across runs as Ruff keeps
// .ruff_cache: one JSON file per distinct script under
// $DOCKERFIX_CACHE_DIR/shellcheck, else $XDG_CACHE_HOME/dockerfix/shellcheck,
// else ~/.cache/dockerfix/shellcheck (docs/config.md). An entry is named by
// the SHA-256 of its key (shellcheck's --version output, its arguments,
// SHELLCHECK_OPTS, the exact text it read) and holds that key and the text
// in full, compared on every read: a hash collision is a miss, never another
// script's comments. A run writes one entry per script it had to check, so
// the directory grows with the distinct scripts ever checked, not with runs.
#pragma once

#include <filesystem>
#include <mutex>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace dockerfix::cli {

// Where the entries go; empty when neither variable nor HOME says.
std::filesystem::path shellcheck_cache_dir();

class ShellcheckCache {
 public:
  // `identity`: what, besides the script, decides shellcheck's answer.
  ShellcheckCache(std::filesystem::path dir, nlohmann::json identity);
  // The comments stored for `script` (a JSON array); nullopt when there is
  // none, or the entry is unreadable, corrupt or for another key.
  std::optional<nlohmann::json> get(const std::string& script) const;
  // Best effort, atomic (temporary file + rename): a cache that cannot be
  // written only costs time.
  void put(const std::string& script, const nlohmann::json& comments);

 private:
  std::filesystem::path entry(const std::string& script) const;

  std::filesystem::path dir_;
  nlohmann::json identity_;
  std::string identity_text_;  // identity_, serialised: the first part of every key
  std::once_flag made_dir_;
};

}  // namespace dockerfix::cli
