// from-platform-flag-const-disallowed (BuildKit's FromPlatformFlagConstDisallowed): FROM --platform is a constant.
#include <array>
#include <fmt/format.h>

#include "transforms/buildkit_support.h"
#include "transforms/rule_support.h"
#include "transforms/rules/rule_registration.h"

namespace dockerfix::fix {

namespace pages {
std::string_view from_platform_flag_const_disallowed();  // README.md beside this file, compiled in
}

namespace {

using namespace buildkit;

class FromPlatformFlagConstDisallowed : public Rule {
 public:
  const RuleInfo& info() const override;
  std::vector<Finding> check(const Context& ctx) const override {
    const auto& f = ctx.file;
    const MetaArgs& meta = meta_args(ctx);
    std::vector<Finding> out;
    for (size_t i = 0; i < f.instructions.size(); ++i) {
      const auto& ins = f.instructions[i];
      auto w = from_words(f, ins);
      if (!w) continue;
      for (const auto& fl : ins.flags) {
        if (fl.name != "platform" || !fl.value) continue;
        auto e = process_word(*fl.value, meta.values, f.escape);
        if (!e.ok || !e.matched.empty() || !e.unmatched.empty()) continue;  // a variable: not a constant
        auto p = parse_platform(e.result);
        if (!p) continue;  // BuildKit fails on it later
        // A stage named for its platform (`AS build-arm64`) is meant to be pinned.
        const std::string name = w->has_name ? lower(w->name) : "";
        if (name.find(p->os) != std::string::npos || name.find(p->architecture) != std::string::npos) continue;
        Finding fd = make_finding(f, id(), fmt::format("FROM --platform flag should not use constant value {}", go_quote(e.result)),
                                  on_first_line(f, ins, fl.span));
        fd.check_comments_of = i;
        fd.no_fix_reason = "whether the stage should follow $BUILDPLATFORM or $TARGETPLATFORM is the author's choice";
        out.push_back(std::move(fd));
      }
    }
    return out;
  }
};

constexpr std::array<std::string_view, 1> kAliases{"FromPlatformFlagConstDisallowed"};
constexpr RuleInfo kInfo{
    .id = "from-platform-flag-const-disallowed",
    .title = "FROM --platform is a constant",
    .aliases = kAliases,
    .severity = Severity::Warning,
    .fix = FixAvailability::Never,
    .applicability = Applicability::Safe,
    .run_shells = RunShells::None,
    .security_severity = {},
    .commit_phrase = "use a platform variable in FROM --platform",
    .why = "A constant FROM --platform pins a stage to one platform, which breaks multi-platform builds.",
    .options = {},
    .make = []() -> std::unique_ptr<Rule> { return std::make_unique<FromPlatformFlagConstDisallowed>(); },
    .page = pages::from_platform_flag_const_disallowed,
};

}  // namespace

DOCKERFIX_RULE_CLASS(FromPlatformFlagConstDisallowed, from_platform_flag_const_disallowed)

}  // namespace dockerfix::fix
