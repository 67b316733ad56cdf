// yum-yes (hadolint DL3030): yum install without -y
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
std::string_view yum_yes();  // README.md beside this file, compiled in
}
namespace rules {
const RuleInfo& yum_yes();
}

namespace {

std::vector<Finding> check(const Context& ctx, std::string_view id) {
  return missing_yes(ctx, id, {{"yum"}, {"install", "groupinstall", "localinstall"}, {"-y", "--assumeyes"}, "-y"});
}

constexpr std::array<std::string_view, 1> kAliases{"DL3030"};
constexpr RuleInfo kInfo{
    .id = "yum-yes",
    .title = "yum install without -y",
    .aliases = kAliases,
    .severity = Severity::Warning,
    .fix = FixAvailability::Sometimes,
    .applicability = Applicability::Safe,
    .commit_phrase = "answer yum prompts",
    .why = "Without -y, yum asks for confirmation, which a build cannot give.",
    .make = make_rule<rules::yum_yes, check>,
    .page = pages::yum_yes,
};

}  // namespace

DOCKERFIX_RULE_INFO(yum_yes)

}  // namespace dockerfix::fix
