// dnf-pin-versions (hadolint DL3041): dnf install without package versions
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
std::string_view dnf_pin_versions();  // README.md beside this file, compiled in
}
namespace rules {
const RuleInfo& dnf_pin_versions();
}

namespace {

std::vector<Finding> check(const Context& ctx, std::string_view id) { return unpinned_rpms(ctx, id, {"dnf", "microdnf"}); }

constexpr std::array<std::string_view, 1> kAliases{"DL3041"};
constexpr RuleInfo kInfo{
    .id = "dnf-pin-versions",
    .title = "dnf install without package versions",
    .aliases = kAliases,
    .severity = Severity::Warning,
    .fix = FixAvailability::Never,
    .applicability = Applicability::Safe,
    .commit_phrase = "pin dnf packages",
    .why = "Unpinned packages install the repository's current version on the day of the build.",
    .make = make_rule<rules::dnf_pin_versions, check>,
    .page = pages::dnf_pin_versions,
};

}  // namespace

DOCKERFIX_RULE_INFO(dnf_pin_versions)

}  // namespace dockerfix::fix
