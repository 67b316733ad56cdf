// label-git-hash (hadolint DL3055): a hash label of the label schema is not a git commit hash
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
std::string_view label_git_hash();  // README.md beside this file, compiled in
}
namespace rules {
const RuleInfo& label_git_hash();
}

namespace {

std::vector<Finding> check(const Context& ctx, std::string_view id) { return bad_labels(ctx, id, "hash", valid_git_hash, "a git hash (7 or 40 hex digits)"); }

constexpr std::array<std::string_view, 1> kAliases{"DL3055"};
constexpr RuleInfo kInfo{
    .id = "label-git-hash",
    .title = "a hash label of the label schema is not a git commit hash",
    .aliases = kAliases,
    .severity = Severity::Warning,
    .fix = FixAvailability::Never,
    .applicability = Applicability::Safe,
    .run_shells = RunShells::None,  // it reads no RUN commands
    .commit_phrase = "give labels valid values",
    .why = "The project's label schema says which format the label's value has.",
    .make = make_rule<rules::label_git_hash, check>,
    .page = pages::label_git_hash,
};

}  // namespace

DOCKERFIX_RULE_INFO(label_git_hash)

}  // namespace dockerfix::fix
