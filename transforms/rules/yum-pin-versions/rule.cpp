// yum-pin-versions (hadolint DL3033): yum install without package versions
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
std::string_view yum_pin_versions();  // README.md beside this file, compiled in
}
namespace rules {
const RuleInfo& yum_pin_versions();
}

namespace {

std::vector<Finding> check(const Context& ctx, std::string_view id) { return unpinned_rpms(ctx, id, {"yum"}); }

constexpr std::array<std::string_view, 1> kAliases{"DL3033"};
constexpr RuleInfo kInfo{
    .id = "yum-pin-versions",
    .title = "yum install without package versions",
    .aliases = kAliases,
    .severity = Severity::Warning,
    .fix = FixAvailability::Never,
    .applicability = Applicability::Safe,
    .commit_phrase = "pin yum packages",
    .why = "Unpinned packages install the repository's current version on the day of the build.",
    .make = make_rule<rules::yum_pin_versions, check>,
    .page = pages::yum_pin_versions,
};

}  // namespace

DOCKERFIX_RULE_INFO(yum_pin_versions)

}  // namespace dockerfix::fix
