// no-latest-tag (hadolint DL3007): FROM an image tagged latest
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
std::string_view no_latest_tag();  // README.md beside this file, compiled in
}
namespace rules {
const RuleInfo& no_latest_tag();
}

namespace {

std::vector<Finding> check(const Context& ctx, std::string_view id) {
  std::vector<Finding> out;
  for (const auto& s : ctx.model.stages) {
    const std::string& ref = s.base_text;
    if (s.parent_stage || contains(ref, "@") || !ref.ends_with(":latest")) continue;
    const auto& ins = ctx.file.instructions[s.from_instruction];
    out.push_back(make_finding(ctx.file, id, "FROM " + ref + ": latest changes under the build; pin a release tag",
                               ins.arguments_span));
  }
  return out;
}

constexpr std::array<std::string_view, 1> kAliases{"DL3007"};
constexpr RuleInfo kInfo{
    .id = "no-latest-tag",
    .title = "FROM an image tagged latest",
    .aliases = kAliases,
    .severity = Severity::Warning,
    .fix = FixAvailability::Never,
    .applicability = Applicability::Safe,
    .run_shells = RunShells::None,  // it reads no RUN commands
    .commit_phrase = "pin base images to a release",
    .why = "`latest` moves; a build from it can change without any change to the Dockerfile.",
    .make = make_rule<rules::no_latest_tag, check>,
    .page = pages::no_latest_tag,
};

}  // namespace

DOCKERFIX_RULE_INFO(no_latest_tag)

}  // namespace dockerfix::fix
