// Rules, findings and fixes. A fix is a set of byte-range replacements on
// the original buffer (like clang's tooling::Replacements); the engine
// applies them, re-parses, verifies the model changed only as intended, and
// repeats until nothing changes.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "dockerfix/model.h"
#include "dockerfix/rule_info.h"
#include "dockerfix/syntax.h"

namespace dockerfix::fix {

// Replace bytes [range.begin, range.end) of the original with `text`
// (an insertion when the range is empty).
struct Edit {
  Span range;
  std::string text;
};

// Non-overlapping edits, applied in one pass. Two insertions at the same
// offset keep the order they were added in, before a replacement starting
// there. Adding is O(log n), so a file with tens of thousands of fixes costs
// no more than its size.
class Edits {
 public:
  // False (and nothing added) when the edit overlaps one already held.
  bool add(const Edit& edit);
  // All of them or none.
  bool add_all(const std::vector<Edit>& edits);
  std::string apply(std::string_view original) const;
  bool empty() const { return edits_.empty(); }
  // In the order they were added.
  const std::vector<Edit>& edits() const { return edits_; }

 private:
  bool conflicts(Span range) const;
  std::vector<Edit> edits_;
  std::multiset<std::pair<uint32_t, uint32_t>> ranges_;  // (begin, end) of every edit
};

struct Options {
  std::string user = "agent";
  uint32_t uid = 1000;
  uint32_t gid = 1000;
  bool numeric_user = false;  // USER 1000:1000 instead of USER agent
  int retries = 3;            // curl --retry, wget --tries, apt-get Acquire::Retries, npm --fetch-retries
  int retry_delay = 5;        // curl --retry-delay (seconds)
  int pip_retries = 5;        // pip --retries
  std::string health_interval = "30s";
  std::string health_timeout = "5s";
  std::string health_start_period = "10s";
  int health_retries = 3;
  // hadolint's settings (`.hadolint.yaml`, or the same keys in `.dockerfix.yaml`).
  std::vector<std::string> trusted_registries;      // registries FROM may name; empty: any
  std::map<std::string, std::string> label_schema;  // label -> text, url, semver, hash, rfc3339, spdx or email
  bool strict_labels = false;                       // labels outside label_schema are findings
  model::Options model;
};

// How the file writes things, so inserted text looks like its neighbours.
struct Style {
  bool lowercase_keywords = false;
  std::string newline = "\n";
  char escape = '\\';
  std::string keyword(std::string_view upper) const;
};
Style style_of(const Dockerfile& file);

// How an edit changes an instruction's kind, so the engine can match the
// instructions before and after it: a keyword change (MAINTAINER -> LABEL,
// ADD -> COPY), or an instruction merged into the one before it (two RUNs
// joined). Instructions are indices in the file the finding was made on.
struct InstructionChange {
  size_t instruction = 0;
  std::string keyword;                // upper-case keyword after the edit; empty: unchanged
  bool merged_into_previous = false;  // the instruction becomes part of instruction - 1
  bool removed = false;               // the instruction is deleted
};

struct Finding {
  std::string rule;
  std::string message;
  Span span;  // what the finding points at
  int line = 0;
  int column = 0;
  std::vector<Edit> fix;  // empty: reported without a fix
  Applicability applicability = Applicability::Safe;  // of `fix`; the rule's default unless it says otherwise
  std::vector<InstructionChange> changes;             // what `fix` does to instructions' kinds
  std::string no_fix_reason;
  // Set by the engine: the rule's severity, or error for BuildKit's checks
  // under `# check=error=true`; after it, a config's `override` or
  // --error/--warning/..., and shellcheck's own levels for SCxxxx.
  Severity severity = Severity::Warning;
  // BuildKit's checks: the instruction whose `# check=` comments (the ones
  // right above it) apply to this finding; unset: only the file's directive.
  std::optional<size_t> check_comments_of;
  // Set by review(): the finding shows up only once other fixes are made
  // (its position is mapped back to the file as read; `fix` is then empty
  // here, as its edits apply to the intermediate text).
  bool after_other_fixes = false;
  bool will_fix = false;  // review(): apply, with the same flags, makes this fix
};

struct Context {
  const Dockerfile& file;
  const model::BuildModel& model;
  const Options& options;
  Style style;
};

class Rule {
 public:
  virtual ~Rule() = default;
  virtual const RuleInfo& info() const = 0;
  std::string_view id() const { return info().id; }
  std::string_view summary() const { return info().title; }
  virtual std::vector<Finding> check(const Context& ctx) const = 0;

  // After this rule's edits: may the effective user of instruction `old`
  // (matched to `now` in the edited file) differ? Default: never.
  struct Change {
    const model::BuildModel& before;
    const model::BuildModel& after;
  };
  virtual bool user_may_change(const Change& change, size_t old_instruction, size_t new_instruction) const;
  // Rule-specific check of the edited model; empty when fine.
  virtual std::string verify(const Change& change) const;
};

// Every rule, in the order fixes are applied (rule_table()'s order).
const std::vector<std::unique_ptr<Rule>>& registry();

// Which rules run, by id or alias (dockerfix/rule_info.h); the command line
// refuses names that are neither before it gets here.
struct Selection {
  std::vector<std::string> only;  // --rule
  std::vector<std::string> skip;  // --skip
  // Rules off by default that the configuration does not switch on: they
  // report only where the Dockerfile switches them on (`# check=experimental=`).
  std::vector<std::string> off_by_default;
  bool selected(std::string_view id) const;
};

// Which fixes are made: safe ones, or unsafe ones too (--unsafe-fixes).
struct FixScope {
  bool unsafe = false;
  bool allows(Applicability a) const { return unsafe || a == Applicability::Safe; }
};

std::vector<Finding> check(const Dockerfile& file, const model::KnowledgeBase& kb, const Options& options,
                           const Selection& selection);

struct FixResult {
  std::string text;                    // the fixed file (== input when nothing changed)
  std::vector<Finding> applied;        // findings whose fix was applied (positions in the text they were found in)
  std::vector<Finding> unfixed;        // findings left (no fix, fix refused, or not in scope)
  std::vector<std::string> rejected;   // fixes dropped by verification, with why
};

// Fixes are applied in rounds until a round changes nothing. A rule whose
// fixes still change the file after kMaxRounds rounds does not converge: its
// fixes are dropped (the file is fixed again without it) and it is listed in
// `rejected`, so what is written is always a fixed point.
constexpr int kMaxRounds = 4;

FixResult fix(const std::string& source, const std::string& path, const model::KnowledgeBase& kb,
              const Options& options, const Selection& selection, FixScope scope = {});
// The same for a file already parsed (callers that first check it for errors).
FixResult fix(Dockerfile parsed, const model::KnowledgeBase& kb, const Options& options, const Selection& selection,
              FixScope scope = {});
// The same with other rules than the registry's (tests of the engine itself).
FixResult fix(Dockerfile parsed, const model::KnowledgeBase& kb, const Options& options, const Selection& selection,
              const std::vector<std::unique_ptr<Rule>>& rules, FixScope scope = {});

// What `check` reports: every finding of the file as read, and every fix
// `fix` (with the same scope) would make, including those that appear only
// after another rule's fix (after_other_fixes). Each finding says whether
// apply makes its fix (will_fix); `more_with_unsafe` counts the fixes
// `--unsafe-fixes` would add (a second fixed-point run, so only when
// `count_more_unsafe`: nothing but check's text summary shows the count).
struct Review {
  std::vector<Finding> findings;  // in file order
  FixResult fixed;                // what fix() gives with `scope`; its `unfixed` only of rules that can fix
  size_t fixable = 0;             // findings with will_fix
  size_t more_with_unsafe = 0;
  // The model of the file as read, the one the rules saw: a caller that
  // needs it too (check's shellcheck pass) need not analyse the file again.
  std::shared_ptr<const model::BuildModel> model;
};
Review review(const Dockerfile& parsed, const model::KnowledgeBase& kb, const Options& options,
              const Selection& selection, FixScope scope = {}, bool count_more_unsafe = true);
Review review(const Dockerfile& parsed, const model::KnowledgeBase& kb, const Options& options,
              const Selection& selection, const std::vector<std::unique_ptr<Rule>>& rules, FixScope scope = {},
              bool count_more_unsafe = true);

}  // namespace dockerfix::fix
