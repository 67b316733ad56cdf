// copy-from-known-stage (hadolint DL3022): COPY --from names no earlier stage
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
std::string_view copy_from_known_stage();  // README.md beside this file, compiled in
}
namespace rules {
const RuleInfo& copy_from_known_stage();
}

namespace {

std::vector<Finding> check(const Context& ctx, std::string_view id) {
  std::vector<Finding> out;
  for (const auto& stage : ctx.model.stages) {
    for (size_t si : stage.steps) {
      const auto& ins = ctx.file.instructions[ctx.model.steps[si].instruction];
      const Flag* from = ins.keyword == "COPY" ? flag(ins, "from") : nullptr;
      if (!from || !from->value) continue;
      const std::string v = lower(*from->value);
      if (v.empty() || contains(v, ":") || contains(v, "$") || contains(v, "@")) continue;
      bool known = false;
      for (size_t k = 0; k < stage.index; ++k) known = known || ctx.model.stages[k].name == v;
      if (std::all_of(v.begin(), v.end(), ::isdigit) && v.size() < 6 && std::stoul(v) < stage.index) known = true;
      if (known) continue;
      out.push_back(make_finding(ctx.file, id, "COPY --from=" + *from->value + " names no earlier stage", from->span));
    }
  }
  return out;
}

constexpr std::array<std::string_view, 1> kAliases{"DL3022"};
constexpr RuleInfo kInfo{
    .id = "copy-from-known-stage",
    .title = "COPY --from names no earlier stage",
    .aliases = kAliases,
    .severity = Severity::Warning,
    .fix = FixAvailability::Never,
    .applicability = Applicability::Safe,
    .run_shells = RunShells::None,  // it reads no RUN commands
    .commit_phrase = "copy from defined stages",
    .why = "COPY --from a name that is no stage pulls an image of that name instead.",
    .make = make_rule<rules::copy_from_known_stage, check>,
    .page = pages::copy_from_known_stage,
};

}  // namespace

DOCKERFIX_RULE_INFO(copy_from_known_stage)

}  // namespace dockerfix::fix
