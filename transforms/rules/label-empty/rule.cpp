// label-empty (hadolint DL3051): a label of the label schema is empty
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
std::string_view label_empty();  // README.md beside this file, compiled in
}
namespace rules {
const RuleInfo& label_empty();
}

namespace {

std::vector<Finding> check(const Context& ctx, std::string_view id) {
  std::vector<Finding> out;
  for (const auto& l : labels(ctx)) {
    if (!ctx.options.label_schema.count(l.key) || !l.value.empty()) continue;
    out.push_back(make_finding(ctx.file, id, "label " + l.key + " is empty", ctx.file.instructions[l.instruction].arguments_span));
  }
  return out;
}

constexpr std::array<std::string_view, 1> kAliases{"DL3051"};
constexpr RuleInfo kInfo{
    .id = "label-empty",
    .title = "a label of the label schema is empty",
    .aliases = kAliases,
    .severity = Severity::Warning,
    .fix = FixAvailability::Never,
    .applicability = Applicability::Safe,
    .run_shells = RunShells::None,  // it reads no RUN commands
    .commit_phrase = "fill the schema's labels",
    .why = "A required label with an empty value carries no information.",
    .make = make_rule<rules::label_empty, check>,
    .page = pages::label_empty,
};

}  // namespace

DOCKERFIX_RULE_INFO(label_empty)

}  // namespace dockerfix::fix
