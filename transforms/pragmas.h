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
#include <string_view>
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

// BuildKit's test for a comment that sets something (its directive regexp
// `^([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$`, \s as std::regex's): the name
// and the value, views of `comment`.
struct CommentSetting {
  std::string_view name, value;
};
std::optional<CommentSetting> comment_setting(std::string_view comment);

// What one text says about findings, read once however many rules report
// on it: the file's check configuration, the global ignores, the ignore
// above each instruction, and the `# check=` comments above an instruction
// (read when first asked for). `f` and `rules` must outlive it.
class PragmaIndex {
 public:
  PragmaIndex(const Dockerfile& f, std::span<const RuleInfo* const> rules,
              const std::map<std::string, std::string>& build_args);

  // Drops the findings of `rule` the Dockerfile switches off (and, for a
  // rule off by default, those it does not switch on) and sets each one's
  // severity.
  void apply(std::vector<Finding>& findings, const RuleInfo& rule, bool off_by_default);

  // The same comments and the file's `# check=skip=` for findings of names
  // outside the rule table (shellcheck's SCxxxx), matched as written.
  void drop_ignored(std::vector<Finding>& findings) const;

 private:
  // A check configuration with its names resolved through the rule table.
  struct Resolved {
    CheckConfig config;
    std::vector<const RuleInfo*> skip, experimental;
  };
  Resolved resolve(CheckConfig c) const;
  const std::optional<Resolved>& comment_config(size_t instruction);
  bool ignored_by_comment(const Finding& fd) const;

  const Dockerfile& f_;
  std::span<const RuleInfo* const> rules_;
  Resolved file_;
  std::vector<std::string_view> global_;              // ids the whole file ignores
  std::vector<std::vector<std::string_view>> above_;  // by instruction: ids the comment above it ignores
  // By instruction, filled when first asked for: the `# check=` comment above it.
  std::map<size_t, std::optional<Resolved>> comment_;
};

// PragmaIndex(f, rules, build_args).drop_ignored(findings).
void drop_ignored(const Dockerfile& f, std::vector<Finding>& findings, std::span<const RuleInfo* const> rules,
                  const std::map<std::string, std::string>& build_args);

}  // namespace dockerfix::fix
