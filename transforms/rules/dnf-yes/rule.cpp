// dnf-yes (hadolint DL3038): dnf install without -y
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
std::string_view dnf_yes();  // README.md beside this file, compiled in
}
namespace rules {
const RuleInfo& dnf_yes();
}

namespace {

std::vector<Finding> check(const Context& ctx, std::string_view id) {
  return missing_yes(ctx, id, {{"dnf", "microdnf"}, {"install", "groupinstall", "localinstall"}, {"-y", "--assumeyes"}, "-y"});
}

constexpr std::array<std::string_view, 1> kAliases{"DL3038"};
constexpr RuleInfo kInfo{
    .id = "dnf-yes",
    .title = "dnf install without -y",
    .aliases = kAliases,
    .severity = Severity::Warning,
    .fix = FixAvailability::Sometimes,
    .applicability = Applicability::Safe,
    .commit_phrase = "answer dnf prompts",
    .why = "Without -y, dnf asks for confirmation, which a build cannot give.",
    .make = make_rule<rules::dnf_yes, check>,
    .page = pages::dnf_yes,
};

}  // namespace

DOCKERFIX_RULE_INFO(dnf_yes)

}  // namespace dockerfix::fix
