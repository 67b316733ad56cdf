// pip-pin-versions (hadolint DL3013): pip install without package versions
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
std::string_view pip_pin_versions();  // README.md beside this file, compiled in
}
namespace rules {
const RuleInfo& pip_pin_versions();
}

namespace {

bool pinned(const std::string& p) {
  static constexpr std::string_view kVcs[] = {"git+", "hg+", "svn+", "bzr+", "git:"};
  for (auto s : {"==", ">=", "<=", ">", "<", "!=", "~="})
    if (contains(p, s)) return true;
  bool vcs = std::any_of(std::begin(kVcs), std::end(kVcs), [&](std::string_view v) { return p.starts_with(v); });
  if (vcs) return contains(p.substr(p.find("://") == std::string::npos ? 0 : p.find("://") + 3), "@");
  return p.ends_with(".whl") || p.ends_with(".tar.gz") || p.ends_with(".zip") || contains(p, "/") || p == ".";
}

std::vector<Finding> check(const Context& ctx, std::string_view id) {
  std::vector<Finding> out;
  for (const auto& run : run_steps(ctx))
    for (const auto& c : run.step.commands) {
      if (!pip_at(c) || !has_arg(c, {"install"})) continue;
      if (c.has_any_flag({"-r", "--requirement", "-c", "--constraint", "-e", "--editable"}) || has_arg(c, {"."})) continue;
      std::vector<const model::ShellWord*> loose;
      for (const auto* w : operands_after(c, {"install"}, {"-i", "--index-url", "--extra-index-url", "-f", "--find-links", "-t", "--target", "--prefix", "--root", "--src", "--platform", "--python-version", "--implementation", "--abi", "--no-binary", "--only-binary", "--progress-bar", "--proxy", "--trusted-host", "--upgrade-strategy", "--root-user-action", "--python", "-b", "--build", "--retries", "--timeout", "--cache-dir", "--log"}))
        if (w->literal && !pinned(w->value)) loose.push_back(w);
      if (loose.empty()) continue;
      out.push_back(make_finding(ctx.file, id, "pip install without versions: pin " + join_values(loose) + " (package==version)",
                                 c.program_word()->span));
    }
  return out;
}

constexpr std::array<std::string_view, 1> kAliases{"DL3013"};
constexpr RuleInfo kInfo{
    .id = "pip-pin-versions",
    .title = "pip install without package versions",
    .aliases = kAliases,
    .severity = Severity::Warning,
    .fix = FixAvailability::Never,
    .applicability = Applicability::Safe,
    .commit_phrase = "pin pip packages",
    .why = "Unpinned pip packages install the index's newest release on the day of the build.",
    .make = make_rule<rules::pip_pin_versions, check>,
    .page = pages::pip_pin_versions,
};

}  // namespace

DOCKERFIX_RULE_INFO(pip_pin_versions)

}  // namespace dockerfix::fix
