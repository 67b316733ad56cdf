// copy-then-chown: COPY followed by RUN chown -R of the copied files, which copies them into a second layer
#include <algorithm>
#include <array>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "model/command_facts.h"
#include "model/words.h"
#include "transforms/rule_support.h"
#include "transforms/rules/rule_queries.h"
#include "transforms/rules/rule_registration.h"

namespace dockerfix::fix {

namespace pages {
std::string_view copy_then_chown();  // README.md beside this file, compiled in
}
namespace rules {
const RuleInfo& copy_then_chown();
}

namespace {

bool owner_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.' || c == ':';
}

// `chown -R OWNER PATH` (also --recursive; -h/-v/--from are fine), nothing else.
struct Chown {
  std::string owner, path;
};
std::optional<Chown> recursive_chown(const model::RunCommand& c) {
  if (c.name() != "chown" || c.program != 0 || c.nested || c.substitution) return std::nullopt;
  bool recursive = false;
  std::vector<const model::ShellWord*> ops;
  for (size_t i = 1; i < c.words.size(); ++i) {
    const auto& w = c.words[i];
    if (!w.literal) return std::nullopt;
    if (w.value == "-R" || w.value == "--recursive") recursive = true;
    else if (w.value == "-v" || w.value == "--verbose" || w.value == "-h" || w.value == "-c") continue;
    else if (w.value.starts_with("-")) return std::nullopt;
    else ops.push_back(&w);
  }
  if (!recursive || ops.size() != 2 || ops[0]->value.empty() || !std::all_of(ops[0]->value.begin(), ops[0]->value.end(), owner_char) ||
      ops[0]->value.front() == ':' || ops[0]->value.back() == ':')
    return std::nullopt;
  return Chown{ops[0]->value, ops[1]->value};
}

std::string strip_slash(std::string p) {
  while (p.size() > 1 && p.back() == '/') p.pop_back();
  return p;
}

// The edit that removes command k from the RUN, or nothing when that cannot be done cleanly.
std::optional<Edit> drop_command(const Dockerfile& f, const Instruction& run, const std::vector<model::RunCommand>& cmds, size_t k) {
  std::vector<size_t> top;
  for (size_t i = 0; i < cmds.size(); ++i)
    if (!cmds[i].nested && !cmds[i].substitution) top.push_back(i);
  if (top.size() != cmds.size()) return std::nullopt;
  const auto& c = cmds[k];
  if (top.size() == 1) {
    if (c.span.begin != run.arguments_span.begin || c.span.end != run.arguments_span.end) return std::nullopt;
    return Edit{run.span, ""};  // the RUN is only the chown
  }
  if (k + 1 < cmds.size() && c.then == model::RunCommand::Then::And && (k == 0 || cmds[k - 1].then == model::RunCommand::Then::And) &&
      only_and_between(f, c.span.end, cmds[k + 1].span.begin))
    return Edit{{c.span.begin, cmds[k + 1].span.begin}, ""};
  if (k == cmds.size() - 1 && k > 0 && cmds[k - 1].then == model::RunCommand::Then::And && only_and_between(f, cmds[k - 1].span.end, c.span.begin) &&
      c.then == model::RunCommand::Then::End)
    return Edit{{cmds[k - 1].span.end, c.span.end}, ""};
  return std::nullopt;
}

std::vector<Finding> check(const Context& ctx, std::string_view id) {
  std::vector<Finding> out;
  const auto& f = ctx.file;
  for (const auto& stage : ctx.model.stages) {
    for (size_t n = 0; n + 1 < stage.steps.size(); ++n) {
      const auto& copy_step = ctx.model.steps[stage.steps[n]];
      const auto& copy = f.instructions[copy_step.instruction];
      if ((copy.keyword != "COPY" && copy.keyword != "ADD") || copy.exec_form) continue;
      const auto& run_step = ctx.model.steps[stage.steps[n + 1]];
      const auto& run = f.instructions[run_step.instruction];
      if (run.keyword != "RUN" || run.exec_form || !run.heredocs.empty() || !run.flags.empty()) continue;
      auto a = copy_args(copy, f.escape);
      if (!a || contains(a->dest, "$")) continue;
      const std::string dest = strip_slash(model::resolve_path(copy_step.workdir, a->dest));
      const auto& cmds = run_step.commands;
      for (size_t k = 0; k < cmds.size(); ++k) {
        auto ch = recursive_chown(cmds[k]);
        if (!ch || strip_slash(model::resolve_path(run_step.workdir, ch->path)) != dest) continue;
        const Flag* given = flag(copy, "chown");
        if (given && given->value != ch->owner) break;  // a different owner: the author meant both
        // `chown OWNER` leaves the group as COPY made it (root); `--chown=OWNER`
        // gives the files OWNER's group too (BuildKit: the user's primary
        // group, or the gid equal to a numeric uid).
        const bool keeps_group = ch->owner.find(':') == std::string::npos;
        Finding fd = make_finding(f, id, "RUN chown -R " + ch->owner + " " + ch->path + " after " + copy.keyword +
                                             " stores the files twice: use " + copy.keyword + " --chown=" + ch->owner +
                                             (keeps_group ? "; unsafe: chown " + ch->owner + " keeps the files' group (root), --chown=" +
                                                                ch->owner + " changes it to the user's"
                                                          : ""),
                                  cmds[k].program_word()->span);
        auto drop = drop_command(f, run, cmds, k);
        if (!drop) {
          fd.no_fix_reason = "the chown cannot be taken out of this RUN cleanly";
        } else {
          if (!given) {
            uint32_t at = copy.flags.empty() ? copy.keyword_span.end : copy.flags.back().span.end;
            fd.fix.push_back({{at, at}, " --chown=" + ch->owner});
          }
          fd.fix.push_back(*drop);
          if (drop->text.empty() && drop->range == run.span) fd.changes.push_back({run_step.instruction, "", true});  // its effect is now the COPY's
          bool fresh = !stage.parent_stage && !model::is_system_path(dest) && dest != "/";
          for (size_t e = 0; e < n && fresh; ++e) {
            const auto& st = ctx.model.steps[stage.steps[e]];
            const auto& ins = f.instructions[st.instruction];
            if (ins.keyword == "WORKDIR" && strip_slash(st.workdir).starts_with(dest)) fresh = false;
            if (ins.keyword == "RUN" && contains(ins.logical, dest)) fresh = false;
            if ((ins.keyword == "COPY" || ins.keyword == "ADD"))
              if (auto b = copy_args(ins, f.escape))
                if (strip_slash(model::resolve_path(st.workdir, b->dest)).starts_with(dest)) fresh = false;
          }
          if (copy_step.workdir != "/" && strip_slash(copy_step.workdir).starts_with(dest)) fresh = false;
          // Commands before the chown in its RUN may have made files there that it changed too.
          if (k != 0) fresh = false;
          if (!fresh || keeps_group) fd.applicability = Applicability::Unsafe;
        }
        out.push_back(std::move(fd));
        break;
      }
    }
  }
  return out;
}

constexpr RuleInfo kInfo{
    .id = "copy-then-chown",
    .title = "COPY followed by RUN chown -R of the copied files, which copies them into a second layer",
    .severity = Severity::Warning,
    .fix = FixAvailability::Sometimes,
    .applicability = Applicability::Safe,
    .commit_phrase = "copy files with --chown instead of chowning them afterwards",
    .why = "`RUN chown -R` after a COPY rewrites every copied file into a new layer, doubling their size in the image; COPY --chown writes them once with the right owner.",
    .make = make_rule<rules::copy_then_chown, check>,
    .page = pages::copy_then_chown,
};

}  // namespace

DOCKERFIX_RULE_INFO(copy_then_chown)

}  // namespace dockerfix::fix
