// yum-clean (hadolint DL3032): yum install without yum clean all in the same RUN
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
std::string_view yum_clean();  // README.md beside this file, compiled in
}
namespace rules {
const RuleInfo& yum_clean();
}

namespace {

bool cleans(const model::RunCommand& c, const std::string& program) {
  if (c.name() == program && has_arg(c, {"clean"})) return true;
  if (c.name() != "rm") return false;
  for (size_t i = c.program + 1; i < c.words.size(); ++i)
    for (std::string_view p : {"/var/cache/yum"})
      if (c.words[i].value.starts_with(p)) return true;
  return false;
}

std::vector<Finding> check(const Context& ctx, std::string_view id) {
  std::vector<Finding> out;
  for (const auto& run : run_steps(ctx)) {
    if (cache_mount(run.ins, "/var/cache/yum")) continue;
    const auto& cmds = run.step.commands;
    for (size_t k = 0; k < cmds.size(); ++k) {
      const auto& c = cmds[k];
      if (!runs(c, {"yum"}, {"install"})) continue;
      const std::string program = c.name();
      bool cleaned = false;
      for (size_t j = k + 1; j < cmds.size(); ++j) cleaned = cleaned || cleans(cmds[j], program);
      if (cleaned) continue;
      const std::string clean = program + " clean" + (std::string_view("yum clean all").ends_with(" all") ? " all" : "");
      Finding fd = make_finding(ctx.file, id, program + " install leaves its cache in the layer: add && " + clean, c.program_word()->span);
      if (auto at = run_append_point(ctx.file, run)) fd.fix.push_back({{*at, *at}, " && " + clean});
      else fd.no_fix_reason = "the RUN does not end in a command text can follow";
      out.push_back(std::move(fd));
      break;
    }
  }
  return out;
}

constexpr std::array<std::string_view, 1> kAliases{"DL3032"};
constexpr RuleInfo kInfo{
    .id = "yum-clean",
    .title = "yum install without yum clean all in the same RUN",
    .aliases = kAliases,
    .severity = Severity::Warning,
    .fix = FixAvailability::Sometimes,
    .applicability = Applicability::Safe,
    .commit_phrase = "clean the yum cache in the layer that fills it",
    .why = "yum keeps downloaded packages and metadata in its cache; cleaned in the same RUN, they never reach a layer.",
    .make = make_rule<rules::yum_clean, check>,
    .page = pages::yum_clean,
};

}  // namespace

namespace rules {
const RuleInfo& yum_clean() { return kInfo; }
}  // namespace rules

}  // namespace dockerfix::fix
