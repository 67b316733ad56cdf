// yarn-cache-clean (hadolint DL3060): yarn install without yarn cache clean in the same RUN
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
std::string_view yarn_cache_clean();  // README.md beside this file, compiled in
}
namespace rules {
const RuleInfo& yarn_cache_clean();
}

namespace {

std::vector<Finding> check(const Context& ctx, std::string_view id) {
  std::vector<Finding> out;
  for (const auto& run : run_steps(ctx)) {
    if (cache_mount(run.ins, ".cache/yarn") || !stage_is_kept(ctx.model, run.step.stage)) continue;
    const model::RunCommand* install = nullptr;
    bool cleaned = false;
    for (const auto& c : run.step.commands) {
      if (c.name() != "yarn") continue;
      if (!install && has_arg(c, {"install"})) install = &c;
      else if (install && has_arg(c, {"cache"}) && has_arg(c, {"clean"})) cleaned = true;
    }
    if (!install || cleaned) continue;
    Finding fd = make_finding(ctx.file, id, "yarn install leaves its cache in the layer: add && yarn cache clean",
                              install->program_word()->span);
    if (auto at = run_append_point(ctx.file, run)) fd.fix.push_back({{*at, *at}, " && yarn cache clean"});
    else fd.no_fix_reason = "the RUN does not end in a command text can follow";
    out.push_back(std::move(fd));
  }
  return out;
}

constexpr std::array<std::string_view, 1> kAliases{"DL3060"};
constexpr RuleInfo kInfo{
    .id = "yarn-cache-clean",
    .title = "yarn install without yarn cache clean in the same RUN",
    .aliases = kAliases,
    .severity = Severity::Info,
    .fix = FixAvailability::Sometimes,
    .applicability = Applicability::Safe,
    .commit_phrase = "clean the yarn cache in the layer that fills it",
    .why = "yarn keeps every downloaded package in its cache; cleaned in the same RUN, it never reaches a layer.",
    .make = make_rule<rules::yarn_cache_clean, check>,
    .page = pages::yarn_cache_clean,
};

}  // namespace

namespace rules {
const RuleInfo& yarn_cache_clean() { return kInfo; }
}  // namespace rules

}  // namespace dockerfix::fix
