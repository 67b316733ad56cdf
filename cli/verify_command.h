// `dockerfix verify`, and the `--verify` of apply and diff: the fixes are
// proven by building and running the image before and after (verify/).
#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "cli/fix_options.h"
#include "dockerfix/fix.h"
#include "verify/prove.h"

namespace dockerfix::cli {

struct VerifyCliOptions {
  bool enabled = false;  // apply/diff --verify
  std::string context;
  std::vector<std::string> build_args;  // K=V, or K to take it from the environment
  std::string network = "none";
  int timeout = 10;
  int build_timeout = 1800;
  std::vector<std::string> volumes, env, cap_add;
  std::string format = "text";
};

// The options shared by verify and `--verify`; with_flag adds --verify itself.
void add_verify_options(CLI::App* sub, VerifyCliOptions& v, bool with_flag);

// apply/diff --verify: the fix with only the fixes that proved, the others
// in `rejected`. Verdicts go to stderr. On a failure to verify (no engine,
// bad context) `error` names the file and nothing is kept.
fix::FixResult verified_fix(const std::string& path, const std::string& bytes, const Settings& s,
                            const fix::Options& options, const VerifyCliOptions& v, bool quiet, std::string& error);

}  // namespace dockerfix::cli
