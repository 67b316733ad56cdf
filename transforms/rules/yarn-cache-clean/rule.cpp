// yarn-cache-clean (hadolint DL3060): yarn install without yarn cache clean in the same RUN
#include <algorithm>
#include <array>
#include <filesystem>
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
std::string_view yarn_cache_clean();  // README.md beside this file, compiled in
}
namespace rules {
const RuleInfo& yarn_cache_clean();
}

namespace {

namespace fs = std::filesystem;

// Yarn 2 and later keep their cache in the project (.yarn/cache) unless told
// otherwise, and Plug'n'Play loads the packages from it at run time: there
// `yarn cache clean` breaks the app. The fix is safe only for Yarn 1: why it
// may not be, or empty. Signs of a later yarn: the file switches yarn
// (corepack, yarn set version, an npm-installed yarn@N or @yarnpkg/cli),
// uses Yarn 2's --immutable, copies .yarnrc.yml or .yarn/, or the build
// context (or a directory above it, up to its repository) has .yarnrc.yml,
// which Yarn 1 also follows (yarnPath).
std::string not_yarn1(const Context& ctx, const model::Step& at, const model::RunCommand& install) {
  if (install.has_any_flag({"--immutable", "--immutable-cache"})) return "--immutable is Yarn 2's";
  for (size_t stage : stage_chain(ctx.model, at.stage)) {
    for (size_t si : ctx.model.stages[stage].steps) {
      const auto& step = ctx.model.steps[si];
      if (stage == at.stage && step.instruction > at.instruction) break;
      const auto& ins = ctx.file.instructions[step.instruction];
      if ((ins.keyword == "COPY" || ins.keyword == "ADD") &&
          (contains(ins.logical, ".yarnrc.yml") || contains(ins.logical, ".yarn/") || contains(ins.logical, ".yarn ")))
        return "the build copies Yarn 2's .yarnrc.yml or .yarn/";
      for (const auto& c : step.commands) {
        const std::string n(c.name());
        if (n == "corepack") return "corepack may bring a later yarn";
        if (n == "yarn" && (has_arg(c, {"set"}) || has_arg(c, {"policies"}))) return "yarn set version may switch to a later yarn";
        if (n == "npm" || n == "pnpm")
          for (const auto& w : c.words)
            if (w.value.starts_with("yarn@") || w.value.starts_with("@yarnpkg/")) return n + " installs " + w.value;
      }
    }
  }
  const auto& context = ctx.options.model.context;
  if (!context) return "no build context to tell Yarn 1 from a later yarn (give --context DIR)";
  std::error_code ec;
  const fs::path root = fs::canonical(*context, ec);
  if (ec) return "the build context " + context->string() + " could not be read";
  fs::path dir = root;
  for (int depth = 0; depth < 64; ++depth) {
    if (fs::exists(dir / ".yarnrc.yml", ec))
      return (dir / ".yarnrc.yml").lexically_relative(root).generic_string() + " (from the build context) configures Yarn 2 or later";
    if (fs::exists(dir / ".git", ec) || !dir.has_parent_path() || dir.parent_path() == dir) break;
    dir = dir.parent_path();
  }
  return {};
}

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
    auto at = run_append_point(ctx.file, run);
    const std::string why = at ? not_yarn1(ctx, run.step, *install) : std::string();
    Finding fd = make_finding(ctx.file, id,
                              "yarn install leaves its cache in the layer: add && yarn cache clean" +
                                  (why.empty() ? std::string() : "; unsafe: Yarn 2 and later clean the project's .yarn/cache, "
                                                                 "which Plug'n'Play needs at run time, and " + why),
                              install->program_word()->span);
    if (at) {
      fd.fix.push_back({{*at, *at}, " && yarn cache clean"});
      if (!why.empty()) fd.applicability = Applicability::Unsafe;
    } else {
      fd.no_fix_reason = "the RUN does not end in a command text can follow";
    }
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

DOCKERFIX_RULE_INFO(yarn_cache_clean)

}  // namespace dockerfix::fix
