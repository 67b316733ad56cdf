// npm-pin-versions (hadolint DL3016): npm install of a package without a version
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
std::string_view npm_pin_versions();  // README.md beside this file, compiled in
}
namespace rules {
const RuleInfo& npm_pin_versions();
}

namespace {

bool pinned(const std::string& p) {
  for (auto g : {"git://", "git+ssh://", "git+http://", "git+https://"})
    if (p.starts_with(g)) return contains(p, "#");
  for (auto t : {".tar", ".tar.gz", ".tgz"})
    if (p.ends_with(t)) return true;
  for (auto d : {"/", "./", "../", "~/"})
    if (p.starts_with(d)) return true;
  std::string_view name = p;
  if (name.starts_with("@")) {
    auto slash = name.find('/');
    name = slash == std::string_view::npos ? std::string_view() : name.substr(slash);
  }
  return contains(name, "@");
}

std::vector<Finding> check(const Context& ctx, std::string_view id) {
  std::vector<Finding> out;
  for (const auto& run : run_steps(ctx))
    for (const auto& c : run.step.commands) {
      if (c.name() != "npm") continue;
      auto ops = c.operands({"--loglevel", "--registry", "--prefix"});
      if (ops.empty() || ops.front()->value != "install") continue;
      std::vector<const model::ShellWord*> loose;
      for (size_t i = 1; i < ops.size(); ++i)
        if (ops[i]->literal && !pinned(ops[i]->value)) loose.push_back(ops[i]);
      if (loose.empty()) continue;
      out.push_back(make_finding(ctx.file, id, "npm install without versions: pin " + join_values(loose) + " (package@version)",
                                 c.program_word()->span));
    }
  return out;
}

constexpr std::array<std::string_view, 1> kAliases{"DL3016"};
constexpr RuleInfo kInfo{
    .id = "npm-pin-versions",
    .title = "npm install of a package without a version",
    .aliases = kAliases,
    .severity = Severity::Warning,
    .fix = FixAvailability::Never,
    .applicability = Applicability::Safe,
    .commit_phrase = "pin npm packages",
    .why = "`npm install pkg` takes the registry's newest release on the day of the build.",
    .make = make_rule<rules::npm_pin_versions, check>,
    .page = pages::npm_pin_versions,
};

}  // namespace

DOCKERFIX_RULE_INFO(npm_pin_versions)

}  // namespace dockerfix::fix
