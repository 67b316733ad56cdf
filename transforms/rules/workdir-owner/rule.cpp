// workdir-owner (seeds/002 review): the final user cannot write its
// WORKDIR, which was created by root. Create it owned by the user before
// the WORKDIR, the fix humans make (`mkdir -p /app && chown node:node /app`).
#include <filesystem>

#include "model/words.h"
#include "transforms/rule_support.h"
#include "dockerfix/rule_info.h"
#include "dockerfix/runtime_facts.h"
#include "transforms/rules/runtime_reasons.h"
#include "transforms/rules/user_options.h"
#include "transforms/rules/rule_registration.h"

namespace dockerfix::fix {

namespace pages {
std::string_view workdir_owner();  // README.md beside this file, compiled in
}

namespace {

using model::resolve_path;

class WorkdirOwner : public Rule {
 public:
  const RuleInfo& info() const override;

  std::vector<Finding> check(const Context& ctx) const override {
    if (!ctx.model.final_stage) return {};
    const auto& f = ctx.file;
    const auto& stage = ctx.model.stages[*ctx.model.final_stage];
    const auto& user = stage.final_user;
    if (!user.is_nonroot() || user.name.empty() || stage.steps.empty()) return {};
    const std::string dir = ctx.model.steps[stage.steps.back()].workdir;
    if (dir == "/" || dir == "/tmp" || dir.rfind("/tmp/", 0) == 0 || dir.find('$') != std::string::npos) return {};
    // The WORKDIR instruction that first created it in this stage, run as root.
    const Instruction* created = nullptr;
    bool mentioned_before = false;
    for (size_t si : stage.steps) {
      const auto& st = ctx.model.steps[si];
      const auto& ins = f.instructions[st.instruction];
      if (ins.keyword == "WORKDIR" && st.workdir == dir) {
        if (!st.user.is_root()) return {};  // created by the user itself
        created = &ins;
        break;
      }
      // A COPY --chown already gave what it put there to the user: no chown -R for it.
      if (mentions(st, ins, dir) && !copied_with_chown(ins)) mentioned_before = true;
    }
    if (!created || owned_by_user(ctx, stage, user, dir, created->arguments) || home_of_base_user(stage, user, dir) ||
        !read_only_place(stage, dir).empty())
      return {};
    std::string owner = owner_ids(stage, user);
    // USER ${UID}:${GID} stays an ARG reference, not its default.
    std::optional<std::string> written_owner;
    if (std::string written = user_as_written(f, ctx.model, stage); !written.empty()) {
      written_owner = shell_word_expanding(written);
      if (written_owner) owner = written;
    }
    Finding fd = make_finding(f, id(), "WORKDIR " + dir + " is created by root; " + user.name + " cannot write it",
                              created->keyword_span);
    if (owner.empty()) {
      fd.no_fix_reason = "the user's uid is not known";
      return {fd};
    }
    const size_t created_at = static_cast<size_t>(created - f.instructions.data());
    if (const model::Step* at = ctx.model.step_for(created_at); at && !at->shell.posix) {
      fd.no_fix_reason = "the SHELL there is not POSIX sh: the mkdir and chown are written for sh";
      return {fd};
    }
    const model::RuntimeFacts& rf = model::runtime_facts(f, ctx.model, stage.index, ctx.options.model.context);
    if (const auto* v = rf.volume_before(dir, created_at)) {
      fd.no_fix_reason = "the chown would be discarded: " + cited(v->evidence) +
                         ", and changes to a volume after it is declared are discarded";
      return {fd};
    }
    // A WORKDIR written with variables keeps them, so a --build-arg that
    // changes the path changes the mkdir too; a plain one is quoted as needed.
    std::optional<std::string> word = shell_word(dir);
    if (created->arguments.find('$') != std::string::npos) {
      word = shell_word_expanding(created->arguments);
      if (!word) {
        fd.no_fix_reason = "the WORKDIR uses an expansion other than $NAME or ${NAME}";
        return {fd};
      }
    }
    std::string run = ctx.style.keyword("RUN") + " mkdir -p " + *word + " && chown " + (mentioned_before ? "-R " : "") +
                      (written_owner ? *written_owner : shell_word(owner)) + " " + *word;
    fd.fix.push_back(insert_line_before(f, *created, run, ctx.style));
    return {fd};
  }

 private:
  static bool copied_with_chown(const Instruction& ins) {
    if (ins.keyword != "COPY" && ins.keyword != "ADD") return false;
    return std::any_of(ins.flags.begin(), ins.flags.end(), [](const auto& fl) { return fl.name == "chown"; });
  }

  // Whether an instruction names `dir`: a RUN in its commands' words, any
  // other in its arguments (a COPY into it, say).
  static bool mentions(const model::Step& st, const Instruction& ins, const std::string& dir) {
    if (ins.keyword != "RUN") return ins.arguments.find(dir) != std::string::npos;
    for (const auto& c : st.commands)
      for (const auto& w : c.words)
        if (w.value.find(dir) != std::string::npos) return true;
    return false;
  }

  // `written` is the WORKDIR as written: a chown of "$APP" owns WORKDIR $APP.
  static bool owned_by_user(const Context& ctx, const model::Stage& s, const model::EffectiveUser& u,
                            const std::string& dir, const std::string& written) {
    for (size_t si : s.steps) {
      const auto& st = ctx.model.steps[si];
      for (const auto& c : st.commands) {
        auto ch = chown_of(c);
        if (!ch) continue;
        const std::string& who = ch->who;
        std::string ids = owner_ids(s, u);
        // USER ${UID}: a chown of ${UID} is the same user.
        const std::string user_text = user_as_written(ctx.file, ctx.model, s);
        bool same = who == u.name || (u.uid && who == std::to_string(*u.uid)) ||
                    (!ids.empty() && who == ids.substr(0, ids.find(':'))) ||
                    (!user_text.empty() && who == user_text.substr(0, user_text.find(':')));
        if (!same) continue;
        for (const auto& op : ch->paths) {
          if (op == written) return true;
          std::string p = resolve_path(st.workdir, op);
          if (p == dir || (ch->recursive && dir.rfind(p + "/", 0) == 0)) return true;
        }
      }
    }
    return false;
  }

  // The base image's own user owns its home (node: /home/node).
  static bool home_of_base_user(const model::Stage& s, const model::EffectiveUser& u, const std::string& dir) {
    if (!s.facts) return false;
    for (const auto& k : s.facts->users)
      if (k.name == u.name && k.home == dir) return true;
    for (const auto& k : s.created_users)
      if (k.name == u.name && k.home == dir) return false;
    return false;
  }

  // Numeric ids work even before the user is created in the stage.
  static std::string owner_ids(const model::Stage& s, const model::EffectiveUser& u) {
    std::optional<uint32_t> uid = u.uid, gid;
    auto consider = [&](const model::KnownUser& k) {
      if (k.name == u.name || (u.uid && k.uid == u.uid)) {
        if (!uid) uid = k.uid;
        if (!gid) gid = k.gid;
      }
    };
    for (const auto& k : s.created_users) consider(k);
    if (s.facts)
      for (const auto& k : s.facts->users) consider(k);
    if (!uid) return {};
    return std::to_string(*uid) + ":" + std::to_string(gid.value_or(*uid));
  }
};

constexpr RuleInfo kInfo{
    .id = "workdir-owner",
    .title = "the final user cannot write its WORKDIR, which root created",
    .severity = Severity::Warning,
    .fix = FixAvailability::Sometimes,
    .commit_phrase = "let the runtime user write its WORKDIR",
    .why = "WORKDIR created the directory as root, so the non-root runtime user could not write it.",
    .options = kUserOptions,
    .make = make_instance<WorkdirOwner>,
    .page = pages::workdir_owner,
};

}  // namespace

DOCKERFIX_RULE_CLASS(WorkdirOwner, workdir_owner)

}  // namespace dockerfix::fix
