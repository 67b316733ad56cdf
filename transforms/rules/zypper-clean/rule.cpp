// zypper-clean (hadolint DL3036): zypper install without zypper clean in the same RUN
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
std::string_view zypper_clean();  // README.md beside this file, compiled in
}
namespace rules {
const RuleInfo& zypper_clean();
}

namespace {

std::vector<Finding> check(const Context& ctx, std::string_view id) {
  return missing_clean(ctx, id, {{"zypper"}, {"install", "in"}, {"clean", "cc"}, {"/var/cache/zypp"}, {"/var/cache/zypp"}, false});
}

constexpr std::array<std::string_view, 1> kAliases{"DL3036"};
constexpr RuleInfo kInfo{
    .id = "zypper-clean",
    .title = "zypper install without zypper clean in the same RUN",
    .aliases = kAliases,
    .severity = Severity::Warning,
    .fix = FixAvailability::Sometimes,
    .applicability = Applicability::Safe,
    .commit_phrase = "clean the zypper cache in the layer that fills it",
    .why = "zypper keeps downloaded packages and metadata in its cache; cleaned in the same RUN, they never reach a layer.",
    .make = make_rule<rules::zypper_clean, check>,
    .page = pages::zypper_clean,
};

}  // namespace

DOCKERFIX_RULE_INFO(zypper_clean)

}  // namespace dockerfix::fix
