// label-semver (hadolint DL3056): a semver label of the label schema is not a semantic version
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
#include "transforms/rules/label_checks.h"

namespace dockerfix::fix {

namespace pages {
std::string_view label_semver();  // README.md beside this file, compiled in
}
namespace rules {
const RuleInfo& label_semver();
}

namespace {

std::vector<Finding> check(const Context& ctx, std::string_view id) { return bad_labels(ctx, id, "semver", valid_semver, "a semantic version"); }

constexpr std::array<std::string_view, 1> kAliases{"DL3056"};
constexpr RuleInfo kInfo{
    .id = "label-semver",
    .title = "a semver label of the label schema is not a semantic version",
    .aliases = kAliases,
    .severity = Severity::Warning,
    .fix = FixAvailability::Never,
    .applicability = Applicability::Safe,
    .run_shells = RunShells::None,  // it reads no RUN commands
    .commit_phrase = "give labels valid values",
    .why = "The project's label schema says which format the label's value has.",
    .make = make_rule<rules::label_semver, check>,
    .page = pages::label_semver,
};

}  // namespace

DOCKERFIX_RULE_INFO(label_semver)

}  // namespace dockerfix::fix
