// no-empty-continuation (BuildKit's NoEmptyContinuation): an empty line inside a continued instruction.
#include <array>
#include <fmt/format.h>
#include <algorithm>
#include "transforms/buildkit_support.h"
#include "transforms/rule_support.h"
#include "transforms/rules/rule_registration.h"

namespace dockerfix::fix {

namespace pages {
std::string_view no_empty_continuation();  // README.md beside this file, compiled in
}

namespace {

using namespace buildkit;

class NoEmptyContinuation : public Rule {
 public:
  const RuleInfo& info() const override;
  std::vector<Finding> check(const Context& ctx) const override {
    const auto& f = ctx.file;
    std::vector<Finding> out;
    for (const auto& d : f.diagnostics) {
      if (d.code != "empty-continuation-line") continue;
      // BuildKit reports the last line of the continued part.
      auto it = std::upper_bound(f.instructions.begin(), f.instructions.end(), d.offset,
                                 [](uint32_t at, const Instruction& i) { return at < i.span.begin; });
      if (it == f.instructions.begin()) continue;
      const Instruction& ins = *(it - 1);
      Finding fd = make_finding(f, id(), "Empty continuation line", {d.offset, d.offset});
      for (int line = ins.start_line + 1; line < d.line; ++line) {
        uint32_t b = f.line_starts[static_cast<size_t>(line - 1)];
        uint32_t e = f.line_starts[static_cast<size_t>(line)];
        std::string_view text = f.text({b, e});
        if (text.find_first_not_of(" \t\r\n\f\v") == std::string_view::npos) fd.fix.push_back({{b, e}, ""});
      }
      if (fd.fix.empty()) fd.no_fix_reason = "the empty lines were not found";
      out.push_back(std::move(fd));
    }
    return out;
  }
};

constexpr std::array<std::string_view, 1> kAliases{"NoEmptyContinuation"};
constexpr RuleInfo kInfo{
    .id = "no-empty-continuation",
    .title = "an empty line inside a continued instruction",
    .aliases = kAliases,
    .severity = Severity::Warning,
    .fix = FixAvailability::Always,
    .applicability = Applicability::Safe,
    .run_shells = RunShells::None,
    .security_severity = {},
    .commit_phrase = "remove empty lines inside continued instructions",
    .why = "Empty lines inside a continued instruction are deprecated: BuildKit warns and future releases reject them.",
    .options = {},
    .make = []() -> std::unique_ptr<Rule> { return std::make_unique<NoEmptyContinuation>(); },
    .page = pages::no_empty_continuation,
};

}  // namespace

DOCKERFIX_RULE_CLASS(NoEmptyContinuation, no_empty_continuation)

}  // namespace dockerfix::fix
