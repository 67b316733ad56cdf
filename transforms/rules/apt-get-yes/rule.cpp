// apt-get-yes (hadolint DL3014): apt-get install without -y
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
std::string_view apt_get_yes();  // README.md beside this file, compiled in
}
namespace rules {
const RuleInfo& apt_get_yes();
}

namespace {

std::vector<Finding> check(const Context& ctx, std::string_view id) {
  std::vector<Finding> out;
  for (const auto& run : run_steps(ctx))
    for (const auto& c : run.step.commands) {
      if (!runs(c, {"apt-get"}, {"install"})) continue;
      if (c.has_any_flag({"-y", "--yes", "--assume-yes"}) || has_arg(c, {"-qq", "-q=2", "--quiet=2"})) continue;
      int quiet = 0;
      for (size_t i = c.program + 1; i < c.words.size(); ++i) quiet += c.words[i].value == "-q" || c.words[i].value == "--quiet";
      if (quiet >= 2) continue;
      Finding fd = make_finding(ctx.file, id, "apt-get install without -y aborts at its prompt: add -y", c.program_word()->span);
      fd.fix.push_back({c.insert_after(0), " -y"});
      out.push_back(std::move(fd));
    }
  return out;
}

constexpr std::array<std::string_view, 1> kAliases{"DL3014"};
constexpr RuleInfo kInfo{
    .id = "apt-get-yes",
    .title = "apt-get install without -y",
    .aliases = kAliases,
    .severity = Severity::Warning,
    .fix = FixAvailability::Sometimes,
    .applicability = Applicability::Safe,
    .commit_phrase = "answer apt-get install prompts",
    .why = "Without -y, apt-get install asks for confirmation, which a build cannot give: it aborts.",
    .make = make_rule<rules::apt_get_yes, check>,
    .page = pages::apt_get_yes,
};

}  // namespace

DOCKERFIX_RULE_INFO(apt_get_yes)

}  // namespace dockerfix::fix
