// env-self-reference (hadolint DL3044): ENV refers to a variable the same ENV defines
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
std::string_view env_self_reference();  // README.md beside this file, compiled in
}
namespace rules {
const RuleInfo& env_self_reference();
}

namespace {

bool refers_to(const std::string& value, const std::string& var) {
  if (contains(value, "${" + var + "}") || contains(value, "${" + var + ":")) return true;
  for (size_t at = value.find("$" + var); at != std::string::npos; at = value.find("$" + var, at + 1)) {
    size_t end = at + 1 + var.size();
    if (end >= value.size() || !(std::isalnum(static_cast<unsigned char>(value[end])) || value[end] == '_')) return true;
  }
  return false;
}

std::vector<Finding> check(const Context& ctx, std::string_view id) {
  std::vector<Finding> out;
  // A value refers to a variable with a `$`: without one in any ENV there is nothing to find.
  const auto& all = ctx.file.instructions;
  if (std::none_of(all.begin(), all.end(), [](const Instruction& ins) {
        return ins.keyword == "ENV" && ins.arguments.find('$') != std::string::npos;
      }))
    return out;
  std::set<std::string> known;
  for (const auto& ins : ctx.file.instructions) {
    if (ins.keyword == "ARG") {
      for (const auto& [k, v] : key_value_pairs(ins, ctx.file.escape)) known.insert(k);
      continue;
    }
    if (ins.keyword != "ENV") continue;
    auto pairs = key_value_pairs(ins, ctx.file.escape);
    // A reference needs another pair and a `$` in its value.
    const bool may_refer = pairs.size() > 1 && std::any_of(pairs.begin(), pairs.end(), [](const auto& p) {
                             return p.second.find('$') != std::string::npos;
                           });
    for (size_t i = 0; may_refer && i < pairs.size(); ++i) {
      if (known.count(pairs[i].first)) continue;
      bool used = false;
      for (size_t j = 0; j < pairs.size(); ++j) used = used || (j != i && refers_to(pairs[j].second, pairs[i].first));
      if (used) {
        out.push_back(make_finding(ctx.file, id, "ENV uses $" + pairs[i].first + " in the same ENV that sets it: split the ENV",
                                   ins.arguments_span));
        break;
      }
    }
    for (const auto& [k, v] : pairs) known.insert(k);
  }
  return out;
}

constexpr std::array<std::string_view, 1> kAliases{"DL3044"};
constexpr RuleInfo kInfo{
    .id = "env-self-reference",
    .title = "ENV refers to a variable the same ENV defines",
    .aliases = kAliases,
    .severity = Severity::Error,
    .fix = FixAvailability::Never,
    .applicability = Applicability::Safe,
    .run_shells = RunShells::None,  // it reads no RUN commands
    .commit_phrase = "define variables before using them",
    .why = "Within one ENV, values see the variables as they were before it, not the ones it sets.",
    .make = make_rule<rules::env_self_reference, check>,
    .page = pages::env_self_reference,
};

}  // namespace

DOCKERFIX_RULE_INFO(env_self_reference)

}  // namespace dockerfix::fix
