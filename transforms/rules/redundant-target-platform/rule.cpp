// redundant-target-platform (BuildKit's RedundantTargetPlatform): FROM --platform=$TARGETPLATFORM is the default.
#include <array>
#include <fmt/format.h>
#include <set>
#include "transforms/buildkit_support.h"
#include "transforms/rule_support.h"
#include "transforms/rules/rule_registration.h"

namespace dockerfix::fix {

namespace pages {
std::string_view redundant_target_platform();  // README.md beside this file, compiled in
}

namespace {

using namespace buildkit;

class RedundantTargetPlatform : public Rule {
 public:
  const RuleInfo& info() const override;
  std::vector<Finding> check(const Context& ctx) const override {
    const auto& f = ctx.file;
    const auto& build_args = ctx.options.model.build_args;
    const MetaArgs& meta = meta_args(ctx);
    std::vector<Finding> out;
    for (size_t i = 0; i < f.instructions.size(); ++i) {
      const auto& ins = f.instructions[i];
      if (ins.keyword != "FROM") continue;
      for (const auto& fl : ins.flags) {
        if (fl.name != "platform" || !fl.value) continue;
        auto e = process_word(*fl.value, meta.values, f.escape);
        if (e.matched != std::set<std::string>{"TARGETPLATFORM"} || !e.unmatched.empty()) continue;
        if (e.result != meta.values.at("TARGETPLATFORM")) continue;
        Finding fd = make_finding(
            f, id(),
            fmt::format("Setting platform to predefined {} in FROM is redundant as this is the default behavior", *fl.value),
            on_first_line(f, ins, fl.span));
        fd.check_comments_of = i;
        // A TARGETPLATFORM of the Dockerfile's or the command line's is no
        // longer the platform FROM pulls by default.
        if (meta.declared.count("TARGETPLATFORM") || build_args.count("TARGETPLATFORM")) {
          fd.no_fix_reason = "TARGETPLATFORM is set by an ARG or --build-arg, so it is not the default platform";
        } else {
          uint32_t end = fl.span.end;
          while (end < f.source.size() && (f.source[end] == ' ' || f.source[end] == '\t')) ++end;
          fd.fix.push_back({{fl.span.begin, end}, ""});
        }
        out.push_back(std::move(fd));
      }
    }
    return out;
  }
};

// hadolint DL3065 is the same check.
constexpr std::array<std::string_view, 2> kAliases{"RedundantTargetPlatform", "DL3065"};
constexpr RuleInfo kInfo{
    .id = "redundant-target-platform",
    .title = "FROM --platform=$TARGETPLATFORM is the default",
    .aliases = kAliases,
    .severity = Severity::Warning,
    .fix = FixAvailability::Sometimes,
    .applicability = Applicability::Safe,
    .run_shells = RunShells::None,
    .security_severity = {},
    .commit_phrase = "drop --platform=$TARGETPLATFORM from FROM",
    .why = "FROM already pulls the target platform; --platform=$TARGETPLATFORM only repeated it.",
    .options = {},
    .make = []() -> std::unique_ptr<Rule> { return std::make_unique<RedundantTargetPlatform>(); },
    .page = pages::redundant_target_platform,
};

}  // namespace

DOCKERFIX_RULE_CLASS(RedundantTargetPlatform, redundant_target_platform)

}  // namespace dockerfix::fix
