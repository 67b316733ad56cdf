// `apply --commit`: the fixes as a commit on a branch of their own (git/),
// optionally pushed.
#pragma once

#include <string>

#include <CLI/CLI.hpp>

#include "cli/fix_options.h"

namespace dockerfix::cli {

struct CommitCliOptions {
  bool commit = false;
  std::string branch;
  std::string message_prefix = "fix(docker)";
  std::string author;
  std::string push;  // remote name or URL; empty: no push
};

void add_commit_options(CLI::App* apply, CommitCliOptions& o);

int run_apply_commit(const CommitCliOptions& c, const FixOptions& o, const Settings& s);

}  // namespace dockerfix::cli
