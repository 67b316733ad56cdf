// consecutive-run (hadolint DL3059): consecutive RUN instructions that could be one
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
std::string_view consecutive_run();  // README.md beside this file, compiled in
}
namespace rules {
const RuleInfo& consecutive_run();
}

namespace {

size_t top_commands(const model::Step& s) {
  size_t n = 0;
  for (const auto& c : s.commands) n += !c.nested;
  return n;
}

std::string flags_text(const Dockerfile& f, const Instruction& ins) {
  std::string out;
  for (const auto& fl : ins.flags) out += std::string(f.text(fl.span)) + " ";
  return out;
}

std::vector<Finding> check(const Context& ctx, std::string_view id) {
  std::vector<Finding> out;
  const model::Step* prev = nullptr;
  for (const auto& step : ctx.model.steps) {
    const auto& ins = ctx.file.instructions[step.instruction];
    if (ins.keyword != "RUN") {
      prev = nullptr;
      continue;
    }
    if (prev && !ins.exec_form && ins.heredocs.empty() && prev->stage == step.stage) {
      const auto& p = ctx.file.instructions[prev->instruction];
      if (!p.exec_form && p.heredocs.empty() && flags_text(ctx.file, p) == flags_text(ctx.file, ins) && top_commands(*prev) <= 2 &&
          top_commands(step) <= 2)
        out.push_back(make_finding(ctx.file, id, "RUN right after a RUN: consider one RUN (one layer)", ins.keyword_span));
    }
    prev = &step;
  }
  return out;
}

constexpr std::array<std::string_view, 1> kAliases{"DL3059"};
constexpr RuleInfo kInfo{
    .id = "consecutive-run",
    .title = "consecutive RUN instructions that could be one",
    .aliases = kAliases,
    .severity = Severity::Info,
    .fix = FixAvailability::Never,
    .applicability = Applicability::Safe,
    .commit_phrase = "merge consecutive RUNs",
    .why = "Each RUN is a layer; short consecutive RUNs make more layers than needed.",
    .make = make_rule<rules::consecutive_run, check>,
    .page = pages::consecutive_run,
};

}  // namespace

DOCKERFIX_RULE_INFO(consecutive_run)

}  // namespace dockerfix::fix
