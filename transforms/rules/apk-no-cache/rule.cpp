// apk-no-cache (hadolint DL3019): apk add without --no-cache
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
std::string_view apk_no_cache();  // README.md beside this file, compiled in
}
namespace rules {
const RuleInfo& apk_no_cache();
}

namespace {

std::vector<Finding> check(const Context& ctx, std::string_view id) {
  std::vector<Finding> out;
  for (const auto& run : run_steps(ctx))
    for (const auto& c : run.step.commands) {
      if (!runs(c, {"apk"}, {"add"}) || c.has_flag("--no-cache") || cache_mount(run.ins, "/var/cache/apk")) continue;
      Finding fd = make_finding(ctx.file, id, "apk add keeps its index in the layer: add --no-cache", c.program_word()->span);
      fd.fix.push_back({c.insert_after(*arg_index(c, "add")), " --no-cache"});
      out.push_back(std::move(fd));
    }
  return out;
}

constexpr std::array<std::string_view, 1> kAliases{"DL3019"};
constexpr RuleInfo kInfo{
    .id = "apk-no-cache",
    .title = "apk add without --no-cache",
    .aliases = kAliases,
    .severity = Severity::Info,
    .fix = FixAvailability::Sometimes,
    .applicability = Applicability::Safe,
    .commit_phrase = "install apk packages without a cache",
    .why = "apk keeps its package index in /var/cache/apk unless told not to; --no-cache keeps it out of the layer.",
    .make = make_rule<rules::apk_no_cache, check>,
    .page = pages::apk_no_cache,
};

}  // namespace

DOCKERFIX_RULE_INFO(apk_no_cache)

}  // namespace dockerfix::fix
