// workdir-relative-path (BuildKit's WorkdirRelativePath): a relative WORKDIR before any absolute one.
#include <array>
#include <fmt/format.h>

#include "transforms/buildkit_support.h"
#include "transforms/rule_support.h"
#include "transforms/rules/rule_registration.h"

namespace dockerfix::fix {

namespace pages {
std::string_view workdir_relative_path();  // README.md beside this file, compiled in
}

namespace {

using namespace buildkit;

class WorkdirRelativePath : public Rule {
 public:
  const RuleInfo& info() const override;
  std::vector<Finding> check(const Context& ctx) const override {
    const auto& f = ctx.file;
    const StageStates* states = nullptr;  // read only for a WORKDIR whose path depends on them
    std::vector<Finding> out;
    std::vector<bool> stage_set;  // each stage: a WORKDIR was set in it or a stage it is built on
    bool set = false;
    size_t stage = 0;
    for (size_t i = 0; i < f.instructions.size(); ++i) {
      const auto& ins = f.instructions[i];
      if (ins.keyword == "FROM") {
        if (stage > 0) stage_set.push_back(set);
        const model::Stage* s = stage < ctx.model.stages.size() ? &ctx.model.stages[stage] : nullptr;
        set = s && s->parent_stage && *s->parent_stage < stage_set.size() && stage_set[*s->parent_stage];
        ++stage;
        continue;
      }
      if (ins.keyword != "WORKDIR" || stage == 0) continue;  // a state from the first FROM on
      std::string path = ins.arguments;
      const bool variables = path.find('$') != std::string::npos;
      if (!variables) {
        path = process_word(path, {}, f.escape).result;
        if (set || path.starts_with("/")) {  // absolute on any platform, or another WORKDIR came first
          set = true;
          continue;
        }
      }
      if (!states) states = &stage_states(ctx);
      const StageState& st = *(*states)[i];
      if (variables) {
        if (!st.env_known) {
          set = true;
          continue;
        }
        path = process_word(path, st.env, f.escape).result;
      }
      if (!set && !absolute(path, st.windows)) {
        Finding fd = make_finding(
            f, id(), fmt::format("Relative workdir {} can have unexpected results if the base image changes", go_quote(path)),
            ins.keyword_span);
        fd.check_comments_of = i;
        fd.no_fix_reason = "the absolute directory meant is not known: write WORKDIR /the/dir";
        out.push_back(std::move(fd));
      }
      set = true;
    }
    return out;
  }

  static bool absolute(const std::string& p, bool windows) {
    if (p.starts_with("/")) return true;
    if (!windows) return false;
    return p.starts_with("\\") || (p.size() >= 3 && std::isalpha(static_cast<unsigned char>(p[0])) && p[1] == ':' &&
                                   (p[2] == '\\' || p[2] == '/'));
  }
};

constexpr std::array<std::string_view, 1> kAliases{"WorkdirRelativePath"};
constexpr RuleInfo kInfo{
    .id = "workdir-relative-path",
    .title = "a relative WORKDIR before any absolute one",
    .aliases = kAliases,
    .severity = Severity::Warning,
    .fix = FixAvailability::Never,
    .applicability = Applicability::Safe,
    .run_shells = RunShells::None,
    .security_severity = {},
    .commit_phrase = "make the first WORKDIR absolute",
    .why = "A relative WORKDIR resolves against the base image's working directory, which changes when the base image does.",
    .options = {},
    .make = []() -> std::unique_ptr<Rule> { return std::make_unique<WorkdirRelativePath>(); },
    .page = pages::workdir_relative_path,
};

}  // namespace

DOCKERFIX_RULE_CLASS(WorkdirRelativePath, workdir_relative_path)

}  // namespace dockerfix::fix
