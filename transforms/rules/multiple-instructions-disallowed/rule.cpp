// multiple-instructions-disallowed (BuildKit's MultipleInstructionsDisallowed): a stage has more than one CMD, ENTRYPOINT or HEALTHCHECK.
#include <array>
#include <fmt/format.h>
#include <map>
#include "transforms/buildkit_support.h"
#include "transforms/rule_support.h"
#include "transforms/rules/rule_registration.h"

namespace dockerfix::fix {

namespace pages {
std::string_view multiple_instructions_disallowed();  // README.md beside this file, compiled in
}

namespace {

using namespace buildkit;

class MultipleInstructionsDisallowed : public Rule {
 public:
  const RuleInfo& info() const override;
  std::vector<Finding> check(const Context& ctx) const override {
    const auto& f = ctx.file;
    std::vector<Finding> out;
    std::map<std::string, size_t> last;  // keyword -> the stage's latest such instruction
    for (size_t i = 0; i < f.instructions.size(); ++i) {
      const auto& ins = f.instructions[i];
      if (ins.keyword == "FROM") last.clear();
      if (ins.keyword != "CMD" && ins.keyword != "ENTRYPOINT" && ins.keyword != "HEALTHCHECK") continue;
      if (auto it = last.find(ins.keyword); it != last.end()) {
        // BuildKit reports the one that is ignored, with the later one's name.
        const Instruction& earlier = f.instructions[it->second];
        Finding fd = make_finding(f, id(),
                                  fmt::format("Multiple {} instructions should not be used in the same stage because only "
                                              "the last one will be used",
                                              spelled(f, ins)),
                                  earlier.keyword_span);
        fd.check_comments_of = i;
        fd.fix.push_back({earlier.span, ""});
        InstructionChange removed;
        removed.instruction = it->second;
        removed.removed = true;
        fd.changes.push_back(removed);
        out.push_back(std::move(fd));
      }
      last[ins.keyword] = i;
    }
    return out;
  }
};

// hadolint checks the three instructions apart (DL4003 CMD, DL4004 ENTRYPOINT,
// DL3012 HEALTHCHECK); each names this rule, so switching one off switches
// off all three.
constexpr std::array<std::string_view, 4> kAliases{"MultipleInstructionsDisallowed", "DL4003", "DL4004", "DL3012"};
constexpr RuleInfo kInfo{
    .id = "multiple-instructions-disallowed",
    .title = "a stage has more than one CMD, ENTRYPOINT or HEALTHCHECK",
    .aliases = kAliases,
    .severity = Severity::Warning,
    .fix = FixAvailability::Always,
    .applicability = Applicability::Unsafe,
    .run_shells = RunShells::None,
    .security_severity = {},
    .commit_phrase = "drop CMD, ENTRYPOINT, HEALTHCHECK lines overridden later",
    .why = "Only the last CMD, ENTRYPOINT and HEALTHCHECK of a stage count; the earlier ones misled readers about what the image runs.",
    .options = {},
    .make = []() -> std::unique_ptr<Rule> { return std::make_unique<MultipleInstructionsDisallowed>(); },
    .page = pages::multiple_instructions_disallowed,
};

}  // namespace

DOCKERFIX_RULE_CLASS(MultipleInstructionsDisallowed, multiple_instructions_disallowed)

}  // namespace dockerfix::fix
