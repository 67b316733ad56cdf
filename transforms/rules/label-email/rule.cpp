// label-email (hadolint DL3058): an email label of the label schema is not an email address
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
std::string_view label_email();  // README.md beside this file, compiled in
}
namespace rules {
const RuleInfo& label_email();
}

namespace {

std::vector<Finding> check(const Context& ctx, std::string_view id) { return bad_labels(ctx, id, "email", valid_email, "an email address"); }

constexpr std::array<std::string_view, 1> kAliases{"DL3058"};
constexpr RuleInfo kInfo{
    .id = "label-email",
    .title = "an email label of the label schema is not an email address",
    .aliases = kAliases,
    .severity = Severity::Warning,
    .fix = FixAvailability::Never,
    .applicability = Applicability::Safe,
    .run_shells = RunShells::None,  // it reads no RUN commands
    .commit_phrase = "give labels valid values",
    .why = "The project's label schema says which format the label's value has.",
    .make = make_rule<rules::label_email, check>,
    .page = pages::label_email,
};

}  // namespace

DOCKERFIX_RULE_INFO(label_email)

}  // namespace dockerfix::fix
