// expose-proto-casing (BuildKit's ExposeProtoCasing): an EXPOSE port's protocol is not lowercase.
#include <array>
#include <fmt/format.h>
#include <optional>
#include "transforms/buildkit_support.h"
#include "transforms/rule_support.h"
#include "transforms/rules/rule_registration.h"

namespace dockerfix::fix {

namespace pages {
std::string_view expose_proto_casing();  // README.md beside this file, compiled in
}

namespace {

using namespace buildkit;

class ExposeProtoCasing : public Rule {
 public:
  const RuleInfo& info() const override;
  std::vector<Finding> check(const Context& ctx) const override {
    const auto& f = ctx.file;
    std::vector<Finding> out;
    for (size_t i = 0; i < f.instructions.size(); ++i) {
      if (f.instructions[i].keyword != "EXPOSE") continue;
      for (const ExposedPort& p : exposed_ports(ctx, i)) {
        if (!p.valid || p.proto == lower(p.proto)) continue;
        Finding fd = make_finding(f, id(), fmt::format("Defined protocol '{}' in EXPOSE instruction should be lowercase", p.raw),
                                  f.instructions[i].keyword_span);
        fd.check_comments_of = i;
        if (!p.proto_span.empty()) fd.fix.push_back({p.proto_span, lower(p.proto)});
        else fd.no_fix_reason = "the port is written with variables";
        out.push_back(std::move(fd));
      }
    }
    return out;
  }
};

constexpr std::array<std::string_view, 1> kAliases{"ExposeProtoCasing"};
constexpr RuleInfo kInfo{
    .id = "expose-proto-casing",
    .title = "an EXPOSE port's protocol is not lowercase",
    .aliases = kAliases,
    .severity = Severity::Warning,
    .fix = FixAvailability::Sometimes,
    .applicability = Applicability::Safe,
    .run_shells = RunShells::None,
    .security_severity = {},
    .commit_phrase = "lowercase EXPOSE protocols",
    .why = "EXPOSE protocols are now lowercase, as BuildKit's ExposeProtoCasing check asks.",
    .options = {},
    .make = []() -> std::unique_ptr<Rule> { return std::make_unique<ExposeProtoCasing>(); },
    .page = pages::expose_proto_casing,
};

}  // namespace

DOCKERFIX_RULE_CLASS(ExposeProtoCasing, expose_proto_casing)

}  // namespace dockerfix::fix
