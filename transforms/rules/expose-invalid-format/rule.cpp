// expose-invalid-format (BuildKit's ExposeInvalidFormat): EXPOSE gives an IP address or a host port.
#include <array>
#include <fmt/format.h>
#include <optional>
#include "transforms/buildkit_support.h"
#include "transforms/rule_support.h"
#include "transforms/rules/rule_registration.h"

namespace dockerfix::fix {

namespace pages {
std::string_view expose_invalid_format();  // README.md beside this file, compiled in
}

namespace {

using namespace buildkit;

class ExposeInvalidFormat : public Rule {
 public:
  const RuleInfo& info() const override;
  std::vector<Finding> check(const Context& ctx) const override {
    const auto& f = ctx.file;
    std::vector<Finding> out;
    for (size_t i = 0; i < f.instructions.size(); ++i) {
      if (f.instructions[i].keyword != "EXPOSE") continue;
      for (const ExposedPort& p : exposed_ports(ctx, i)) {
        if (!p.valid || (p.ip.empty() && p.host.empty())) continue;
        Finding fd = make_finding(
            f, id(), fmt::format("EXPOSE instruction should not define an IP address or host-port mapping, found '{}'", p.raw),
            f.instructions[i].keyword_span);
        fd.check_comments_of = i;
        fd.no_fix_reason = "publishing a host port belongs in docker run -p or compose, not the image";
        out.push_back(std::move(fd));
      }
    }
    return out;
  }
};

constexpr std::array<std::string_view, 1> kAliases{"ExposeInvalidFormat"};
constexpr RuleInfo kInfo{
    .id = "expose-invalid-format",
    .title = "EXPOSE gives an IP address or a host port",
    .aliases = kAliases,
    .severity = Severity::Warning,
    .fix = FixAvailability::Never,
    .applicability = Applicability::Safe,
    .run_shells = RunShells::None,
    .security_severity = {},
    .commit_phrase = "drop host mappings from EXPOSE",
    .why = "EXPOSE declares the container port only; an IP address or host port in it is ignored and will be an error.",
    .options = {},
    .make = []() -> std::unique_ptr<Rule> { return std::make_unique<ExposeInvalidFormat>(); },
    .page = pages::expose_invalid_format,
};

}  // namespace

DOCKERFIX_RULE_CLASS(ExposeInvalidFormat, expose_invalid_format)

}  // namespace dockerfix::fix
