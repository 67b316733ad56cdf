// yum-pin-versions (hadolint DL3033): yum install without package versions
#include <algorithm>
#include <array>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "model/words.h"
#include "transforms/rule_support.h"
#include "transforms/rules/rule_queries.h"
#include "transforms/rules/simple_rule.h"

namespace dockerfix::fix {

namespace pages {
std::string_view yum_pin_versions();  // README.md beside this file, compiled in
}
namespace rules {
const RuleInfo& yum_pin_versions();
}

namespace {

std::string join_values(const std::vector<const model::ShellWord*>& ws) {
  std::string out;
  for (const auto* w : ws) out += (out.empty() ? "" : ", ") + w->value;
  return out;
}
// `name-1.2.3`, `name-1.2-3.el9`: what follows the first dash looks like a version.
bool rpm_pinned(const std::string& p) {
  if (p.ends_with(".rpm")) return true;
  auto dash = p.find('-');
  if (dash == std::string::npos) return false;
  bool digit = false;
  size_t start = dash + 1;
  while (start <= p.size()) {
    size_t next = p.find('-', start);
    std::string_view part = std::string_view(p).substr(start, next == std::string::npos ? std::string::npos : next - start);
    if (part.empty()) return false;
    for (char ch : part)
      if (!std::isalnum(static_cast<unsigned char>(ch)) && std::string_view(".~^_:+").find(ch) == std::string_view::npos) return false;
    digit = digit || std::isdigit(static_cast<unsigned char>(part.front()));
    if (next == std::string::npos) break;
    start = next + 1;
  }
  return digit;
}

std::vector<Finding> check(const Context& ctx, std::string_view id) {
  std::vector<Finding> out;
  for (const auto& run : run_steps(ctx))
    for (const auto& c : run.step.commands) {
      if (!runs(c, {"yum"}, {"install"}) || has_arg(c, {"group", "groupinstall"})) continue;
      const bool module = has_arg(c, {"module"});
      std::vector<const model::ShellWord*> loose;
      for (const auto* w : operands_after(c, {"install"}, {"--releasever", "--repo", "--enablerepo", "--disablerepo", "--setopt", "--installroot", "-c", "--config", "--exclude", "-x"})) {
        if (!w->literal || w->value == "module") continue;
        if (module ? !contains(w->value, ":") : !rpm_pinned(w->value)) loose.push_back(w);
      }
      if (loose.empty()) continue;
      out.push_back(make_finding(ctx.file, id, c.name() + " install without versions: pin " + join_values(loose) + " (package-version)",
                                 c.program_word()->span));
    }
  return out;
}

constexpr std::array<std::string_view, 1> kAliases{"DL3033"};
constexpr RuleInfo kInfo{
    .id = "yum-pin-versions",
    .title = "yum install without package versions",
    .aliases = kAliases,
    .severity = Severity::Warning,
    .fix = FixAvailability::Never,
    .applicability = Applicability::Safe,
    .commit_phrase = "pin yum packages",
    .why = "Unpinned packages install the repository's current version on the day of the build.",
    .make = make_rule<rules::yum_pin_versions, check>,
    .page = pages::yum_pin_versions,
};

}  // namespace

namespace rules {
const RuleInfo& yum_pin_versions() { return kInfo; }
}  // namespace rules

}  // namespace dockerfix::fix
