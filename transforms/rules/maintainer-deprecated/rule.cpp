// maintainer-deprecated (BuildKit's MaintainerDeprecated): MAINTAINER is deprecated.
#include <array>
#include <fmt/format.h>

#include "transforms/buildkit_support.h"
#include "transforms/rule_support.h"
#include "transforms/rules/rule_registration.h"

namespace dockerfix::fix {

namespace pages {
std::string_view maintainer_deprecated();  // README.md beside this file, compiled in
}

namespace {

using namespace buildkit;

class MaintainerDeprecated : public Rule {
 public:
  const RuleInfo& info() const override;
  std::vector<Finding> check(const Context& ctx) const override {
    const auto& f = ctx.file;
    std::vector<Finding> out;
    for (size_t i = 0; i < f.instructions.size(); ++i) {
      const auto& ins = f.instructions[i];
      if (ins.keyword != "MAINTAINER") continue;
      Finding fd = make_finding(f, id(), "Maintainer instruction is deprecated in favor of using label", ins.keyword_span);
      fd.check_comments_of = i;
      if (ins.arguments.empty()) {
        fd.no_fix_reason = "MAINTAINER has no value";
      } else {
        const std::string kw = spelled(f, ins);
        const std::string label = kw == lower(kw) ? "label" : "LABEL";
        fd.fix.push_back({{ins.keyword_span.begin, ins.arguments_span.end},
                          label + " org.opencontainers.image.authors=" + quoted(ins.arguments, f.escape)});
        fd.changes.push_back({i, "LABEL"});
      }
      out.push_back(std::move(fd));
    }
    return out;
  }

  // MAINTAINER takes its text as is; a LABEL value is unquoted and expanded.
  // In double quotes with `"`, `$` and the escape character escaped, the label
  // gets exactly that text.
  static std::string quoted(std::string_view text, char escape) {
    std::string out = "\"";
    for (char c : text) {
      if (c == '"' || c == '$' || c == escape) out += escape;
      out += c;
    }
    return out + "\"";
  }
};

// hadolint DL4000 is the same check.
constexpr std::array<std::string_view, 2> kAliases{"MaintainerDeprecated", "DL4000"};
constexpr RuleInfo kInfo{
    .id = "maintainer-deprecated",
    .title = "MAINTAINER is deprecated",
    .aliases = kAliases,
    .severity = Severity::Warning,
    .fix = FixAvailability::Sometimes,
    .applicability = Applicability::Safe,
    .run_shells = RunShells::None,
    .security_severity = {},
    .commit_phrase = "replace MAINTAINER with an authors label",
    .why = "MAINTAINER is deprecated; the org.opencontainers.image.authors label says the same in the form tools read.",
    .options = {},
    .make = []() -> std::unique_ptr<Rule> { return std::make_unique<MaintainerDeprecated>(); },
    .page = pages::maintainer_deprecated,
};

}  // namespace

DOCKERFIX_RULE_CLASS(MaintainerDeprecated, maintainer_deprecated)

}  // namespace dockerfix::fix
