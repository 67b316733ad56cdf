// gem-pin-versions (hadolint DL3028): gem install without versions
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
#include "transforms/rules/package_checks.h"

namespace dockerfix::fix {

namespace pages {
std::string_view gem_pin_versions();  // README.md beside this file, compiled in
}
namespace rules {
const RuleInfo& gem_pin_versions();
}

namespace {

std::vector<Finding> check(const Context& ctx, std::string_view id) {
  std::vector<Finding> out;
  for (const auto& run : run_steps(ctx))
    for (const auto& c : run.step.commands) {
      if (!runs(c, {"gem"}, {"install", "i"}) || c.has_any_flag({"-v", "--version"})) continue;
      std::vector<const model::ShellWord*> loose;
      for (const auto* w : operands_after(c, {"install", "i"}, {"-i", "--install-dir", "-n", "--bindir", "-s", "--source", "--platform", "-P", "--trust-policy", "-g", "--file"}))
        if (w->literal && !contains(w->value, ":")) loose.push_back(w);
      if (loose.empty()) continue;
      out.push_back(make_finding(ctx.file, id, "gem install without versions: pin " + join_values(loose) + " (gem:version)",
                                 c.program_word()->span));
    }
  return out;
}

constexpr std::array<std::string_view, 1> kAliases{"DL3028"};
constexpr RuleInfo kInfo{
    .id = "gem-pin-versions",
    .title = "gem install without versions",
    .aliases = kAliases,
    .severity = Severity::Warning,
    .fix = FixAvailability::Never,
    .applicability = Applicability::Safe,
    .commit_phrase = "pin gems",
    .why = "Unpinned gems install the newest release on the day of the build.",
    .make = make_rule<rules::gem_pin_versions, check>,
    .page = pages::gem_pin_versions,
};

}  // namespace

DOCKERFIX_RULE_INFO(gem_pin_versions)

}  // namespace dockerfix::fix
