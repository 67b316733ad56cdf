// ShellCheck on RUN scripts, as hadolint runs it: each shell-form RUN and
// heredoc script in the shell the instruction uses (SHELL, else the image's
// /bin/sh: dash on Debian and Ubuntu, sh elsewhere; PowerShell and cmd are
// skipped), with the stage's ARG and ENV names exported first so they count
// as set. One shellcheck process per Dockerfile checks every script (one
// file each, so they are analysed apart); its positions are mapped back
// through the RUN's continuation lines into the Dockerfile. Findings carry
// shellcheck's code as their rule (SC2086) and its level as their severity,
// so --skip, --rule and `# hadolint ignore=SC2086` work on them.
#pragma once

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

ShellcheckResult run_shellcheck(const Dockerfile& file, const model::BuildModel& model);

}  // namespace dockerfix::cli
