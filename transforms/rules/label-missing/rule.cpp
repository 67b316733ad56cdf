// label-missing (hadolint DL3049): a label the label schema requires is missing
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
std::string_view label_missing();  // README.md beside this file, compiled in
}
namespace rules {
const RuleInfo& label_missing();
}

namespace {

std::vector<Finding> check(const Context& ctx, std::string_view id) {
  std::vector<Finding> out;
  const auto& schema = ctx.options.label_schema;
  if (schema.empty()) return out;
  const auto& all = labels(ctx);
  std::vector<bool> copied_from(ctx.model.stages.size(), false);
  for (const auto& s : ctx.model.stages)
    for (size_t k : s.copies_from_stages) copied_from[k] = true;
  for (const auto& stage : ctx.model.stages) {
    if (copied_from[stage.index]) continue;
    for (const auto& [name, type] : schema) {
      bool set = false;
      for (size_t s : stage_chain(ctx.model, stage.index))
        for (const auto& l : all)
          if (l.key == name && ctx.model.step_for(l.instruction) && ctx.model.step_for(l.instruction)->stage == s) set = true;
      if (set) continue;
      const auto& from = ctx.file.instructions[stage.from_instruction];
      out.push_back(make_finding(ctx.file, id, "label " + name + " is missing", from.keyword_span));
    }
  }
  return out;
}

constexpr std::array<std::string_view, 1> kAliases{"DL3049"};
constexpr RuleInfo kInfo{
    .id = "label-missing",
    .title = "a label the label schema requires is missing",
    .aliases = kAliases,
    .severity = Severity::Info,
    .fix = FixAvailability::Never,
    .applicability = Applicability::Safe,
    .run_shells = RunShells::None,  // it reads no RUN commands
    .commit_phrase = "add the required labels",
    .why = "The project's label schema requires these labels on every image.",
    .make = make_rule<rules::label_missing, check>,
    .page = pages::label_missing,
};

}  // namespace

DOCKERFIX_RULE_INFO(label_missing)

}  // namespace dockerfix::fix
