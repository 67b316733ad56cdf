// consistent-instruction-casing (BuildKit's ConsistentInstructionCasing): an instruction keyword's casing differs from the file's majority.
#include <array>
#include <fmt/format.h>

#include "transforms/buildkit_support.h"
#include "transforms/rule_support.h"
#include "transforms/rules/rule_registration.h"

namespace dockerfix::fix {

namespace pages {
std::string_view consistent_instruction_casing();  // README.md beside this file, compiled in
}

namespace {

using namespace buildkit;

class ConsistentInstructionCasing : public Rule {
 public:
  const RuleInfo& info() const override;
  std::vector<Finding> check(const Context& ctx) const override {
    const auto& f = ctx.file;
    // Like BuildKit: the instructions of the stages (not the ARGs before the
    // first FROM), counting only keywords that are all lower or all upper case.
    std::vector<size_t> counted;
    size_t lows = 0, ups = 0;
    bool in_stage = false;
    for (size_t i = 0; i < f.instructions.size(); ++i) {
      in_stage = in_stage || f.instructions[i].keyword == "FROM";
      if (!in_stage) continue;
      counted.push_back(i);
      const std::string kw = spelled(f, f.instructions[i]);
      if (kw == lower(kw)) ++lows;
      else if (kw == upper(kw)) ++ups;
    }
    const bool majority_lower = lows > ups;
    std::vector<Finding> out;
    for (size_t i : counted) {
      const auto& ins = f.instructions[i];
      const std::string kw = spelled(f, ins);
      const std::string want = majority_lower ? lower(kw) : upper(kw);
      if (kw == want) continue;
      Finding fd = make_finding(f, id(),
                                fmt::format("Command '{}' should match the case of the command majority ({})", kw,
                                            majority_lower ? "lowercase" : "uppercase"),
                                ins.keyword_span);
      fd.fix.push_back({ins.keyword_span, want});
      out.push_back(std::move(fd));
    }
    return out;
  }
};

constexpr std::array<std::string_view, 1> kAliases{"ConsistentInstructionCasing"};
constexpr RuleInfo kInfo{
    .id = "consistent-instruction-casing",
    .title = "an instruction keyword's casing differs from the file's majority",
    .aliases = kAliases,
    .severity = Severity::Warning,
    .fix = FixAvailability::Always,
    .applicability = Applicability::Safe,
    .run_shells = RunShells::None,
    .security_severity = {},
    .commit_phrase = "make instruction keywords consistently cased",
    .why = "Instruction keywords now all have the casing most of the file uses, as BuildKit's ConsistentInstructionCasing check asks.",
    .options = {},
    .make = []() -> std::unique_ptr<Rule> { return std::make_unique<ConsistentInstructionCasing>(); },
    .page = pages::consistent_instruction_casing,
};

}  // namespace

DOCKERFIX_RULE_CLASS(ConsistentInstructionCasing, consistent_instruction_casing)

}  // namespace dockerfix::fix
