// copy-chown (seeds/002): in a stage that runs as a non-root user, files
// copied into that user's home or the runtime WORKDIR without --chown are
// root-owned and not writable by it. --chown on the COPY is the fix; a later
// `RUN chown -R` copies the whole tree into a new layer. Files the program
// only reads (/usr/local/bin) may stay root-owned and are left alone.
#include <filesystem>

#include "model/command_facts.h"
#include "model/words.h"
#include "transforms/rule_support.h"
#include "dockerfix/rule_info.h"
#include "transforms/rules/runtime_reasons.h"
#include "transforms/rules/user_options.h"
#include "transforms/rules/rule_registration.h"

namespace dockerfix::fix {

namespace pages {
std::string_view copy_chown();  // README.md beside this file, compiled in
}

namespace {

using model::resolve_path;

bool under(const std::string& path, const std::string& dir) {
  if (dir.empty() || dir == "/") return false;
  return path == dir || path.rfind(dir + "/", 0) == 0;
}

class CopyChown : public Rule {
 public:
  const RuleInfo& info() const override;

  std::vector<Finding> check(const Context& ctx) const override {
    std::vector<Finding> out;
    const auto& f = ctx.file;
    for (const auto& stage : ctx.model.stages) {
      const auto& user = stage.final_user;
      if (!user.is_nonroot() || stage.steps.empty()) continue;
      const model::KnownUser* known = find(stage, user);
      std::string home = known ? known->home : std::string();
      std::string runtime_workdir = ctx.model.steps[stage.steps.back()].workdir;
      for (size_t si : stage.steps) {
        const auto& step = ctx.model.steps[si];
        const auto& ins = f.instructions[step.instruction];
        if ((ins.keyword != "COPY" && ins.keyword != "ADD") || has_flag(ins, "chown")) continue;
        std::string dest = destination(ins);
        if (dest.empty() || dest.find('$') != std::string::npos) continue;
        std::string path = resolve_path(step.workdir, dest);
        if (!under(path, home) && !under(path, runtime_workdir)) continue;
        if (!read_only_place(stage, path).empty() || chowned_later(ctx, stage, user, path, step.instruction)) continue;
        std::string owner = owner_spec(ctx, stage, user, known, step.instruction);
        // USER ${UID}:${GID} stays an ARG reference, not its default.
        if (std::string written = user_as_written(f, ctx.model, stage); !written.empty() && flag_value_ok(written))
          owner = written;
        Finding fd = make_finding(f, id(),
                                  ins.keyword + " into " + path + " leaves files owned by root, but the image runs as " +
                                      user.name + ": add --chown=" + (owner.empty() ? user.name : owner),
                                  ins.keyword_span);
        if (owner.empty()) {
          fd.no_fix_reason = "the user does not exist yet at this line and its uid is not known";
        } else if (!std::all_of(owner.begin(), owner.end(), owner_char) && !flag_value_ok(owner)) {
          // A flag value cannot be quoted; a name with other bytes stays as the author wrote it.
          fd.no_fix_reason = "the user's name has characters a --chown value cannot hold";
        } else {
          uint32_t at = ins.flags.empty() ? ins.keyword_span.end : ins.flags.back().span.end;
          fd.fix.push_back({{at, at}, " --chown=" + owner});
        }
        out.push_back(std::move(fd));
      }
    }
    return out;
  }

 private:
  // A --chown value with variables BuildKit expands: $NAME and ${NAME} only.
  static bool flag_value_ok(const std::string& v) {
    for (size_t i = 0; i < v.size(); ++i) {
      if (v[i] != '$') {
        if (!owner_char(v[i])) return false;
        continue;
      }
      bool braced = i + 1 < v.size() && v[i + 1] == '{';
      size_t j = i + (braced ? 2 : 1), start = j;
      while (j < v.size() && (std::isalnum(static_cast<unsigned char>(v[j])) || v[j] == '_')) ++j;
      if (j == start || (braced && (j >= v.size() || v[j] != '}'))) return false;
      i = braced ? j : j - 1;
    }
    return true;
  }

  // A later `RUN chown -R` of the user already gives it the copied files.
  static bool chowned_later(const Context& ctx, const model::Stage& s, const model::EffectiveUser& u,
                            const std::string& path, size_t after) {
    for (size_t si : s.steps) {
      const auto& st = ctx.model.steps[si];
      if (st.instruction <= after) continue;
      for (const auto& c : st.commands) {
        auto ch = chown_of(c);
        if (!ch || !ch->recursive) continue;
        if (ch->who != u.name && !(u.uid && ch->who == std::to_string(*u.uid))) continue;
        for (const auto& p : ch->paths) {
          std::string dir = resolve_path(st.workdir, p);
          if (dir != "/" && (path == dir || path.rfind(dir + "/", 0) == 0)) return true;
        }
      }
    }
    return false;
  }

  static bool owner_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
           c == '.' || c == ':';
  }

  static bool has_flag(const Instruction& ins, std::string_view name) {
    for (const auto& fl : ins.flags)
      if (fl.name == name) return true;
    return false;
  }

  static std::string destination(const Instruction& ins) {
    if (ins.exec_form) return ins.exec.size() >= 2 ? ins.exec.back() : std::string();
    std::string_view a = ins.arguments;
    while (!a.empty() && (a.back() == ' ' || a.back() == '\t')) a.remove_suffix(1);
    auto sp = a.find_last_of(" \t");
    if (sp == std::string_view::npos) return {};
    return std::string(a.substr(sp + 1));
  }

  static const model::KnownUser* find(const model::Stage& s, const model::EffectiveUser& u) {
    for (const auto& k : s.created_users)
      if (k.name == u.name || (u.uid && k.uid == u.uid)) return &k;
    if (s.facts)
      for (const auto& k : s.facts->users)
        if (k.name == u.name || (u.uid && k.uid == u.uid)) return &k;
    return nullptr;
  }

  // The name when the user exists at this point of the build, else the
  // numeric ids (a COPY cannot name a user that is created later).
  static std::string owner_spec(const Context& ctx, const model::Stage& s, const model::EffectiveUser& u,
                                const model::KnownUser* known, size_t at_instruction) {
    bool exists_now = false;
    if (s.facts)
      for (const auto& k : s.facts->users) exists_now = exists_now || k.name == u.name;
    for (size_t si : s.steps) {
      const auto& st = ctx.model.steps[si];
      if (st.instruction >= at_instruction) break;
      for (const auto& c : st.commands)
        if (auto created = model::created_user(c.argv()); created && created->name == u.name) exists_now = true;
    }
    bool numeric_name = !u.name.empty() && std::all_of(u.name.begin(), u.name.end(), ::isdigit);
    std::optional<uint32_t> uid = u.uid;
    if (!uid && known) uid = known->uid;
    std::optional<uint32_t> gid;
    if (known) gid = known->gid;
    if (numeric_name) return u.name + (gid ? ":" + std::to_string(*gid) : std::string());
    if (exists_now) {
      if (!u.group.empty()) return u.name + ":" + u.group;
      bool group_named = false;
      for (const auto& g : s.created_groups) group_named = group_named || g.name == u.name;
      if (s.facts)
        for (const auto& g : s.facts->groups) group_named = group_named || g.name == u.name;
      return group_named ? u.name + ":" + u.name : u.name;
    }
    if (uid) return std::to_string(*uid) + ":" + std::to_string(gid.value_or(*uid));
    return {};
  }
};

constexpr RuleInfo kInfo{
    .id = "copy-chown",
    .title = "COPY/ADD into the runtime user's home or WORKDIR without --chown leaves the files owned by root",
    .severity = Severity::Warning,
    .fix = FixAvailability::Sometimes,
    .commit_phrase = "copy files owned by the runtime user",
    .why = "COPY/ADD left files owned by root in a directory the runtime user must write; --chown gives them to it.",
    .options = kUserOptions,
    .make = make_instance<CopyChown>,
    .page = pages::copy_chown,
};

}  // namespace

DOCKERFIX_RULE_CLASS(CopyChown, copy_chown)

}  // namespace dockerfix::fix
