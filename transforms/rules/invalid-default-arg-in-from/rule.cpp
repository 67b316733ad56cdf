// invalid-default-arg-in-from (BuildKit's InvalidDefaultArgInFrom): FROM's image is empty or invalid with the ARGs' default values.
#include <array>
#include <fmt/format.h>

#include "transforms/buildkit_support.h"
#include "transforms/rule_support.h"
#include "transforms/rules/rule_registration.h"

namespace dockerfix::fix {

namespace pages {
std::string_view invalid_default_arg_in_from();  // README.md beside this file, compiled in
}

namespace {

using namespace buildkit;

class InvalidDefaultArgInFrom : public Rule {
 public:
  const RuleInfo& info() const override;
  std::vector<Finding> check(const Context& ctx) const override {
    const auto& f = ctx.file;
    // As BuildKit: the defaults only, no --build-arg.
    const MetaArgs& meta = meta_args(ctx, false);
    std::vector<Finding> out;
    if (!meta.ok) return out;
    for (const auto& ins : f.instructions) {
      auto w = from_words(f, ins);
      if (!w) continue;
      auto e = process_word(w->image, meta.values, f.escape);
      if (!e.ok) break;  // BuildKit stops checking here
      if (valid_image_reference(e.result)) continue;
      Finding fd = make_finding(f, id(),
                                fmt::format("Default value for ARG {} results in empty or invalid base image name", w->image),
                                on_first_line(f, ins, w->image_span));
      fd.no_fix_reason = "the default the author means is not known";
      out.push_back(std::move(fd));
    }
    return out;
  }
};

constexpr std::array<std::string_view, 1> kAliases{"InvalidDefaultArgInFrom"};
constexpr RuleInfo kInfo{
    .id = "invalid-default-arg-in-from",
    .title = "FROM's image is empty or invalid with the ARGs' default values",
    .aliases = kAliases,
    .severity = Severity::Warning,
    .fix = FixAvailability::Never,
    .applicability = Applicability::Safe,
    .run_shells = RunShells::None,
    .security_severity = {},
    .commit_phrase = "give FROM ARGs valid defaults",
    .why = "With its ARGs at their defaults the FROM named no valid image, so a build without --build-arg failed.",
    .options = {},
    .make = []() -> std::unique_ptr<Rule> { return std::make_unique<InvalidDefaultArgInFrom>(); },
    .page = pages::invalid_default_arg_in_from,
};

}  // namespace

DOCKERFIX_RULE_CLASS(InvalidDefaultArgInFrom, invalid_default_arg_in_from)

}  // namespace dockerfix::fix
