// label-superfluous (hadolint DL3050): a label the strict label schema does not name
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
std::string_view label_superfluous();  // README.md beside this file, compiled in
}
namespace rules {
const RuleInfo& label_superfluous();
}

namespace {

std::vector<Finding> check(const Context& ctx, std::string_view id) {
  std::vector<Finding> out;
  if (!ctx.options.strict_labels) return out;
  size_t last = SIZE_MAX;
  for (const auto& l : labels(ctx)) {
    if (ctx.options.label_schema.count(l.key) || l.instruction == last) continue;
    last = l.instruction;
    out.push_back(make_finding(ctx.file, id, "label " + l.key + " is not in the label schema",
                               ctx.file.instructions[l.instruction].arguments_span));
  }
  return out;
}

constexpr std::array<std::string_view, 1> kAliases{"DL3050"};
constexpr RuleInfo kInfo{
    .id = "label-superfluous",
    .title = "a label the strict label schema does not name",
    .aliases = kAliases,
    .severity = Severity::Info,
    .fix = FixAvailability::Never,
    .applicability = Applicability::Safe,
    .run_shells = RunShells::None,  // it reads no RUN commands
    .commit_phrase = "keep only the schema's labels",
    .why = "With strict labels, only the labels of the project's schema are allowed.",
    .make = make_rule<rules::label_superfluous, check>,
    .page = pages::label_superfluous,
};

}  // namespace

DOCKERFIX_RULE_INFO(label_superfluous)

}  // namespace dockerfix::fix
