// Findings switched off in the Dockerfile itself: `# dockerfix ignore=A,B`
// and hadolint's `# hadolint ignore=DLxxxx` on the line before an
// instruction, and BuildKit's `# check=skip=A,B` (or `skip=all`) parser
// directive for the whole file. Every name is a rule id or alias, resolved
// through the rule table.
#pragma once

#include <span>
#include <vector>

#include "dockerfix/fix.h"

namespace dockerfix::fix {

void drop_ignored(const Dockerfile& f, std::vector<Finding>& findings, std::span<const RuleInfo* const> rules);

}  // namespace dockerfix::fix
