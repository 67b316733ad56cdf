// no-sudo (hadolint DL3004): sudo in RUN
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
std::string_view no_sudo();  // README.md beside this file, compiled in
}
namespace rules {
const RuleInfo& no_sudo();
}

namespace {

std::vector<Finding> check(const Context& ctx, std::string_view id) {
  std::vector<Finding> out;
  for (const auto& run : run_steps(ctx))
    for (const auto& c : run.step.commands) {
      if (!through_sudo(c)) continue;
      const model::ShellWord& w = c.words.front();
      out.push_back(make_finding(ctx.file, id, "sudo in RUN: run the step as root (USER root) instead", w.span));
    }
  return out;
}

constexpr std::array<std::string_view, 1> kAliases{"DL3004"};
constexpr RuleInfo kInfo{
    .id = "no-sudo",
    .title = "sudo in RUN",
    .aliases = kAliases,
    .severity = Severity::Error,
    .fix = FixAvailability::Never,
    .applicability = Applicability::Safe,
    .commit_phrase = "run privileged steps without sudo",
    .why = "sudo in a build step behaves differently per base image and user; switch USER or use gosu at run time.",
    .make = make_rule<rules::no_sudo, check>,
    .page = pages::no_sudo,
};

}  // namespace

DOCKERFIX_RULE_INFO(no_sudo)

}  // namespace dockerfix::fix
