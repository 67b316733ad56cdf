// zypper-pin-versions (hadolint DL3037): zypper install without package versions
#include <algorithm>
#include <array>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "model/words.h"
#include "transforms/rule_support.h"
#include "transforms/rules/rule_queries.h"
#include "transforms/rules/rule_registration.h"
#include "transforms/rules/package_checks.h"

namespace dockerfix::fix {

namespace pages {
std::string_view zypper_pin_versions();  // README.md beside this file, compiled in
}
namespace rules {
const RuleInfo& zypper_pin_versions();
}

namespace {

std::vector<Finding> check(const Context& ctx, std::string_view id) {
  std::vector<Finding> out;
  for (const auto& run : run_steps(ctx))
    for (const auto& c : run.step.commands) {
      if (!runs(c, {"zypper"}, {"install", "in"})) continue;
      std::vector<const model::ShellWord*> loose;
      for (const auto* w : operands_after(c, {"install", "in"}, {"-r", "--repo", "--from", "-t", "--type"}))
        if (w->literal && !w->value.ends_with(".rpm") && w->value.find_first_of("=<>") == std::string::npos) loose.push_back(w);
      if (loose.empty()) continue;
      out.push_back(make_finding(ctx.file, id, "zypper install without versions: pin " + join_values(loose) + " (package=version)",
                                 c.program_word()->span));
    }
  return out;
}

constexpr std::array<std::string_view, 1> kAliases{"DL3037"};
constexpr RuleInfo kInfo{
    .id = "zypper-pin-versions",
    .title = "zypper install without package versions",
    .aliases = kAliases,
    .severity = Severity::Warning,
    .fix = FixAvailability::Never,
    .applicability = Applicability::Safe,
    .commit_phrase = "pin zypper packages",
    .why = "Unpinned packages install the repository's current version on the day of the build.",
    .make = make_rule<rules::zypper_pin_versions, check>,
    .page = pages::zypper_pin_versions,
};

}  // namespace

DOCKERFIX_RULE_INFO(zypper_pin_versions)

}  // namespace dockerfix::fix
