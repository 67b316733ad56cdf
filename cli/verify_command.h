// `dockerfix verify`, and the `--verify` of apply and diff: the fixes are
// proven by building and running the image before and after (verify/).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "cli/file_pipeline.h"
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

// The Verifier of apply/diff --verify and bot --verify (cli/file_pipeline.h):
// safe fixes as usual; an unsafe fix is a candidate too, kept only where
// the build proves it. Verdicts go to stderr unless `quiet`.
struct VerifierPlace {
  // The bot: the checkout HEAD's tree is in; paths are relative to it and
  // each file builds in its own directory there. Empty: paths are on disk.
  std::filesystem::path checkout;
  // Ctrl-C: false exits 130 at once (apply, diff: what is written stays
  // written); true throws verify::Interrupted, so the caller unwinds
  // before it commits or pushes anything (the bot).
  bool throw_on_interrupt = false;
};
Verifier make_verifier(const Settings& s, const VerifyCliOptions& v, bool quiet, VerifierPlace place = {});

}  // namespace dockerfix::cli
