// undefined-var (BuildKit's UndefinedVar): a variable is used before it is defined.
#include <array>
#include <fmt/format.h>
#include <set>
#include "transforms/buildkit_support.h"
#include "transforms/rule_support.h"
#include "transforms/rules/rule_registration.h"

namespace dockerfix::fix {

namespace pages {
std::string_view undefined_var();  // README.md beside this file, compiled in
}

namespace {

using namespace buildkit;

class UndefinedVar : public Rule {
 public:
  const RuleInfo& info() const override;
  std::vector<Finding> check(const Context& ctx) const override {
    const auto& f = ctx.file;
    const StageStates* all = nullptr;  // read at the first instruction that may use a variable
    const auto& build_args = ctx.options.model.build_args;
    std::vector<Finding> out;
    for (size_t i = 0; i < f.instructions.size(); ++i) {
      const auto& ins = f.instructions[i];
      if (ins.keyword == "FROM") continue;
      // Only `$` expands: an instruction without one uses no variable (what an
      // ARG declares reaches the next instructions through their states).
      if (f.text(ins.span).find('$') == std::string_view::npos) continue;
      if (!all) all = &stage_states(ctx);
      const StageStates& states = *all;
      if (!states[i] || !states[i]->env_known) continue;
      // Only an ARG changes the state as it goes: the others read it as it is.
      const StageState* st = &*states[i];
      std::optional<StageState> own;
      std::set<std::string> unmatched;
      auto take = [&](const Expansion& e) {
        for (const auto& name : e.unmatched)
          if (!st->declared_args.count(name)) unmatched.insert(name);
      };
      if (ins.keyword == "ARG") {
        const MetaArgs& meta = meta_args(ctx);
        st = &own.emplace(*st);
        // Each default expands with the arguments before it, as BuildKit dispatches them.
        for (const auto& kv : key_values(ctx, i)) {
          if (kv.value && !build_args.count(kv.key)) {
            auto e = process_word(*kv.value, own->env, f.escape);
            take(e);
            own->env[kv.key] = e.result;
          } else if (auto it = build_args.find(kv.key); it != build_args.end()) {
            own->env[kv.key] = it->second;
          } else if (auto g = meta.values.find(kv.key); g != meta.values.end()) {
            own->env[kv.key] = g->second;
          }
          own->declared_args.insert(kv.key);
        }
      } else {
        for (const auto& w : expanded_words(ins, f.escape))
          take(w.raw_quotes ? process_word(w.text, st->env, '\\', false) : process_word(w.text, st->env, f.escape));
      }
      if (unmatched.empty()) continue;
      std::vector<std::string> options;
      for (const auto& [k, v] : st->env) options.push_back(k);
      for (const auto& name : unmatched) {
        if (name == "BUILDKIT_SBOM_SCAN_CONTEXT" || name == "BUILDKIT_SBOM_SCAN_STAGE") continue;
        std::string msg = fmt::format("Usage of undefined variable '${}'", name);
        if (auto s = suggest(name, options)) msg += fmt::format(" (did you mean ${}?)", *s);
        Finding fd = make_finding(f, id(), msg, find_on_first_line(f, ins, "$"));
        fd.check_comments_of = i;
        fd.no_fix_reason = "the variable meant is not known";
        out.push_back(std::move(fd));
      }
    }
    return out;
  }
};

constexpr std::array<std::string_view, 1> kAliases{"UndefinedVar"};
constexpr RuleInfo kInfo{
    .id = "undefined-var",
    .title = "a variable is used before it is defined",
    .aliases = kAliases,
    .severity = Severity::Warning,
    .fix = FixAvailability::Never,
    .applicability = Applicability::Safe,
    .run_shells = RunShells::None,
    .security_severity = {},
    .commit_phrase = "define the variables instructions use",
    .why = "An instruction used a variable that nothing defines, so it expanded to an empty string.",
    .options = {},
    .make = []() -> std::unique_ptr<Rule> { return std::make_unique<UndefinedVar>(); },
    .page = pages::undefined_var,
};

}  // namespace

DOCKERFIX_RULE_CLASS(UndefinedVar, undefined_var)

}  // namespace dockerfix::fix
