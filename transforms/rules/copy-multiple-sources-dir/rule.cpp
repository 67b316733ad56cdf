// copy-multiple-sources-dir (hadolint DL3021): COPY of several sources to a destination without a trailing /
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
std::string_view copy_multiple_sources_dir();  // README.md beside this file, compiled in
}
namespace rules {
const RuleInfo& copy_multiple_sources_dir();
}

namespace {

std::vector<Finding> check(const Context& ctx, std::string_view id) {
  std::vector<Finding> out;
  const auto& f = ctx.file;
  for (const auto& ins : f.instructions) {
    if (ins.keyword != "COPY") continue;
    auto a = copy_args(ins, f.escape);
    if (!a || a->sources.size() < 2 || a->dest.ends_with("/") || contains(a->dest, "$")) continue;
    Finding fd = make_finding(f, id, "COPY of several sources needs a directory destination: " + a->dest + "/", ins.arguments_span);
    std::string_view args = f.text(ins.arguments_span);
    if (!ins.exec_form && args.ends_with(a->dest)) fd.fix.push_back({{ins.arguments_span.end, ins.arguments_span.end}, "/"});
    else fd.no_fix_reason = "the destination is quoted";
    out.push_back(std::move(fd));
  }
  return out;
}

constexpr std::array<std::string_view, 1> kAliases{"DL3021"};
constexpr RuleInfo kInfo{
    .id = "copy-multiple-sources-dir",
    .title = "COPY of several sources to a destination without a trailing /",
    .aliases = kAliases,
    .severity = Severity::Error,
    .fix = FixAvailability::Sometimes,
    .applicability = Applicability::Safe,
    .run_shells = RunShells::None,  // it reads no RUN commands
    .commit_phrase = "copy several sources into a directory",
    .why = "BuildKit refuses COPY of several sources unless the destination ends in /.",
    .make = make_rule<rules::copy_multiple_sources_dir, check>,
    .page = pages::copy_multiple_sources_dir,
};

}  // namespace

DOCKERFIX_RULE_INFO(copy_multiple_sources_dir)

}  // namespace dockerfix::fix
