// useradd-no-log-init (hadolint DL3046): useradd with a large uid and without -l
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
std::string_view useradd_no_log_init();  // README.md beside this file, compiled in
}
namespace rules {
const RuleInfo& useradd_no_log_init();
}

namespace {

std::vector<Finding> check(const Context& ctx, std::string_view id) {
  std::vector<Finding> out;
  for (const auto& run : run_steps(ctx))
    for (const auto& c : run.step.commands) {
      if (c.name() != "useradd" || c.has_any_flag({"-l", "--no-log-init"})) continue;
      auto uid = c.flag_value("-u");
      if (!uid) uid = c.flag_value("--uid");
      if (!uid || uid->size() <= 5) continue;
      Finding fd = make_finding(ctx.file, id, "useradd -u " + *uid + " without -l fills /var/log/lastlog in the layer: add -l",
                                c.program_word()->span);
      fd.fix.push_back({c.insert_after(0), " -l"});
      out.push_back(std::move(fd));
    }
  return out;
}

constexpr std::array<std::string_view, 1> kAliases{"DL3046"};
constexpr RuleInfo kInfo{
    .id = "useradd-no-log-init",
    .title = "useradd with a large uid and without -l",
    .aliases = kAliases,
    .severity = Severity::Warning,
    .fix = FixAvailability::Sometimes,
    .applicability = Applicability::Safe,
    .commit_phrase = "create users without lastlog entries",
    .why = "useradd records a large uid in the sparse /var/log/lastlog and faillog, which layers store in full: gigabytes.",
    .make = make_rule<rules::useradd_no_log_init, check>,
    .page = pages::useradd_no_log_init,
};

}  // namespace

DOCKERFIX_RULE_INFO(useradd_no_log_init)

}  // namespace dockerfix::fix
