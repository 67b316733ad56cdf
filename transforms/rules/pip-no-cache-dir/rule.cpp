// pip-no-cache-dir (hadolint DL3042): pip install without --no-cache-dir
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
std::string_view pip_no_cache_dir();  // README.md beside this file, compiled in
}
namespace rules {
const RuleInfo& pip_no_cache_dir();
}

namespace {

bool truthy(std::string v) {
  v = lower(v);
  return v == "1" || v == "true" || v == "on" || v == "yes";
}

bool env_turns_off_cache(const Context& ctx, const model::Step& at) {
  for (size_t s : stage_chain(ctx.model, at.stage))
    for (size_t si : ctx.model.stages[s].steps) {
      const auto& step = ctx.model.steps[si];
      if (s == at.stage && step.instruction >= at.instruction) break;
      const auto& ins = ctx.file.instructions[step.instruction];
      if (ins.keyword != "ENV") continue;
      for (const auto& [k, v] : key_value_pairs(ins, ctx.file.escape))
        if (k == "PIP_NO_CACHE_DIR" && truthy(v)) return true;
    }
  return false;
}

std::vector<Finding> check(const Context& ctx, std::string_view id) {
  std::vector<Finding> out;
  for (const auto& run : run_steps(ctx)) {
    if (cache_mount(run.ins, ".cache/pip")) continue;
    std::optional<bool> env_off_before;  // an ENV before the RUN turns the cache off: read at the first pip install
    for (const auto& c : run.step.commands) {
      auto pip = pip_at(c);
      if (!pip || c.has_flag("--no-cache-dir")) continue;
      auto install = arg_index(c, "install");
      if (!install || *install + c.program <= *pip) continue;
      if (!env_off_before) env_off_before = env_turns_off_cache(ctx, run.step);
      if (*env_off_before) break;
      bool env_off = false;
      for (size_t i = 0; i < c.program; ++i) env_off = env_off || c.words[i].value.starts_with("PIP_NO_CACHE_DIR=");
      if (env_off) continue;
      Finding fd = make_finding(ctx.file, id, "pip install keeps its download cache in the layer: add --no-cache-dir",
                                c.program_word()->span);
      fd.fix.push_back({c.insert_after(*install), " --no-cache-dir"});
      out.push_back(std::move(fd));
    }
  }
  return out;
}

constexpr std::array<std::string_view, 1> kAliases{"DL3042"};
constexpr RuleInfo kInfo{
    .id = "pip-no-cache-dir",
    .title = "pip install without --no-cache-dir",
    .aliases = kAliases,
    .severity = Severity::Warning,
    .fix = FixAvailability::Sometimes,
    .applicability = Applicability::Safe,
    .commit_phrase = "install pip packages without a cache",
    .why = "pip keeps every downloaded wheel in ~/.cache/pip; --no-cache-dir keeps them out of the layer.",
    .make = make_rule<rules::pip_no_cache_dir, check>,
    .page = pages::pip_no_cache_dir,
};

}  // namespace

DOCKERFIX_RULE_INFO(pip_no_cache_dir)

}  // namespace dockerfix::fix
