// user-non-numeric (hadolint DL3066): USER by name rather than by uid
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

namespace dockerfix::fix {

namespace pages {
std::string_view user_non_numeric();  // README.md beside this file, compiled in
}
namespace rules {
const RuleInfo& user_non_numeric();
}

namespace {

std::vector<Finding> check(const Context& ctx, std::string_view id) {
  std::vector<Finding> out;
  for (const auto& ins : ctx.file.instructions) {
    if (ins.keyword != "USER") continue;
    std::string user = ins.arguments.substr(0, ins.arguments.find(':'));
    if (user.empty() || contains(user, "$") || std::all_of(user.begin(), user.end(), ::isdigit)) continue;
    out.push_back(make_finding(ctx.file, id, "USER " + user + " is a name: a uid is what hosts and Kubernetes see", ins.arguments_span));
  }
  return out;
}

constexpr std::array<std::string_view, 1> kAliases{"DL3066"};
constexpr RuleInfo kInfo{
    .id = "user-non-numeric",
    .title = "USER by name rather than by uid",
    .aliases = kAliases,
    .severity = Severity::Info,
    .fix = FixAvailability::Never,
    .applicability = Applicability::Safe,
    .run_shells = RunShells::None,  // it reads no RUN commands
    .commit_phrase = "name the runtime user by uid",
    .why = "A user name is resolved inside the image; hosts and Kubernetes see only numeric ids.",
    .make = make_rule<rules::user_non_numeric, check>,
    .page = pages::user_non_numeric,
};

}  // namespace

DOCKERFIX_RULE_INFO(user_non_numeric)

}  // namespace dockerfix::fix
