// zypper-clean (hadolint DL3036): zypper install without zypper clean in the same RUN
#include <algorithm>
#include <array>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "model/words.h"
#include "transforms/rule_support.h"
#include "transforms/rules/rule_queries.h"
#include "transforms/rules/simple_rule.h"

namespace dockerfix::fix {

namespace pages {
std::string_view zypper_clean();  // README.md beside this file, compiled in
}
namespace rules {
const RuleInfo& zypper_clean();
}

namespace {

bool cleans(const model::RunCommand& c, const std::string& program) {
  if (c.name() == program && has_arg(c, {"clean", "cc"})) return true;
  if (c.name() != "rm") return false;
  for (size_t i = c.program + 1; i < c.words.size(); ++i)
    for (std::string_view p : {"/var/cache/zypp"})
      if (c.words[i].value.starts_with(p)) return true;
  return false;
}

std::vector<Finding> check(const Context& ctx, std::string_view id) {
  std::vector<Finding> out;
  for (const auto& run : run_steps(ctx)) {
    if (cache_mount(run.ins, "/var/cache/zypp")) continue;
    const auto& cmds = run.step.commands;
    for (size_t k = 0; k < cmds.size(); ++k) {
      const auto& c = cmds[k];
      if (!runs(c, {"zypper"}, {"install", "in"})) continue;
      const std::string program = c.name();
      bool cleaned = false;
      for (size_t j = k + 1; j < cmds.size(); ++j) cleaned = cleaned || cleans(cmds[j], program);
      if (cleaned) continue;
      const std::string clean = program + " clean" + (std::string_view("zypper clean").ends_with(" all") ? " all" : "");
      Finding fd = make_finding(ctx.file, id, program + " install leaves its cache in the layer: add && " + clean, c.program_word()->span);
      if (auto at = run_append_point(ctx.file, run)) fd.fix.push_back({{*at, *at}, " && " + clean});
      else fd.no_fix_reason = "the RUN does not end in a command text can follow";
      out.push_back(std::move(fd));
      break;
    }
  }
  return out;
}

constexpr std::array<std::string_view, 1> kAliases{"DL3036"};
constexpr RuleInfo kInfo{
    .id = "zypper-clean",
    .title = "zypper install without zypper clean in the same RUN",
    .aliases = kAliases,
    .severity = Severity::Warning,
    .fix = FixAvailability::Sometimes,
    .applicability = Applicability::Safe,
    .commit_phrase = "clean the zypper cache in the layer that fills it",
    .why = "zypper keeps downloaded packages and metadata in its cache; cleaned in the same RUN, they never reach a layer.",
    .make = make_rule<rules::zypper_clean, check>,
    .page = pages::zypper_clean,
};

}  // namespace

namespace rules {
const RuleInfo& zypper_clean() { return kInfo; }
}  // namespace rules

}  // namespace dockerfix::fix
