// go-pin-versions (hadolint DL3062): go install or go run of a module without a version
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
std::string_view go_pin_versions();  // README.md beside this file, compiled in
}
namespace rules {
const RuleInfo& go_pin_versions();
}

namespace {

bool pinned(const std::string& p) {
  if (p == "." || p.starts_with("/") || p.starts_with(".")) return true;
  return contains(p, "@") && !p.ends_with("@latest") && !p.ends_with("@none");
}

std::vector<Finding> check(const Context& ctx, std::string_view id) {
  std::vector<Finding> out;
  for (const auto& run : run_steps(ctx))
    for (const auto& c : run.step.commands) {
      if (c.name() != "go") continue;
      auto ops = c.operands({"-o", "-C", "-tags", "-ldflags", "-gcflags", "-mod", "-p"});
      if (ops.empty()) continue;
      const std::string sub = ops.front()->value;
      std::vector<const model::ShellWord*> loose;
      if (sub == "run") {
        if (ops.size() > 1 && ops[1]->literal && !pinned(ops[1]->value) && !ops[1]->value.ends_with(".go")) loose.push_back(ops[1]);
      } else if (sub == "install" || sub == "get") {
        for (size_t i = 1; i < ops.size(); ++i)
          if (ops[i]->literal && ops[i]->value != "tool" && !pinned(ops[i]->value)) loose.push_back(ops[i]);
      }
      if (loose.empty()) continue;
      out.push_back(make_finding(ctx.file, id, "go " + sub + " without a version: pin " + join_values(loose) + " (module@version)",
                                 c.program_word()->span));
    }
  return out;
}

constexpr std::array<std::string_view, 1> kAliases{"DL3062"};
constexpr RuleInfo kInfo{
    .id = "go-pin-versions",
    .title = "go install or go run of a module without a version",
    .aliases = kAliases,
    .severity = Severity::Warning,
    .fix = FixAvailability::Never,
    .applicability = Applicability::Safe,
    .commit_phrase = "pin go modules",
    .why = "`go install pkg` without @version takes whatever is newest; `@latest` says the same.",
    .make = make_rule<rules::go_pin_versions, check>,
    .page = pages::go_pin_versions,
};

}  // namespace

DOCKERFIX_RULE_INFO(go_pin_versions)

}  // namespace dockerfix::fix
