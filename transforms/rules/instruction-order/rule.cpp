// instruction-order (hadolint DL3061): an instruction before the first FROM other than ARG
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
std::string_view instruction_order();  // README.md beside this file, compiled in
}
namespace rules {
const RuleInfo& instruction_order();
}

namespace {

std::vector<Finding> check(const Context& ctx, std::string_view id) {
  std::vector<Finding> out;
  for (const auto& ins : ctx.file.instructions) {
    if (ins.keyword == "FROM") break;
    if (ins.keyword == "ARG") continue;
    out.push_back(make_finding(ctx.file, id, ins.keyword + " before the first FROM: only ARG may come first", ins.keyword_span));
  }
  return out;
}

constexpr std::array<std::string_view, 1> kAliases{"DL3061"};
constexpr RuleInfo kInfo{
    .id = "instruction-order",
    .title = "an instruction before the first FROM other than ARG",
    .aliases = kAliases,
    .severity = Severity::Error,
    .fix = FixAvailability::Never,
    .applicability = Applicability::Safe,
    .run_shells = RunShells::None,  // it reads no RUN commands
    .commit_phrase = "start the Dockerfile with FROM",
    .why = "Only ARG may come before the first FROM.",
    .make = make_rule<rules::instruction_order, check>,
    .page = pages::instruction_order,
};

}  // namespace

DOCKERFIX_RULE_INFO(instruction_order)

}  // namespace dockerfix::fix
