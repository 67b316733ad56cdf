// dnf-clean (hadolint DL3040): dnf install without dnf clean all in the same RUN
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
std::string_view dnf_clean();  // README.md beside this file, compiled in
}
namespace rules {
const RuleInfo& dnf_clean();
}

namespace {

std::vector<Finding> check(const Context& ctx, std::string_view id) {
  return missing_clean(ctx, id, {{"dnf", "microdnf"}, {"install", "in", "upgrade", "up", "upgrade-minimal", "up-min", "reinstall", "rei"}, {"clean"}, {"/var/cache/dnf", "/var/cache/libdnf5", "/var/cache/yum"}, {"/var/cache/libdnf5", ".cache/libdnf5", "/var/cache/dnf"}, true});
}

constexpr std::array<std::string_view, 1> kAliases{"DL3040"};
constexpr RuleInfo kInfo{
    .id = "dnf-clean",
    .title = "dnf install without dnf clean all in the same RUN",
    .aliases = kAliases,
    .severity = Severity::Warning,
    .fix = FixAvailability::Sometimes,
    .applicability = Applicability::Safe,
    .commit_phrase = "clean the dnf cache in the layer that fills it",
    .why = "dnf keeps downloaded packages and metadata in its cache; cleaned in the same RUN, they never reach a layer.",
    .make = make_rule<rules::dnf_clean, check>,
    .page = pages::dnf_clean,
};

}  // namespace

DOCKERFIX_RULE_INFO(dnf_clean)

}  // namespace dockerfix::fix
