// apk-pin-versions (hadolint DL3018): apk add without package versions
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
std::string_view apk_pin_versions();  // README.md beside this file, compiled in
}
namespace rules {
const RuleInfo& apk_pin_versions();
}

namespace {

std::vector<Finding> check(const Context& ctx, std::string_view id) {
  std::vector<Finding> out;
  for (const auto& run : run_steps(ctx))
    for (const auto& c : run.step.commands) {
      if (!runs(c, {"apk"}, {"add"})) continue;
      std::vector<const model::ShellWord*> loose;
      for (const auto* w : operands_after(c, {"add"}, {"-t", "--virtual", "--repository", "-X", "--root", "-p", "--arch", "--cache-dir", "--keys-dir"})) {
        const std::string& p = w->value;
        if (!w->literal || p.ends_with(".apk") || p.find_first_of("=~<>") != std::string::npos) continue;
        loose.push_back(w);
      }
      if (loose.empty()) continue;
      out.push_back(make_finding(ctx.file, id, "apk add without versions: pin " + join_values(loose) + " (package=version)",
                                 c.program_word()->span));
    }
  return out;
}

constexpr std::array<std::string_view, 1> kAliases{"DL3018"};
constexpr RuleInfo kInfo{
    .id = "apk-pin-versions",
    .title = "apk add without package versions",
    .aliases = kAliases,
    .severity = Severity::Warning,
    .fix = FixAvailability::Never,
    .applicability = Applicability::Safe,
    .commit_phrase = "pin apk packages",
    .why = "Unpinned apk packages install the repository's current version on the day of the build.",
    .make = make_rule<rules::apk_pin_versions, check>,
    .page = pages::apk_pin_versions,
};

}  // namespace

DOCKERFIX_RULE_INFO(apk_pin_versions)

}  // namespace dockerfix::fix
