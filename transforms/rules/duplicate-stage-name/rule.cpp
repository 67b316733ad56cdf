// duplicate-stage-name (BuildKit's DuplicateStageName): two stages have the same name.
#include <array>
#include <fmt/format.h>
#include <set>
#include "transforms/buildkit_support.h"
#include "transforms/rule_support.h"
#include "transforms/rules/rule_registration.h"

namespace dockerfix::fix {

namespace pages {
std::string_view duplicate_stage_name();  // README.md beside this file, compiled in
}

namespace {

using namespace buildkit;

class DuplicateStageName : public Rule {
 public:
  const RuleInfo& info() const override;
  std::vector<Finding> check(const Context& ctx) const override {
    const auto& f = ctx.file;
    std::vector<Finding> out;
    std::set<std::string> seen;
    for (const auto& ins : f.instructions) {
      auto w = from_words(f, ins);
      if (!w || !w->has_name) continue;
      const std::string name = lower(w->name);  // BuildKit's stage name
      if (seen.insert(name).second) continue;
      Finding fd = make_finding(f, id(), fmt::format("Duplicate stage name {}, stage names should be unique", go_quote(name)),
                                on_first_line(f, ins, w->name_span));
      fd.no_fix_reason = "which stage the references mean is not known";
      out.push_back(std::move(fd));
    }
    return out;
  }
};

// hadolint DL3024 is the same check (it compares names as written; BuildKit,
// and so this rule, as the lower-case stage names Docker uses).
constexpr std::array<std::string_view, 2> kAliases{"DuplicateStageName", "DL3024"};
constexpr RuleInfo kInfo{
    .id = "duplicate-stage-name",
    .title = "two stages have the same name",
    .aliases = kAliases,
    .severity = Severity::Warning,
    .fix = FixAvailability::Never,
    .applicability = Applicability::Safe,
    .run_shells = RunShells::None,
    .security_severity = {},
    .commit_phrase = "rename duplicate stages",
    .why = "Two stages had the same name, so references to it could mean either.",
    .options = {},
    .make = []() -> std::unique_ptr<Rule> { return std::make_unique<DuplicateStageName>(); },
    .page = pages::duplicate_stage_name,
};

}  // namespace

DOCKERFIX_RULE_CLASS(DuplicateStageName, duplicate_stage_name)

}  // namespace dockerfix::fix
