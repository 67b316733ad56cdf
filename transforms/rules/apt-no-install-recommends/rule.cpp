// apt-no-install-recommends (hadolint DL3015): apt-get install without --no-install-recommends
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
std::string_view apt_no_install_recommends();  // README.md beside this file, compiled in
}
namespace rules {
const RuleInfo& apt_no_install_recommends();
}

namespace {

std::vector<Finding> check(const Context& ctx, std::string_view id) {
  std::vector<Finding> out;
  for (const auto& run : run_steps(ctx))
    for (const auto& c : run.step.commands) {
      if (!runs(c, {"apt-get"}, {"install"}) || c.has_flag("--no-install-recommends")) continue;
      bool off = false;
      for (const auto& w : c.words) off = off || contains(w.value, "Install-Recommends=false") || contains(w.value, "Install-Recommends=0") || contains(w.value, "Install-Recommends=no");
      if (off) continue;
      Finding fd = make_finding(ctx.file, id, "apt-get install also installs recommended packages: add --no-install-recommends",
                                c.program_word()->span);
      fd.fix.push_back({c.insert_after(*arg_index(c, "install")), " --no-install-recommends"});
      out.push_back(std::move(fd));
    }
  return out;
}

constexpr std::array<std::string_view, 1> kAliases{"DL3015"};
constexpr RuleInfo kInfo{
    .id = "apt-no-install-recommends",
    .title = "apt-get install without --no-install-recommends",
    .aliases = kAliases,
    .severity = Severity::Info,
    .fix = FixAvailability::Sometimes,
    .applicability = Applicability::Unsafe,
    .commit_phrase = "install apt packages without recommends",
    .why = "Recommended packages are often large and rarely needed in an image.",
    .make = make_rule<rules::apt_no_install_recommends, check>,
    .page = pages::apt_no_install_recommends,
};

}  // namespace

DOCKERFIX_RULE_INFO(apt_no_install_recommends)

}  // namespace dockerfix::fix
