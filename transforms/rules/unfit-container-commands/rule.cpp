// unfit-container-commands (hadolint DL3001): commands that make no sense in an image build (ssh, vim, service, shutdown, ps, top, kill, mount, free)
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
std::string_view unfit_container_commands();  // README.md beside this file, compiled in
}
namespace rules {
const RuleInfo& unfit_container_commands();
}

namespace {

std::vector<Finding> check(const Context& ctx, std::string_view id) {
  static constexpr std::string_view kUnfit[] = {"free", "kill", "mount", "ps", "service", "shutdown", "ssh", "top", "vim"};
  std::vector<Finding> out;
  for (const auto& run : run_steps(ctx))
    for (const auto& c : run.step.commands) {
      const std::string name(c.name());
      if (std::find(std::begin(kUnfit), std::end(kUnfit), name) == std::end(kUnfit)) continue;
      out.push_back(make_finding(ctx.file, id, name + " makes no sense in an image build step", c.program_word()->span));
    }
  return out;
}

constexpr std::array<std::string_view, 1> kAliases{"DL3001"};
constexpr RuleInfo kInfo{
    .id = "unfit-container-commands",
    .title = "commands that make no sense in an image build (ssh, vim, service, shutdown, ps, top, kill, mount, free)",
    .aliases = kAliases,
    .severity = Severity::Info,
    .fix = FixAvailability::Never,
    .applicability = Applicability::Safe,
    .commit_phrase = "drop interactive commands",
    .why = "Interactive and system-management commands do nothing useful while an image is built.",
    .make = make_rule<rules::unfit_container_commands, check>,
    .page = pages::unfit_container_commands,
};

}  // namespace

DOCKERFIX_RULE_INFO(unfit_container_commands)

}  // namespace dockerfix::fix
