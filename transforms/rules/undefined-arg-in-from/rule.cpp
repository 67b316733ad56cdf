// undefined-arg-in-from (BuildKit's UndefinedArgInFrom): FROM uses an ARG that is not declared.
#include <array>
#include <fmt/format.h>
#include <set>
#include "transforms/buildkit_support.h"
#include "transforms/rule_support.h"
#include "transforms/rules/rule_registration.h"

namespace dockerfix::fix {

namespace pages {
std::string_view undefined_arg_in_from();  // README.md beside this file, compiled in
}

namespace {

using namespace buildkit;

class UndefinedArgInFrom : public Rule {
 public:
  const RuleInfo& info() const override;
  std::vector<Finding> check(const Context& ctx) const override {
    const auto& f = ctx.file;
    const MetaArgs& meta = meta_args(ctx);
    // BuildKit's candidates: the declared global ARGs and every argument with a value.
    auto known = [&](const std::string& name) { return meta.declared.count(name) || meta.values.count(name); };
    std::optional<std::vector<std::string>> options;  // the candidates in order, when a message needs them
    std::vector<Finding> out;
    for (size_t i = 0; i < f.instructions.size(); ++i) {
      const auto& ins = f.instructions[i];
      auto w = from_words(f, ins);
      if (!w) continue;
      std::vector<std::pair<std::string, Span>> words{{w->image, w->image_span}};
      for (const auto& fl : ins.flags)
        if (fl.name == "platform" && fl.value) words.emplace_back(*fl.value, fl.span);
      for (const auto& [word, span] : words) {
        for (const auto& name : process_word(word, meta.values, f.escape).unmatched) {
          if (known(name)) continue;
          if (!options) {
            std::set<std::string> all = meta.declared;
            for (const auto& [k, v] : meta.values) all.insert(k);
            options.emplace(all.begin(), all.end());
          }
          std::string msg = fmt::format("FROM argument '{}' is not declared", name);
          if (auto s = suggest(name, *options)) msg += fmt::format(" (did you mean {}?)", *s);
          Finding fd = make_finding(f, id(), msg, on_first_line(f, ins, span));
          fd.check_comments_of = i;
          fd.no_fix_reason = "the variable meant is not known";
          out.push_back(std::move(fd));
        }
      }
    }
    return out;
  }
};

constexpr std::array<std::string_view, 1> kAliases{"UndefinedArgInFrom"};
constexpr RuleInfo kInfo{
    .id = "undefined-arg-in-from",
    .title = "FROM uses an ARG that is not declared",
    .aliases = kAliases,
    .severity = Severity::Warning,
    .fix = FixAvailability::Never,
    .applicability = Applicability::Safe,
    .run_shells = RunShells::None,
    .security_severity = {},
    .commit_phrase = "declare the ARGs FROM uses",
    .why = "FROM used a variable no ARG declares, so it expanded to an empty string.",
    .options = {},
    .make = []() -> std::unique_ptr<Rule> { return std::make_unique<UndefinedArgInFrom>(); },
    .page = pages::undefined_arg_in_from,
};

}  // namespace

DOCKERFIX_RULE_CLASS(UndefinedArgInFrom, undefined_arg_in_from)

}  // namespace dockerfix::fix
