// apt-pin-versions (hadolint DL3008): apt-get install without package versions
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
std::string_view apt_pin_versions();  // README.md beside this file, compiled in
}
namespace rules {
const RuleInfo& apt_pin_versions();
}

namespace {

std::vector<Finding> check(const Context& ctx, std::string_view id) {
  std::vector<Finding> out;
  for (const auto& run : run_steps(ctx))
    for (const auto& c : run.step.commands) {
      if (!runs(c, {"apt-get"}, {"install"})) continue;
      std::vector<const model::ShellWord*> loose;
      for (const auto* w : operands_after(c, {"install"}, {"-t", "--target-release", "-o", "--option", "-c", "--config-file"})) {
        const std::string& p = w->value;
        if (!w->literal || contains(p, "=") || contains(p, "/") || p.ends_with(".deb")) continue;
        loose.push_back(w);
      }
      if (loose.empty()) continue;
      out.push_back(make_finding(ctx.file, id, "apt-get install without versions: pin " + join_values(loose) + " (package=version)",
                                 c.program_word()->span));
    }
  return out;
}

constexpr std::array<std::string_view, 1> kAliases{"DL3008"};
constexpr RuleInfo kInfo{
    .id = "apt-pin-versions",
    .title = "apt-get install without package versions",
    .aliases = kAliases,
    .severity = Severity::Warning,
    .fix = FixAvailability::Never,
    .applicability = Applicability::Safe,
    .commit_phrase = "pin apt packages",
    .why = "Unpinned apt packages install whatever the archive has on the day of the build.",
    .make = make_rule<rules::apt_pin_versions, check>,
    .page = pages::apt_pin_versions,
};

}  // namespace

DOCKERFIX_RULE_INFO(apt_pin_versions)

}  // namespace dockerfix::fix
