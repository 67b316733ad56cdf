// pipefail (hadolint DL4006): RUN with a pipe and no SHELL with -o pipefail
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
std::string_view pipefail();  // README.md beside this file, compiled in
}
namespace rules {
const RuleInfo& pipefail();
}

namespace {

bool sets_pipefail(const Instruction& shell) {
  if (!shell.exec_form || shell.exec.empty()) return false;
  std::string prog = shell.exec[0].substr(shell.exec[0].rfind('/') == std::string::npos ? 0 : shell.exec[0].rfind('/') + 1);
  for (auto p : {"pwsh", "powershell", "cmd"})
    if (lower(prog).starts_with(p)) return true;
  for (size_t i = 1; i + 1 < shell.exec.size(); ++i)
    if (shell.exec[i] == "-o" && shell.exec[i + 1] == "pipefail") return true;
  return false;
}

bool piped(const model::Step& s) {
  return std::any_of(s.commands.begin(), s.commands.end(),
                     [](const model::RunCommand& c) { return !c.nested && c.then == model::RunCommand::Then::Pipe; });
}

std::vector<Finding> check(const Context& ctx, std::string_view id) {
  std::vector<Finding> out;
  for (const auto& stage : ctx.model.stages) {
    bool safe = false, any_shell = false, offered = false;
    for (size_t si : stage.steps) {
      const auto& step = ctx.model.steps[si];
      const auto& ins = ctx.file.instructions[step.instruction];
      if (ins.keyword == "SHELL") {
        any_shell = true;
        safe = sets_pipefail(ins);
      }
      if (ins.keyword != "RUN" || ins.exec_form || safe || !piped(step)) continue;
      Finding fd = make_finding(ctx.file, id, "RUN with a pipe fails only when its last command fails: set SHELL with -o pipefail",
                                ins.keyword_span);
      if (!offered && !any_shell && !stage.parent_stage && stage.facts && stage.facts->has_tool("bash")) {
        fd.fix.push_back(insert_line_before(ctx.file, ins, ctx.style.keyword("SHELL") + " [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]", ctx.style));
        offered = true;
      } else {
        fd.no_fix_reason = offered      ? "the SHELL added before the stage's first piped RUN covers it"
                           : any_shell  ? "the stage sets its own SHELL"
                                        : "the image is not known to have bash";
      }
      out.push_back(std::move(fd));
    }
  }
  return out;
}

constexpr std::array<std::string_view, 1> kAliases{"DL4006"};
constexpr RuleInfo kInfo{
    .id = "pipefail",
    .title = "RUN with a pipe and no SHELL with -o pipefail",
    .aliases = kAliases,
    .severity = Severity::Warning,
    .fix = FixAvailability::Sometimes,
    .applicability = Applicability::Unsafe,
    .commit_phrase = "fail piped RUNs when a command in the pipe fails",
    .why = "Without pipefail a pipeline's status is its last command's: `curl ... | tar -x` succeeds when curl fails.",
    .make = make_rule<rules::pipefail, check>,
    .page = pages::pipefail,
};

}  // namespace

DOCKERFIX_RULE_INFO(pipefail)

}  // namespace dockerfix::fix
