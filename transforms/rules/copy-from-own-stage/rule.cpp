// copy-from-own-stage (hadolint DL3023): COPY --from names the stage it is in
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
std::string_view copy_from_own_stage();  // README.md beside this file, compiled in
}
namespace rules {
const RuleInfo& copy_from_own_stage();
}

namespace {

std::vector<Finding> check(const Context& ctx, std::string_view id) {
  std::vector<Finding> out;
  for (const auto& stage : ctx.model.stages) {
    if (stage.name.empty()) continue;
    for (size_t si : stage.steps) {
      const auto& ins = ctx.file.instructions[ctx.model.steps[si].instruction];
      const Flag* from = ins.keyword == "COPY" ? flag(ins, "from") : nullptr;
      if (!from || !from->value || lower(*from->value) != stage.name) continue;
      out.push_back(make_finding(ctx.file, id, "COPY --from=" + *from->value + " inside stage " + stage.name + " copies from itself",
                                 from->span));
    }
  }
  return out;
}

constexpr std::array<std::string_view, 1> kAliases{"DL3023"};
constexpr RuleInfo kInfo{
    .id = "copy-from-own-stage",
    .title = "COPY --from names the stage it is in",
    .aliases = kAliases,
    .severity = Severity::Error,
    .fix = FixAvailability::Never,
    .applicability = Applicability::Safe,
    .run_shells = RunShells::None,  // it reads no RUN commands
    .commit_phrase = "copy from other stages",
    .why = "A stage cannot copy from itself.",
    .make = make_rule<rules::copy_from_own_stage, check>,
    .page = pages::copy_from_own_stage,
};

}  // namespace

DOCKERFIX_RULE_INFO(copy_from_own_stage)

}  // namespace dockerfix::fix
