// expose-port-range (hadolint DL3011): EXPOSE of a port outside 0-65535
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
std::string_view expose_port_range();  // README.md beside this file, compiled in
}
namespace rules {
const RuleInfo& expose_port_range();
}

namespace {

std::vector<Finding> check(const Context& ctx, std::string_view id) {
  std::vector<Finding> out;
  for (const auto& ins : ctx.file.instructions) {
    if (ins.keyword != "EXPOSE") continue;
    for (const auto& word : model::split_words(ins.arguments)) {
      std::string w = model::unquote(word);
      if (contains(w, "$")) continue;
      w = w.substr(0, w.find('/'));
      size_t start = 0;
      while (start <= w.size()) {
        size_t dash = w.find('-', start);
        std::string part = w.substr(start, dash == std::string::npos ? std::string::npos : dash - start);
        if (!part.empty() && part.size() <= 9 && std::all_of(part.begin(), part.end(), ::isdigit) && std::stoul(part) > 65535) {
          out.push_back(make_finding(ctx.file, id, "EXPOSE " + w + ": ports range from 0 to 65535", ins.arguments_span));
          break;
        }
        if (dash == std::string::npos) break;
        start = dash + 1;
      }
    }
  }
  return out;
}

constexpr std::array<std::string_view, 1> kAliases{"DL3011"};
constexpr RuleInfo kInfo{
    .id = "expose-port-range",
    .title = "EXPOSE of a port outside 0-65535",
    .aliases = kAliases,
    .severity = Severity::Error,
    .fix = FixAvailability::Never,
    .applicability = Applicability::Safe,
    .run_shells = RunShells::None,  // it reads no RUN commands
    .commit_phrase = "expose valid ports",
    .why = "Ports above 65535 do not exist; the EXPOSE is wrong.",
    .make = make_rule<rules::expose_port_range, check>,
    .page = pages::expose_port_range,
};

}  // namespace

DOCKERFIX_RULE_INFO(expose_port_range)

}  // namespace dockerfix::fix
