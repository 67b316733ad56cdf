// shell-instruction-not-ln (hadolint DL4005): ln over /bin/sh instead of the SHELL instruction
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
std::string_view shell_instruction_not_ln();  // README.md beside this file, compiled in
}
namespace rules {
const RuleInfo& shell_instruction_not_ln();
}

namespace {

std::vector<Finding> check(const Context& ctx, std::string_view id) {
  std::vector<Finding> out;
  for (const auto& run : run_steps(ctx))
    for (const auto& c : run.step.commands) {
      if (c.name() != "ln" || !has_arg(c, {"/bin/sh"})) continue;
      out.push_back(make_finding(ctx.file, id, "ln over /bin/sh: use SHELL to change the shell RUN uses", c.program_word()->span));
    }
  return out;
}

constexpr std::array<std::string_view, 1> kAliases{"DL4005"};
constexpr RuleInfo kInfo{
    .id = "shell-instruction-not-ln",
    .title = "ln over /bin/sh instead of the SHELL instruction",
    .aliases = kAliases,
    .severity = Severity::Warning,
    .fix = FixAvailability::Never,
    .applicability = Applicability::Safe,
    .commit_phrase = "change the shell with SHELL",
    .why = "Relinking /bin/sh changes the shell for every program in the image, not only for the Dockerfile's RUNs.",
    .make = make_rule<rules::shell_instruction_not_ln, check>,
    .page = pages::shell_instruction_not_ln,
};

}  // namespace

DOCKERFIX_RULE_INFO(shell_instruction_not_ln)

}  // namespace dockerfix::fix
