// yum-clean (hadolint DL3032): yum install without yum clean all in the same RUN
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
std::string_view yum_clean();  // README.md beside this file, compiled in
}
namespace rules {
const RuleInfo& yum_clean();
}

namespace {

std::vector<Finding> check(const Context& ctx, std::string_view id) {
  return missing_clean(ctx, id, {{"yum"}, {"install"}, {"clean"}, {"/var/cache/yum"}, {"/var/cache/yum"}, true});
}

constexpr std::array<std::string_view, 1> kAliases{"DL3032"};
constexpr RuleInfo kInfo{
    .id = "yum-clean",
    .title = "yum install without yum clean all in the same RUN",
    .aliases = kAliases,
    .severity = Severity::Warning,
    .fix = FixAvailability::Sometimes,
    .applicability = Applicability::Safe,
    .commit_phrase = "clean the yum cache in the layer that fills it",
    .why = "yum keeps downloaded packages and metadata in its cache; cleaned in the same RUN, they never reach a layer.",
    .make = make_rule<rules::yum_clean, check>,
    .page = pages::yum_clean,
};

}  // namespace

DOCKERFIX_RULE_INFO(yum_clean)

}  // namespace dockerfix::fix
