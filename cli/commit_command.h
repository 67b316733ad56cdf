// `apply --commit`: the fixes as a commit on a branch of their own (git/),
// optionally pushed.
#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "cli/fix_options.h"

namespace dockerfix::cli {

struct CommitCliOptions {
  bool commit = false;
  std::string branch;
  std::string message_prefix = "fix(docker)";
  std::string author;
  std::string push;  // remote name or URL; empty: no push
  std::vector<std::string> token_hosts, http_hosts;  // who may be sent the token (git/token_policy.h)
  double network_timeout = 60;                       // seconds without data before the push is abandoned
};

void add_commit_options(CLI::App* apply, CommitCliOptions& o);

int run_apply_commit(const CommitCliOptions& c, const FixOptions& o, const Settings& s);

}  // namespace dockerfix::cli
