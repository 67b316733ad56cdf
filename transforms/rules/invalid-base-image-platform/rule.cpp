// invalid-base-image-platform (BuildKit's InvalidBaseImagePlatform): the base image's platform is not the one the stage builds for.
#include <array>
#include <fmt/format.h>
#include <map>
#include <optional>
#include "transforms/buildkit_support.h"
#include "transforms/rule_support.h"
#include "transforms/rules/rule_registration.h"

namespace dockerfix::fix {

namespace pages {
std::string_view invalid_base_image_platform();  // README.md beside this file, compiled in
}

namespace {

using namespace buildkit;

class InvalidBaseImagePlatform : public Rule {
 public:
  const RuleInfo& info() const override;
  std::vector<Finding> check(const Context& ctx) const override {
    const auto& f = ctx.file;
    const auto& build_args = ctx.options.model.build_args;
    const MetaArgs& meta = meta_args(ctx);
    std::vector<Finding> out;
    for (const auto& stage : ctx.model.stages) {
      if (stage.parent_stage || !stage.facts || stage.facts->platform.empty()) continue;
      const Instruction& ins = f.instructions[stage.from_instruction];
      auto expected = expected_platform(f, ins, meta, build_args);
      auto actual = parse_platform(stage.facts->platform);
      if (!expected || !actual) continue;
      if (expected->os == actual->os && expected->architecture == actual->architecture) continue;
      auto w = from_words(f, ins);
      Finding fd = make_finding(f, id(),
                                fmt::format("Base image {} was pulled with platform {}, expected {} for current build",
                                            w ? w->image : stage.base_text, go_quote(format(*actual)), go_quote(format(*expected))),
                                ins.keyword_span);
      fd.no_fix_reason = "a base image for the platform (or another platform for the stage) is the author's choice";
      out.push_back(std::move(fd));
    }
    return out;
  }

  // The platform the stage builds for: its --platform, else a TARGETPLATFORM
  // given with --build-arg. Predefined platform variables the command line
  // does not set are not known (they are the machine's that builds).
  static std::optional<Platform> expected_platform(const Dockerfile& f, const Instruction& ins, const MetaArgs& meta,
                                                   const std::map<std::string, std::string>& build_args) {
    std::optional<std::string> text;
    for (const auto& fl : ins.flags)
      if (fl.name == "platform" && fl.value) text = *fl.value;
    if (!text) {
      auto it = build_args.find("TARGETPLATFORM");
      if (it == build_args.end()) return std::nullopt;
      text = it->second;
    }
    auto e = process_word(*text, meta.values, f.escape);
    if (!e.ok || !e.unmatched.empty()) return std::nullopt;
    for (const auto& name : e.matched)
      if ((name.starts_with("BUILD") || name.starts_with("TARGET")) && !meta.declared.count(name) && !build_args.count(name))
        return std::nullopt;
    return parse_platform(e.result);
  }

  static std::string format(const Platform& p) {
    return p.os + "/" + p.architecture + (p.variant.empty() ? "" : "/" + p.variant);
  }
};

constexpr std::array<std::string_view, 1> kAliases{"InvalidBaseImagePlatform"};
constexpr RuleInfo kInfo{
    .id = "invalid-base-image-platform",
    .title = "the base image's platform is not the one the stage builds for",
    .aliases = kAliases,
    .severity = Severity::Warning,
    .fix = FixAvailability::Never,
    .applicability = Applicability::Safe,
    .run_shells = RunShells::None,
    .security_severity = {},
    .commit_phrase = "use a base image for the stage's platform",
    .why = "The base image exists only for another platform than the stage builds for, so the image would run under emulation or not at all.",
    .options = {},
    .make = []() -> std::unique_ptr<Rule> { return std::make_unique<InvalidBaseImagePlatform>(); },
    .page = pages::invalid_base_image_platform,
};

}  // namespace

DOCKERFIX_RULE_CLASS(InvalidBaseImagePlatform, invalid_base_image_platform)

}  // namespace dockerfix::fix
