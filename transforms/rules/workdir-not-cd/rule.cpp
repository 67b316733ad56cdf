// workdir-not-cd (hadolint DL3003): cd in RUN instead of WORKDIR
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
std::string_view workdir_not_cd();  // README.md beside this file, compiled in
}
namespace rules {
const RuleInfo& workdir_not_cd();
}

namespace {

bool plain_path(const std::string& p) {
  return !p.empty() && std::all_of(p.begin(), p.end(), [](char ch) {
    return std::isalnum(static_cast<unsigned char>(ch)) || ch == '/' || ch == '.' || ch == '_' || ch == '-';
  }) && p != "-";
}

std::vector<Finding> check(const Context& ctx, std::string_view id) {
  std::vector<Finding> out;
  for (const auto& run : run_steps(ctx)) {
    const auto& cmds = run.step.commands;
    for (size_t k = 0; k < cmds.size(); ++k) {
      const auto& c = cmds[k];
      if (c.name() != "cd") continue;
      Finding fd = make_finding(ctx.file, id, "cd in RUN: use WORKDIR to change directory", c.program_word()->span);
      auto ops = c.operands();
      const bool first = k == 0 && !c.nested && c.span.begin == run.ins.arguments_span.begin;
      if (first && ops.size() == 1 && c.words.size() == c.program + 2 && ops[0]->literal && plain_path(ops[0]->value) &&
          c.then == model::RunCommand::Then::And && k + 1 < cmds.size() && !cmds[k + 1].nested &&
          only_and_between(ctx.file, c.span.end, cmds[k + 1].span.begin)) {
        fd.fix.push_back(insert_line_before(ctx.file, run.ins, ctx.style.keyword("WORKDIR") + " " + ops[0]->value, ctx.style));
        fd.fix.push_back({{c.span.begin, cmds[k + 1].span.begin}, ""});
      } else {
        fd.no_fix_reason = "only `cd DIR &&` at the start of a RUN becomes a WORKDIR";
      }
      out.push_back(std::move(fd));
    }
  }
  return out;
}

constexpr std::array<std::string_view, 1> kAliases{"DL3003"};
constexpr RuleInfo kInfo{
    .id = "workdir-not-cd",
    .title = "cd in RUN instead of WORKDIR",
    .aliases = kAliases,
    .severity = Severity::Warning,
    .fix = FixAvailability::Sometimes,
    .applicability = Applicability::Unsafe,
    .commit_phrase = "use WORKDIR instead of cd",
    .why = "`cd` in a RUN lasts for that RUN only; WORKDIR states the directory for the instructions that follow.",
    .make = make_rule<rules::workdir_not_cd, check>,
    .page = pages::workdir_not_cd,
};

}  // namespace

DOCKERFIX_RULE_INFO(workdir_not_cd)

}  // namespace dockerfix::fix
