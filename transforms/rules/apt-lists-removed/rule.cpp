// apt-lists-removed (hadolint DL3009): apt-get update leaves /var/lib/apt/lists in the image
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
std::string_view apt_lists_removed();  // README.md beside this file, compiled in
}
namespace rules {
const RuleInfo& apt_lists_removed();
}

namespace {

bool apt_update(const model::RunCommand& c) { return runs(c, {"apt-get", "apt", "aptitude"}, {"update"}); }
bool apt_install(const model::RunCommand& c) { return runs(c, {"apt-get", "apt", "aptitude"}, {"install", "upgrade", "dist-upgrade", "build-dep"}); }
bool removes_lists(const model::RunCommand& c) {
  if (c.name() != "rm") return false;
  for (size_t i = c.program + 1; i < c.words.size(); ++i)
    if (c.words[i].value.starts_with("/var/lib/apt/lists")) return true;
  return false;
}

// A later RUN of the stage, or of a stage built on it, installs from the lists without updating them.
bool later_install_needs_lists(const Context& ctx, const model::Step& at) {
  std::vector<bool> family(ctx.model.stages.size(), false);
  family[at.stage] = true;
  for (const auto& s : ctx.model.stages)
    if (s.parent_stage && family[*s.parent_stage]) family[s.index] = true;
  for (const auto& run : run_steps(ctx)) {
    if (run.step.instruction <= at.instruction || !family[run.step.stage]) continue;
    bool updates = false, installs = false;
    for (const auto& c : run.step.commands) {
      updates = updates || apt_update(c);
      installs = installs || apt_install(c);
    }
    if (installs && !updates) return true;
  }
  return false;
}

std::vector<Finding> check(const Context& ctx, std::string_view id) {
  std::vector<Finding> out;
  for (const auto& run : run_steps(ctx)) {
    const model::RunCommand* update = nullptr;
    bool cleaned = false;
    for (const auto& c : run.step.commands) {
      if (!update && apt_update(c)) update = &c;
      cleaned = cleaned || removes_lists(c);
    }
    if (!update || cleaned || !stage_is_kept(ctx.model, run.step.stage)) continue;
    if (cache_mount(run.ins, "/var/lib/apt/lists") || (cache_mount(run.ins, "/var/lib/apt") && cache_mount(run.ins, "/var/cache/apt")))
      continue;
    Finding fd = make_finding(ctx.file, id, "apt lists stay in the layer: add && rm -rf /var/lib/apt/lists/* to this RUN",
                              update->program_word()->span);
    if (auto at = run_append_point(ctx.file, run)) {
      fd.fix.push_back({{*at, *at}, " && rm -rf /var/lib/apt/lists/*"});
      if (later_install_needs_lists(ctx, run.step)) fd.applicability = Applicability::Unsafe;
    } else {
      fd.no_fix_reason = "the RUN does not end in a command text can follow";
    }
    out.push_back(std::move(fd));
  }
  return out;
}

constexpr std::array<std::string_view, 1> kAliases{"DL3009"};
constexpr RuleInfo kInfo{
    .id = "apt-lists-removed",
    .title = "apt-get update leaves /var/lib/apt/lists in the image",
    .aliases = kAliases,
    .severity = Severity::Info,
    .fix = FixAvailability::Sometimes,
    .applicability = Applicability::Safe,
    .commit_phrase = "remove apt lists in the layer that downloads them",
    .why = "apt's package lists are tens of megabytes that nothing in the running image needs; removed in the same RUN, they never reach a layer.",
    .make = make_rule<rules::apt_lists_removed, check>,
    .page = pages::apt_lists_removed,
};

}  // namespace

DOCKERFIX_RULE_INFO(apt_lists_removed)

}  // namespace dockerfix::fix
