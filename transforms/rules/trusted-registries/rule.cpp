// trusted-registries (hadolint DL3026): FROM or COPY --from an image of a registry the config does not trust
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
std::string_view trusted_registries();  // README.md beside this file, compiled in
}
namespace rules {
const RuleInfo& trusted_registries();
}

namespace {

bool matches(std::string_view pattern, std::string_view registry) {
  if (pattern == "*") return true;
  if (pattern.starts_with("*")) return registry.ends_with(pattern.substr(1));
  if (pattern.ends_with("*")) return registry.starts_with(pattern.substr(0, pattern.size() - 1));
  return pattern == registry;
}

bool trusted(const std::vector<std::string>& allowed, const std::string& ref) {
  if (lower(ref) == "scratch") return true;
  auto img = model::parse_image_ref(ref);
  if (!img.valid) return true;
  auto ok = [&](std::string_view reg) {
    return std::any_of(allowed.begin(), allowed.end(), [&](const std::string& p) { return matches(p, reg); });
  };
  // An image without a registry is Docker Hub's, under either of its names.
  bool written = ref.find('/') != std::string::npos && (contains(ref.substr(0, ref.find('/')), ".") || contains(ref.substr(0, ref.find('/')), ":") || ref.substr(0, ref.find('/')) == "localhost");
  if (!written) return ok("docker.io") || ok("hub.docker.com");
  return ok(img.registry);
}

std::vector<Finding> check(const Context& ctx, std::string_view id) {
  std::vector<Finding> out;
  const auto& allowed = ctx.options.trusted_registries;
  if (allowed.empty()) return out;
  auto stage_named = [&](const std::string& v) {
    for (const auto& s : ctx.model.stages)
      if (!s.name.empty() && s.name == lower(v)) return true;
    return std::all_of(v.begin(), v.end(), ::isdigit);
  };
  for (const auto& s : ctx.model.stages) {
    if (s.parent_stage || contains(s.base_text, "$") || trusted(allowed, s.base.raw.empty() ? s.base_text : s.base.raw)) continue;
    const auto& ins = ctx.file.instructions[s.from_instruction];
    out.push_back(make_finding(ctx.file, id, "FROM " + s.base_text + ": not from a trusted registry", ins.arguments_span));
  }
  for (const auto& step : ctx.model.steps) {
    const auto& ins = ctx.file.instructions[step.instruction];
    const Flag* from = ins.keyword == "COPY" ? flag(ins, "from") : nullptr;
    if (from && from->value && !contains(*from->value, "$") && !stage_named(*from->value) && !trusted(allowed, *from->value))
      out.push_back(make_finding(ctx.file, id, "COPY --from=" + *from->value + ": not from a trusted registry", from->span));
  }
  return out;
}

constexpr std::array<std::string_view, 1> kAliases{"DL3026"};
constexpr RuleInfo kInfo{
    .id = "trusted-registries",
    .title = "FROM or COPY --from an image of a registry the config does not trust",
    .aliases = kAliases,
    .severity = Severity::Error,
    .fix = FixAvailability::Never,
    .applicability = Applicability::Safe,
    .run_shells = RunShells::None,  // it reads no RUN commands
    .commit_phrase = "use images of trusted registries",
    .why = "The project allows images only from the registries its config lists.",
    .make = make_rule<rules::trusted_registries, check>,
    .page = pages::trusted_registries,
};

}  // namespace

DOCKERFIX_RULE_INFO(trusted_registries)

}  // namespace dockerfix::fix
