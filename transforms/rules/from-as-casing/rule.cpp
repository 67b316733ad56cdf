// from-as-casing (BuildKit's FromAsCasing): the AS keyword's casing does not match FROM's.
#include <array>
#include <fmt/format.h>

#include "transforms/buildkit_support.h"
#include "transforms/rule_support.h"
#include "transforms/rules/rule_registration.h"

namespace dockerfix::fix {

namespace pages {
std::string_view from_as_casing();  // README.md beside this file, compiled in
}

namespace {

using namespace buildkit;

class FromAsCasing : public Rule {
 public:
  const RuleInfo& info() const override;
  std::vector<Finding> check(const Context& ctx) const override {
    const auto& f = ctx.file;
    std::vector<Finding> out;
    for (size_t i = 0; i < f.instructions.size(); ++i) {
      const auto& ins = f.instructions[i];
      auto w = from_words(f, ins);
      if (!w || w->as.empty()) continue;
      const std::string kw = spelled(f, ins);
      const bool low = kw == lower(kw);
      // A keyword that is neither is ConsistentInstructionCasing's business.
      if (!low && kw != upper(kw)) continue;
      if (w->as == (low ? lower(w->as) : upper(w->as))) continue;
      Finding fd = make_finding(f, id(), fmt::format("'{}' and '{}' keywords' casing do not match", w->as, kw),
                                on_first_line(f, ins, w->as_span));
      fd.check_comments_of = i;
      if (w->has_name) fd.fix.push_back({w->as_span, low ? "as" : "AS"});
      else fd.no_fix_reason = "FROM's second word is not AS";
      out.push_back(std::move(fd));
    }
    return out;
  }
};

constexpr std::array<std::string_view, 1> kAliases{"FromAsCasing"};
constexpr RuleInfo kInfo{
    .id = "from-as-casing",
    .title = "the AS keyword's casing does not match FROM's",
    .aliases = kAliases,
    .severity = Severity::Warning,
    .fix = FixAvailability::Sometimes,
    .applicability = Applicability::Safe,
    .run_shells = RunShells::None,
    .security_severity = {},
    .commit_phrase = "match AS to the casing of FROM",
    .why = "The AS keyword now has the same casing as FROM, as BuildKit's FromAsCasing check asks.",
    .options = {},
    .make = []() -> std::unique_ptr<Rule> { return std::make_unique<FromAsCasing>(); },
    .page = pages::from_as_casing,
};

}  // namespace

DOCKERFIX_RULE_CLASS(FromAsCasing, from_as_casing)

}  // namespace dockerfix::fix
