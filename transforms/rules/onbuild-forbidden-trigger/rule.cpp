// onbuild-forbidden-trigger (hadolint DL3043): ONBUILD triggering ONBUILD, FROM or MAINTAINER
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
std::string_view onbuild_forbidden_trigger();  // README.md beside this file, compiled in
}
namespace rules {
const RuleInfo& onbuild_forbidden_trigger();
}

namespace {

std::vector<Finding> check(const Context& ctx, std::string_view id) {
  std::vector<Finding> out;
  for (const auto& ins : ctx.file.instructions) {
    if (ins.keyword != "ONBUILD" || !ins.onbuild) continue;
    const std::string& k = ins.onbuild->keyword;
    if (k != "ONBUILD" && k != "FROM" && k != "MAINTAINER") continue;
    out.push_back(make_finding(ctx.file, id, "ONBUILD cannot trigger " + k, ins.onbuild->keyword_span));
  }
  return out;
}

constexpr std::array<std::string_view, 1> kAliases{"DL3043"};
constexpr RuleInfo kInfo{
    .id = "onbuild-forbidden-trigger",
    .title = "ONBUILD triggering ONBUILD, FROM or MAINTAINER",
    .aliases = kAliases,
    .severity = Severity::Error,
    .fix = FixAvailability::Never,
    .applicability = Applicability::Safe,
    .run_shells = RunShells::None,  // it reads no RUN commands
    .commit_phrase = "keep ONBUILD triggers valid",
    .why = "ONBUILD cannot trigger ONBUILD, FROM or MAINTAINER; a build of a child image fails.",
    .make = make_rule<rules::onbuild_forbidden_trigger, check>,
    .page = pages::onbuild_forbidden_trigger,
};

}  // namespace

DOCKERFIX_RULE_INFO(onbuild_forbidden_trigger)

}  // namespace dockerfix::fix
