// copy-relative-without-workdir (hadolint DL3045): COPY to a relative destination before any WORKDIR
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
std::string_view copy_relative_without_workdir();  // README.md beside this file, compiled in
}
namespace rules {
const RuleInfo& copy_relative_without_workdir();
}

namespace {

std::vector<Finding> check(const Context& ctx, std::string_view id) {
  std::vector<Finding> out;
  std::vector<bool> has_workdir(ctx.model.stages.size(), false);
  for (const auto& stage : ctx.model.stages) {
    bool set = false;
    for (size_t s : stage_chain(ctx.model, stage.index)) set = set || (s != stage.index && has_workdir[s]);
    for (size_t si : stage.steps) {
      const auto& ins = ctx.file.instructions[ctx.model.steps[si].instruction];
      if (ins.keyword == "WORKDIR") set = has_workdir[stage.index] = true;
      if (ins.keyword != "COPY" || set) continue;
      auto a = copy_args(ins, ctx.file.escape);
      if (!a) continue;
      const std::string& d = a->dest;
      if (d.starts_with("/") || d.starts_with("$") || (d.size() > 1 && std::isalpha(static_cast<unsigned char>(d[0])) && d[1] == ':'))
        continue;
      out.push_back(make_finding(ctx.file, id, "COPY to " + d + " with no WORKDIR set: use an absolute path or set WORKDIR",
                                 ins.keyword_span));
    }
  }
  return out;
}

constexpr std::array<std::string_view, 1> kAliases{"DL3045"};
constexpr RuleInfo kInfo{
    .id = "copy-relative-without-workdir",
    .title = "COPY to a relative destination before any WORKDIR",
    .aliases = kAliases,
    .severity = Severity::Warning,
    .fix = FixAvailability::Never,
    .applicability = Applicability::Safe,
    .run_shells = RunShells::None,  // it reads no RUN commands
    .commit_phrase = "copy to absolute paths",
    .why = "A relative COPY destination depends on the base image's WORKDIR, which can change.",
    .make = make_rule<rules::copy_relative_without_workdir, check>,
    .page = pages::copy_relative_without_workdir,
};

}  // namespace

DOCKERFIX_RULE_INFO(copy_relative_without_workdir)

}  // namespace dockerfix::fix
