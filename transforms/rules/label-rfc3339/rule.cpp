// label-rfc3339 (hadolint DL3053): an rfc3339 label of the label schema is not an RFC 3339 time
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
std::string_view label_rfc3339();  // README.md beside this file, compiled in
}
namespace rules {
const RuleInfo& label_rfc3339();
}

namespace {

std::vector<Finding> check(const Context& ctx, std::string_view id) { return bad_labels(ctx, id, "rfc3339", valid_rfc3339, "an RFC 3339 time"); }

constexpr std::array<std::string_view, 1> kAliases{"DL3053"};
constexpr RuleInfo kInfo{
    .id = "label-rfc3339",
    .title = "an rfc3339 label of the label schema is not an RFC 3339 time",
    .aliases = kAliases,
    .severity = Severity::Warning,
    .fix = FixAvailability::Never,
    .applicability = Applicability::Safe,
    .run_shells = RunShells::None,  // it reads no RUN commands
    .commit_phrase = "give labels valid values",
    .why = "The project's label schema says which format the label's value has.",
    .make = make_rule<rules::label_rfc3339, check>,
    .page = pages::label_rfc3339,
};

}  // namespace

DOCKERFIX_RULE_INFO(label_rfc3339)

}  // namespace dockerfix::fix
