// label-url (hadolint DL3052): a url label of the label schema is not a URL
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
std::string_view label_url();  // README.md beside this file, compiled in
}
namespace rules {
const RuleInfo& label_url();
}

namespace {

std::vector<Finding> check(const Context& ctx, std::string_view id) { return bad_labels(ctx, id, "url", valid_url, "a valid URL"); }

constexpr std::array<std::string_view, 1> kAliases{"DL3052"};
constexpr RuleInfo kInfo{
    .id = "label-url",
    .title = "a url label of the label schema is not a URL",
    .aliases = kAliases,
    .severity = Severity::Warning,
    .fix = FixAvailability::Never,
    .applicability = Applicability::Safe,
    .run_shells = RunShells::None,  // it reads no RUN commands
    .commit_phrase = "give labels valid values",
    .why = "The project's label schema says which format the label's value has.",
    .make = make_rule<rules::label_url, check>,
    .page = pages::label_url,
};

}  // namespace

DOCKERFIX_RULE_INFO(label_url)

}  // namespace dockerfix::fix
