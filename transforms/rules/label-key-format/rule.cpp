// label-key-format (hadolint DL3048): LABEL key that is not a valid label key
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
#include "transforms/rules/label_checks.h"

namespace dockerfix::fix {

namespace pages {
std::string_view label_key_format();  // README.md beside this file, compiled in
}
namespace rules {
const RuleInfo& label_key_format();
}

namespace {

bool valid_key(const std::string& k) {
  if (k.empty() || !(k.front() >= 'a' && k.front() <= 'z')) return false;
  char last = k.back();
  if (!((last >= 'a' && last <= 'z') || (last >= '0' && last <= '9'))) return false;
  for (char c : k)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_' || c == '/')) return false;
  if (contains(k, "..") || contains(k, "--")) return false;
  for (auto reserved : {"com.docker.", "io.docker.", "org.dockerproject."})
    if (k.starts_with(reserved)) return false;
  return true;
}

std::vector<Finding> check(const Context& ctx, std::string_view id) {
  std::vector<Finding> out;
  for (const auto& l : labels(ctx)) {
    if (contains(l.key, "$") || valid_key(l.key)) continue;
    out.push_back(make_finding(ctx.file, id, "label key " + l.key + " is not a valid label key (lower-case reverse-DNS)",
                               ctx.file.instructions[l.instruction].arguments_span));
  }
  return out;
}

constexpr std::array<std::string_view, 1> kAliases{"DL3048"};
constexpr RuleInfo kInfo{
    .id = "label-key-format",
    .title = "LABEL key that is not a valid label key",
    .aliases = kAliases,
    .severity = Severity::Style,
    .fix = FixAvailability::Never,
    .applicability = Applicability::Safe,
    .run_shells = RunShells::None,  // it reads no RUN commands
    .commit_phrase = "use valid label keys",
    .why = "Label keys should be lower-case reverse-DNS names outside Docker's reserved namespaces.",
    .make = make_rule<rules::label_key_format, check>,
    .page = pages::label_key_format,
};

}  // namespace

DOCKERFIX_RULE_INFO(label_key_format)

}  // namespace dockerfix::fix
