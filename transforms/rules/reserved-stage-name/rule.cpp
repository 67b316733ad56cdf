// reserved-stage-name (BuildKit's ReservedStageName): a stage is named scratch or context.
#include <array>
#include <fmt/format.h>

#include "transforms/buildkit_support.h"
#include "transforms/rule_support.h"
#include "transforms/rules/rule_registration.h"

namespace dockerfix::fix {

namespace pages {
std::string_view reserved_stage_name();  // README.md beside this file, compiled in
}

namespace {

using namespace buildkit;

class ReservedStageName : public Rule {
 public:
  const RuleInfo& info() const override;
  std::vector<Finding> check(const Context& ctx) const override {
    const auto& f = ctx.file;
    std::vector<Finding> out;
    for (const auto& ins : f.instructions) {
      auto w = from_words(f, ins);
      if (!w || !w->has_name) continue;
      const std::string name = lower(w->name);
      if (name != "scratch" && name != "context") continue;
      Finding fd = make_finding(f, id(),
                                fmt::format("Stage name should not use the same name as reserved stage {}", go_quote(name)),
                                on_first_line(f, ins, w->name_span));
      fd.no_fix_reason = "a new name is the author's choice";
      out.push_back(std::move(fd));
    }
    return out;
  }
};

// hadolint DL3063 is the same check (scratch and context).
constexpr std::array<std::string_view, 2> kAliases{"ReservedStageName", "DL3063"};
constexpr RuleInfo kInfo{
    .id = "reserved-stage-name",
    .title = "a stage is named scratch or context",
    .aliases = kAliases,
    .severity = Severity::Warning,
    .fix = FixAvailability::Never,
    .applicability = Applicability::Safe,
    .run_shells = RunShells::None,
    .security_severity = {},
    .commit_phrase = "rename stages named after reserved words",
    .why = "A stage used a reserved name (scratch or context), so references to it do not mean the stage.",
    .options = {},
    .make = []() -> std::unique_ptr<Rule> { return std::make_unique<ReservedStageName>(); },
    .page = pages::reserved_stage_name,
};

}  // namespace

DOCKERFIX_RULE_CLASS(ReservedStageName, reserved_stage_name)

}  // namespace dockerfix::fix
