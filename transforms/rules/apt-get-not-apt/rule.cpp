// apt-get-not-apt (hadolint DL3027): apt in RUN instead of apt-get
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
std::string_view apt_get_not_apt();  // README.md beside this file, compiled in
}
namespace rules {
const RuleInfo& apt_get_not_apt();
}

namespace {

std::vector<Finding> check(const Context& ctx, std::string_view id) {
  std::vector<Finding> out;
  for (const auto& run : run_steps(ctx))
    for (const auto& c : run.step.commands) {
      if (c.name() != "apt") continue;
      Finding fd = make_finding(ctx.file, id, "apt is meant for terminals: use apt-get (or apt-cache)", c.program_word()->span);
      auto sub = c.subcommand();
      static constexpr std::string_view kSame[] = {"install", "update", "upgrade", "remove", "purge", "autoremove"};
      if (c.program_word()->raw == "apt" && sub && std::find(std::begin(kSame), std::end(kSame), *sub) != std::end(kSame))
        fd.fix.push_back(replace_word(*c.program_word(), "apt-get"));
      else
        fd.no_fix_reason = "apt-get has no such subcommand, or the program is written as a path";
      out.push_back(std::move(fd));
    }
  return out;
}

constexpr std::array<std::string_view, 1> kAliases{"DL3027"};
constexpr RuleInfo kInfo{
    .id = "apt-get-not-apt",
    .title = "apt in RUN instead of apt-get",
    .aliases = kAliases,
    .severity = Severity::Warning,
    .fix = FixAvailability::Sometimes,
    .applicability = Applicability::Unsafe,
    .commit_phrase = "use apt-get in scripts",
    .why = "apt is for terminals; its output and behaviour may change between releases, apt-get's are stable for scripts.",
    .make = make_rule<rules::apt_get_not_apt, check>,
    .page = pages::apt_get_not_apt,
};

}  // namespace

DOCKERFIX_RULE_INFO(apt_get_not_apt)

}  // namespace dockerfix::fix
