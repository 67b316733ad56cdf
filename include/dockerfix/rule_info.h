// The one table of rule metadata. Everything else that lists rules — the
// registry and its order, `--rule`/`--skip`, the pragmas (`# dockerfix
// ignore=`, `# hadolint ignore=`, `# check=skip=`), `.dockerfix.yaml`'s
// `rules.<id>.<option>` keys, SARIF rule metadata, the JSON schema's rule
// enum, commit phrases, pull-request texts, `dockerfix rules`, docs/rules/
// and the README table — is derived from it or checked against it by a test.
//
// A rule is one folder, transforms/rules/<id>/: rule.cpp (its code and its
// RuleInfo), README.md (its page) and cases/ (its fixtures); it is
// registered by one line in transforms/rules/registry.cpp.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace dockerfix::fix {

class Rule;
struct Options;

enum class Severity { Error, Warning, Info, Style };
enum class FixAvailability { Never, Sometimes, Always };
// Per fix: `apply` makes safe fixes; unsafe ones (they may change what the
// image does at run time) only with `--unsafe-fixes`.
enum class Applicability { Safe, Unsafe };
// Where a rule's findings are: in a Dockerfile (the per-file engine runs it),
// or in other files of the repository (Kubernetes manifests, Helm values:
// the CLI runs it over the repository after the Dockerfiles; `make` is null).
enum class Scope { Dockerfile, Repository };

std::string_view to_string(Severity s);
// "error", "warning", "info" or "style" (any case); nullopt for anything else.
std::optional<Severity> parse_severity(std::string_view s);
std::string_view to_string(FixAvailability a);
std::string_view to_string(Applicability a);

// Which RUN lines a rule reads. The model lexes only RUNs whose shell is
// POSIX sh: after `SHELL ["powershell", ...]` (or cmd, pwsh), or on a Windows
// base image, a RUN has no commands, so a rule reading commands skips it.
enum class RunShells { Posix, None };
std::string_view to_string(RunShells s);

// What an option's value may be; each type is checked by dockerfix/values.h.
enum class OptionType { Count, Id, Duration, UserName, Bool };
std::string_view to_string(OptionType t);

// One typed option of a rule: `rules.<rule>.<name>` in `.dockerfix.yaml`,
// `--<setting>` on the command line. Rules that share a setting (user, uid,
// gid) share its value.
struct RuleOption {
  std::string_view name;     // key under rules.<rule>
  std::string_view setting;  // the fix::Options value it sets; also its flag
  OptionType type = OptionType::Count;
  int64_t min = 0, max = 0;          // Count only
  std::string_view expected;         // "a number of seconds", for messages
  std::string_view default_value;    // as written in docs
  std::string_view doc;              // one line
};

struct RuleInfo {
  std::string_view id;     // kebab-case, stable
  std::string_view title;  // one line: what is wrong
  // Other tools' names for the same check: hadolint DLxxxx, BuildKit's
  // check name, Trivy DSxxx, Checkov CKV_DOCKER_x. Each works wherever the
  // id does (case-insensitive).
  std::span<const std::string_view> aliases;
  Severity severity = Severity::Warning;
  bool enabled_by_default = true;
  // Never is binding: the engine drops a fix such a rule offers, and the fix
  // loop does not run it on the texts fixes make.
  FixAvailability fix = FixAvailability::Sometimes;
  // Of its fixes: Unsafe makes every one unsafe (so a safe-only fix loop
  // skips the rule); Safe, unless a finding says otherwise.
  Applicability applicability = Applicability::Safe;
  RunShells run_shells = RunShells::Posix;  // None: it does not read RUN commands
  bool security = false;
  std::string_view security_severity;  // SARIF `security-severity` ("7.5"); security rules only
  std::string_view commit_phrase;      // completes "fix(docker): ..."; {user} and {uid} are filled in
  std::string_view why;                // one paragraph for pull-request bodies
  std::span<const RuleOption> options;
  std::unique_ptr<Rule> (*make)() = nullptr;
  std::string_view (*page)() = nullptr;  // the folder's README.md (compiled in)
  Scope scope = Scope::Dockerfile;
};

// Every rule, in the order fixes are applied.
std::span<const RuleInfo* const> rule_table();
const RuleInfo* find_rule(std::string_view id);

// The rule an id or alias names (ids exactly, aliases case-insensitively;
// ids case-insensitively too), or nullptr.
const RuleInfo* resolve_rule(std::string_view name, std::span<const RuleInfo* const> rules = rule_table());

// The rule's BuildKit check name (its alias spelled like `FromAsCasing`), if any.
std::optional<std::string_view> buildkit_name(const RuleInfo& rule);

// Every id and alias, for "did you mean" and completions.
std::vector<std::string> rule_names();

// The option `name` of `rule`, or nullptr.
const RuleOption* find_option(const RuleInfo& rule, std::string_view name);
// Why `value` (as text) is not a valid value of `option`; empty when it is.
std::string option_problem(const RuleOption& option, std::string_view value);
// Sets the option's setting in `o` from text already checked by option_problem.
void set_option(Options& o, const RuleOption& option, std::string_view value);
// The setting's value in `o`, as text (for docs and comparisons).
std::string option_value(const Options& o, std::string_view setting);

}  // namespace dockerfix::fix
