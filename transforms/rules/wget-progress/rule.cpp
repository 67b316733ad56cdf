// wget-progress (hadolint DL3047): wget without --progress floods build logs
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
std::string_view wget_progress();  // README.md beside this file, compiled in
}
namespace rules {
const RuleInfo& wget_progress();
}

namespace {

std::vector<Finding> check(const Context& ctx, std::string_view id) {
  std::vector<Finding> out;
  for (const auto& run : run_steps(ctx)) {
    const auto& stage = ctx.model.stages[run.step.stage];
    for (const auto& c : run.step.commands) {
      if (c.name() != "wget") continue;
      if (c.has_any_flag({"--progress", "-q", "--quiet", "-o", "--output-file", "-a", "--append-output", "--no-verbose"}) ||
          has_arg(c, {"-nv"}))
        continue;
      Finding fd = make_finding(ctx.file, id, "wget without --progress floods the build log: add --progress=dot:giga",
                                c.program_word()->span);
      if (stage.facts && stage.facts->wget == "gnu") fd.fix.push_back({c.insert_after(0), " --progress=dot:giga"});
      else fd.no_fix_reason = "the image's wget is not known to be GNU wget";
      out.push_back(std::move(fd));
    }
  }
  return out;
}

constexpr std::array<std::string_view, 1> kAliases{"DL3047"};
constexpr RuleInfo kInfo{
    .id = "wget-progress",
    .title = "wget without --progress floods build logs",
    .aliases = kAliases,
    .severity = Severity::Info,
    .fix = FixAvailability::Sometimes,
    .applicability = Applicability::Safe,
    .commit_phrase = "quiet wget progress output",
    .why = "wget's default progress bar writes a line per chunk in a build log; large downloads produce megabytes of log.",
    .make = make_rule<rules::wget_progress, check>,
    .page = pages::wget_progress,
};

}  // namespace

DOCKERFIX_RULE_INFO(wget_progress)

}  // namespace dockerfix::fix
