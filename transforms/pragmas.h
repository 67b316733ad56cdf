// What the Dockerfile itself says about findings: `# dockerfix ignore=A,B`
// and hadolint's `# hadolint ignore=DLxxxx` on the line before an
// instruction (with `global`, anywhere: the whole file), and BuildKit's `# check=...` as BuildKit reads it: the parser
// directive for the whole file (or the build argument
// BUILDKIT_DOCKERFILE_CHECK instead of it) with `skip=A,B` / `skip=all`,
// `error=true` (BuildKit's checks become errors) and `experimental=A,B` /
// `experimental=all` (switches on checks that are off by default), and the
// same `# check=` in the comments right above an instruction, which BuildKit
// merges for the checks it runs on that instruction (skip and experimental,
// not error). Every name is a rule id or alias, resolved through the rule
// table.
#pragma once

#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "dockerfix/fix.h"

namespace dockerfix::fix {

// A `check` directive's value as BuildKit's ParseLintOptions reads it (only
// up to the first space); nullopt when BuildKit refuses it.
struct CheckConfig {
  bool skip_all = false, experimental_all = false, error = false;
  std::vector<std::string> skip, experimental;  // names as written
};
std::optional<CheckConfig> parse_check(std::string_view value);

// Drops the findings of `rule` the Dockerfile switches off (and, for a rule
// off by default, those it does not switch on) and sets each one's severity.
void apply_pragmas(const Dockerfile& f, std::vector<Finding>& findings, std::span<const RuleInfo* const> rules,
                   const RuleInfo& rule, const std::map<std::string, std::string>& build_args, bool off_by_default);

// The same comments and the file's `# check=skip=` for findings of names
// outside the rule table (shellcheck's SCxxxx), matched as written.
void drop_ignored(const Dockerfile& f, std::vector<Finding>& findings, std::span<const RuleInfo* const> rules,
                  const std::map<std::string, std::string>& build_args);

}  // namespace dockerfix::fix
