// invalid-definition-description (BuildKit's InvalidDefinitionDescription): the comment above an ARG or a named stage does not start with its name.
#include <array>
#include <fmt/format.h>
#include <algorithm>
#include "transforms/buildkit_support.h"
#include "transforms/rule_support.h"
#include "transforms/rules/rule_registration.h"

namespace dockerfix::fix {

namespace pages {
std::string_view invalid_definition_description();  // README.md beside this file, compiled in
}

namespace {

using namespace buildkit;

class InvalidDefinitionDescription : public Rule {
 public:
  const RuleInfo& info() const override;
  std::vector<Finding> check(const Context& ctx) const override {
    const auto& f = ctx.file;
    std::vector<Finding> out;
    for (size_t i = 0; i < f.instructions.size(); ++i) {
      const auto& ins = f.instructions[i];
      std::vector<std::string> keys;
      if (ins.keyword == "ARG") {
        for (const auto& kv : key_values(ctx, i)) keys.push_back(kv.key);
      } else if (auto w = from_words(f, ins); w && w->has_name) {
        keys.push_back(lower(w->name));
      }
      if (keys.empty()) continue;
      auto comments = prev_comments(f, i);
      if (comments.empty()) continue;
      const std::string& last = comments.back();
      const std::string first = last.substr(0, last.find(' '));
      if (std::find(keys.begin(), keys.end(), first) != keys.end()) continue;
      Finding fd = make_finding(f, id(),
                                fmt::format("Comment for {} should follow the format: `# {} <description>`", ins.keyword,
                                            keys.size() > 1 ? "<arg_key>" : keys[0]),
                                ins.keyword_span);
      fd.check_comments_of = i;
      fd.no_fix_reason =
          "whether the comment describes the definition (start it with the name) or not (put an empty `#` line between) "
          "is the author's choice";
      out.push_back(std::move(fd));
    }
    return out;
  }
};

constexpr std::array<std::string_view, 1> kAliases{"InvalidDefinitionDescription"};
constexpr RuleInfo kInfo{
    .id = "invalid-definition-description",
    .title = "the comment above an ARG or a named stage does not start with its name",
    .aliases = kAliases,
    .severity = Severity::Warning,
    .enabled_by_default = false,
    .fix = FixAvailability::Never,
    .applicability = Applicability::Safe,
    .run_shells = RunShells::None,
    .security_severity = {},
    .commit_phrase = "fix ARG and stage description comments",
    .why = "The comment above an ARG or stage is read as its description and should start with its name.",
    .options = {},
    .make = []() -> std::unique_ptr<Rule> { return std::make_unique<InvalidDefinitionDescription>(); },
    .page = pages::invalid_definition_description,
};

}  // namespace

DOCKERFIX_RULE_CLASS(InvalidDefinitionDescription, invalid_definition_description)

}  // namespace dockerfix::fix
