// wget-or-curl (hadolint DL4001): both wget and curl used in one stage
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
std::string_view wget_or_curl();  // README.md beside this file, compiled in
}
namespace rules {
const RuleInfo& wget_or_curl();
}

namespace {

std::vector<Finding> check(const Context& ctx, std::string_view id) {
  std::vector<Finding> out;
  for (const auto& stage : ctx.model.stages) {
    bool wget = false, curl = false, reported = false;
    for (size_t si : stage.steps) {
      const auto& step = ctx.model.steps[si];
      const model::RunCommand* second = nullptr;
      for (const auto& c : step.commands) {
        const std::string n(c.name());
        if (n != "wget" && n != "curl") continue;
        bool& seen = n == "wget" ? wget : curl;
        bool& other = n == "wget" ? curl : wget;
        if (other && !seen && !second) second = &c;
        seen = true;
      }
      if (second && !reported) {
        reported = true;
        out.push_back(make_finding(ctx.file, id, "this stage uses both wget and curl: use one", second->program_word()->span));
      }
    }
  }
  return out;
}

constexpr std::array<std::string_view, 1> kAliases{"DL4001"};
constexpr RuleInfo kInfo{
    .id = "wget-or-curl",
    .title = "both wget and curl used in one stage",
    .aliases = kAliases,
    .severity = Severity::Warning,
    .fix = FixAvailability::Never,
    .applicability = Applicability::Safe,
    .commit_phrase = "use one download tool",
    .why = "Two download tools in one image mean two tools to install, patch and reason about.",
    .make = make_rule<rules::wget_or_curl, check>,
    .page = pages::wget_or_curl,
};

}  // namespace

DOCKERFIX_RULE_INFO(wget_or_curl)

}  // namespace dockerfix::fix
