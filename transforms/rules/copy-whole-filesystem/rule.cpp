// copy-whole-filesystem (hadolint DL3067): COPY --from of a stage's whole filesystem
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
std::string_view copy_whole_filesystem();  // README.md beside this file, compiled in
}
namespace rules {
const RuleInfo& copy_whole_filesystem();
}

namespace {

std::vector<Finding> check(const Context& ctx, std::string_view id) {
  std::vector<Finding> out;
  for (const auto& ins : ctx.file.instructions) {
    if (ins.keyword != "COPY" || !flag(ins, "from")) continue;
    auto a = copy_args(ins, ctx.file.escape);
    if (!a || a->dest != "/" || std::none_of(a->sources.begin(), a->sources.end(), [](const std::string& s) { return s == "/"; }))
      continue;
    out.push_back(make_finding(ctx.file, id, "COPY --from of / to /: copy only the paths the image needs", ins.arguments_span));
  }
  return out;
}

constexpr std::array<std::string_view, 1> kAliases{"DL3067"};
constexpr RuleInfo kInfo{
    .id = "copy-whole-filesystem",
    .title = "COPY --from of a stage's whole filesystem",
    .aliases = kAliases,
    .severity = Severity::Warning,
    .fix = FixAvailability::Never,
    .applicability = Applicability::Safe,
    .run_shells = RunShells::None,  // it reads no RUN commands
    .commit_phrase = "copy only what the image needs",
    .why = "Copying / from another stage brings its whole filesystem along, build tools and caches included.",
    .make = make_rule<rules::copy_whole_filesystem, check>,
    .page = pages::copy_whole_filesystem,
};

}  // namespace

DOCKERFIX_RULE_INFO(copy_whole_filesystem)

}  // namespace dockerfix::fix
