// zypper-non-interactive (hadolint DL3034): zypper install without -n
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
std::string_view zypper_non_interactive();  // README.md beside this file, compiled in
}
namespace rules {
const RuleInfo& zypper_non_interactive();
}

namespace {

std::vector<Finding> check(const Context& ctx, std::string_view id) {
  return missing_yes(ctx, id, {{"zypper"}, {"install", "in", "remove", "rm", "source-install", "si", "patch"}, {"--non-interactive", "-n", "--no-confirm", "-y"}, "-n"});
}

constexpr std::array<std::string_view, 1> kAliases{"DL3034"};
constexpr RuleInfo kInfo{
    .id = "zypper-non-interactive",
    .title = "zypper install without -n",
    .aliases = kAliases,
    .severity = Severity::Warning,
    .fix = FixAvailability::Sometimes,
    .applicability = Applicability::Safe,
    .commit_phrase = "answer zypper prompts",
    .why = "Without -n, zypper asks for confirmation, which a build cannot give.",
    .make = make_rule<rules::zypper_non_interactive, check>,
    .page = pages::zypper_non_interactive,
};

}  // namespace

DOCKERFIX_RULE_INFO(zypper_non_interactive)

}  // namespace dockerfix::fix
