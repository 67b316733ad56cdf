// ShellCheck on RUN scripts, as hadolint runs it: each shell-form RUN and
// heredoc script in the shell the instruction uses (SHELL, else the image's
// /bin/sh: dash on Debian and Ubuntu, sh elsewhere; PowerShell and cmd are
// skipped), with the stage's ARG and ENV names exported first so they count
// as set. One shellcheck process checks every script a batch of
// Dockerfiles holds that the run has not seen (one file each, so they are
// analysed apart); its positions are mapped back through the RUN's
// continuation lines into each Dockerfile.
// Findings carry shellcheck's code as their rule (SC2086) and its level as
// their severity, so --skip, --rule and `# hadolint ignore=SC2086` work on
// them.
//
// shellcheck's answer depends only on the text it reads (header and script)
// and its arguments, so a run checks each distinct text once, whichever
// files and workers meet it, and keeps the answer across runs in a
// ShellcheckCache (cli/shellcheck_cache.h) unless --no-cache.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "dockerfix/fix.h"

namespace dockerfix::cli {

// `shellcheck` is on PATH.
bool shellcheck_available();

struct ShellcheckResult {
  std::vector<fix::Finding> findings;
  std::string error;  // shellcheck failed to run or printed what is not its JSON
};

struct ShellcheckInput {
  const Dockerfile* file;
  const model::BuildModel* model;  // the file's
};

// One per run, shared by the workers (thread-safe).
class Shellcheck {
 public:
  // `persistent`: read and write the cache across runs, besides the run's own memo.
  explicit Shellcheck(bool persistent);
  ~Shellcheck();
  Shellcheck(const Shellcheck&) = delete;
  Shellcheck& operator=(const Shellcheck&) = delete;

  // Each file's findings; the scripts none of them has seen go to one
  // shellcheck process (if it fails, each file's to one of their own).
  std::vector<ShellcheckResult> check(const std::vector<ShellcheckInput>& files);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace dockerfix::cli
