// root-for-privileged-steps (seeds/000): a RUN that needs root while the
// stage runs as a non-root user gets `USER root` before it, and the user is
// restored after the privileged block so the image's runtime user does not
// silently change.
#include <algorithm>

#include "model/context_files.h"
#include "transforms/rule_support.h"
#include "dockerfix/rule_info.h"
#include "transforms/rules/user_options.h"
#include "transforms/rules/rule_registration.h"

namespace dockerfix::fix {

namespace pages {
std::string_view root_for_privileged_steps();  // README.md beside this file, compiled in
}

namespace {

class RootForPrivilegedSteps : public Rule {
 public:
  const RuleInfo& info() const override;

  std::vector<Finding> check(const Context& ctx) const override {
    std::vector<Finding> out;
    const auto& f = ctx.file;
    for (const auto& stage : ctx.model.stages) {
      const auto& steps = stage.steps;
      for (size_t k = 0; k < steps.size(); ++k) {
        if (!privileged(ctx, steps[k])) continue;
        size_t last = k;
        while (last + 1 < steps.size() && privileged(ctx, steps[last + 1]) &&
               ctx.model.steps[steps[last + 1]].instruction == ctx.model.steps[steps[last]].instruction + 1)
          ++last;
        const model::Step& first = ctx.model.steps[steps[k]];
        const Instruction& run = f.instructions[first.instruction];
        const Instruction& end = f.instructions[ctx.model.steps[steps[last]].instruction];
        const auto& need = first.needs_root.front();
        std::string restore = restore_spec(ctx, stage, first);
        Finding fd = make_finding(f, id(),
                                  "RUN needs root (" + need.detail + (need.script.empty() ? "" : " in " + need.script) +
                                      ") but runs as " + first.user.name + "; add USER root before it and restore USER " +
                                      restore + " after",
                                  run.keyword_span);
        if (restore.empty()) {
          fd.no_fix_reason = "the user to restore is not known";
        } else if (!from_user_line(ctx, stage, first) && !plain_user_spec(restore)) {
          fd.no_fix_reason = "the user's name has characters a USER line should not hold";
        } else {
          fd.fix.push_back(insert_line_before(f, run, ctx.style.keyword("USER") + " root", ctx.style));
          fd.fix.push_back(insert_line_after(f, end, ctx.style.keyword("USER") + " " + restore, ctx.style));
        }
        out.push_back(std::move(fd));
        k = last;
      }
      unread_scripts(ctx, stage, out);
    }
    std::stable_sort(out.begin(), out.end(), [](const Finding& a, const Finding& b) { return a.span.begin < b.span.begin; });
    return out;
  }

  bool user_may_change(const Change& c, size_t, size_t now) const override {
    // The privileged RUNs themselves now run as root.
    const auto* s = c.after.step_for(now);
    return s && s->user.is_root() && !s->needs_root.empty();
  }

  std::string verify(const Change& c) const override {
    for (size_t i = 0; i < c.before.stages.size() && i < c.after.stages.size(); ++i) {
      const auto& a = c.before.stages[i].final_user;
      const auto& b = c.after.stages[i].final_user;
      if (a.name != b.name || a.state != b.state) return "the stage's final user would change";
    }
    return {};
  }

 private:
  // A RUN of a non-root stage that runs a script COPY'd from the build
  // context which could not be read (`apply -` without --context): whether
  // it needs root is not known, and that is said instead of nothing.
  static void unread_scripts(const Context& ctx, const model::Stage& stage, std::vector<Finding>& out) {
    const auto& context = ctx.options.model.context;
    for (size_t si : stage.steps) {
      const auto& st = ctx.model.steps[si];
      const auto& ins = ctx.file.instructions[st.instruction];
      if (ins.keyword != "RUN" || !st.user.is_nonroot() || !st.needs_root.empty()) continue;
      for (const auto& c : st.commands) {
        const std::vector<std::string> a = c.argv();
        if (a.empty()) continue;
        std::string name = a[0];
        const std::string_view p = c.name();
        if ((p == "sh" || p == "bash" || p == "dash" || p == "ash" || p == "source" || p == ".") && a.size() > 1 &&
            !a[1].empty() && a[1][0] != '-')
          name = a[1];
        std::string container;
        auto rel = model::copied_source(stage.context_files, st.workdir, name, &container);
        if (!rel || (context && model::read_context_file(*context, *rel))) continue;
        Finding fd = make_finding(ctx.file, "root-for-privileged-steps",
                                  "RUN runs " + container + ", copied from the build context (" + *rel +
                                      "), as " + st.user.name + "; whether it needs root is not known",
                                  ins.keyword_span);
        fd.no_fix_reason = context ? "the script could not be read in " + context->string()
                                   : "the script could not be read: no build context (give --context DIR)";
        out.push_back(std::move(fd));
        break;
      }
    }
  }

  static bool privileged(const Context& ctx, size_t step_index) {
    const auto& s = ctx.model.steps[step_index];
    return ctx.file.instructions[s.instruction].keyword == "RUN" && s.user.is_nonroot() && !s.needs_root.empty();
  }

  // Whether restore_spec copies a USER line of the file (written as its author wrote it).
  static bool from_user_line(const Context& ctx, const model::Stage& stage, const model::Step& step) {
    for (size_t si : stage.steps) {
      const auto& s = ctx.model.steps[si];
      if (s.instruction < step.instruction && ctx.file.instructions[s.instruction].keyword == "USER") return true;
    }
    return false;
  }

  // The USER text that brings the stage back to the user the RUN had.
  static std::string restore_spec(const Context& ctx, const model::Stage& stage, const model::Step& step) {
    for (auto it = stage.steps.rbegin(); it != stage.steps.rend(); ++it) {
      const auto& s = ctx.model.steps[*it];
      if (s.instruction >= step.instruction) continue;
      const auto& ins = ctx.file.instructions[s.instruction];
      if (ins.keyword == "USER") return ins.arguments;
    }
    if (!step.user.name.empty()) return step.user.name;
    if (step.user.uid) return std::to_string(*step.user.uid);
    return {};
  }
};

constexpr RuleInfo kInfo{
    .id = "root-for-privileged-steps",
    .title = "RUN needs root but the stage runs as a non-root user: add USER root before it and restore the user after",
    .severity = Severity::Error,
    .fix = FixAvailability::Sometimes,
    .commit_phrase = "run privileged build steps as root",
    .why = "These RUN steps need root (package installs, user management, system writes) but the stage runs as a non-root user, so the build failed with Permission denied. USER root is set around them and the user restored after.",
    .options = kUserOptions,
    .make = make_instance<RootForPrivilegedSteps>,
    .page = pages::root_for_privileged_steps,
};

}  // namespace

DOCKERFIX_RULE_CLASS(RootForPrivilegedSteps, root_for_privileged_steps)

}  // namespace dockerfix::fix
