// zypper-no-dist-upgrade (hadolint DL3035): zypper dist-upgrade in a build
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

namespace dockerfix::fix {

namespace pages {
std::string_view zypper_no_dist_upgrade();  // README.md beside this file, compiled in
}
namespace rules {
const RuleInfo& zypper_no_dist_upgrade();
}

namespace {

std::vector<Finding> check(const Context& ctx, std::string_view id) {
  std::vector<Finding> out;
  for (const auto& run : run_steps(ctx))
    for (const auto& c : run.step.commands) {
      if (!runs(c, {"zypper"}, {"dist-upgrade", "dup"})) continue;
      out.push_back(make_finding(ctx.file, id, "zypper dist-upgrade in a build: use a newer base image instead", c.program_word()->span));
    }
  return out;
}

constexpr std::array<std::string_view, 1> kAliases{"DL3035"};
constexpr RuleInfo kInfo{
    .id = "zypper-no-dist-upgrade",
    .title = "zypper dist-upgrade in a build",
    .aliases = kAliases,
    .severity = Severity::Warning,
    .fix = FixAvailability::Never,
    .applicability = Applicability::Safe,
    .commit_phrase = "do not dist-upgrade in builds",
    .why = "A distribution upgrade inside an image build replaces the base image's release with whatever is current.",
    .make = make_rule<rules::zypper_no_dist_upgrade, check>,
    .page = pages::zypper_no_dist_upgrade,
};

}  // namespace

DOCKERFIX_RULE_INFO(zypper_no_dist_upgrade)

}  // namespace dockerfix::fix
