// nonroot-final-user (seeds/002; hadolint DL3002, Trivy DS002, Checkov
// CKV_DOCKER_3): the final stage runs as root. Reuse the image's own user
// with the wanted uid (node, ubuntu), else create one, and switch to it
// after the last step that needs root, just before CMD/ENTRYPOINT — humans
// who switched right after FROM broke their builds.
#include "dockerfix/values.h"
#include "transforms/rule_support.h"
#include "dockerfix/rule_info.h"
#include "transforms/rules/runtime_reasons.h"
#include "transforms/rules/user_options.h"
#include "dockerfix/runtime_facts.h"
#include "transforms/rules/rule_registration.h"

namespace dockerfix::fix {

namespace pages {
std::string_view nonroot_final_user();  // README.md beside this file, compiled in
}

namespace {

class NonrootFinalUser : public Rule {
 public:
  const RuleInfo& info() const override;

  std::vector<Finding> check(const Context& ctx) const override {
    if (!ctx.model.final_stage) return {};
    const auto& f = ctx.file;
    const auto& stage = ctx.model.stages[*ctx.model.final_stage];
    if (!stage.final_user.is_root()) return {};
    const auto& from = f.instructions[stage.from_instruction];
    const Instruction* explicit_root = last_user_instruction(ctx, stage);
    Finding fd = make_finding(f, id(), "the image runs as root: add a non-root USER before CMD/ENTRYPOINT",
                              explicit_root ? explicit_root->keyword_span : from.keyword_span);
    if (explicit_root) {
      fd.no_fix_reason = "USER root is set explicitly at line " + std::to_string(explicit_root->start_line) +
                         "; change it deliberately";
      return {fd};
    }
    // The facts that most often refuse first, on their own: most stages
    // never need the rest (the whole facts reuse them when they do).
    const auto& context = ctx.options.model.context;
    if (auto why = needs_root(model::runtime_generated(f, ctx.model, stage.index, context),
                              model::runtime_command(f, ctx.model, stage.index, context),
                              model::runtime_privilege_drops(f, ctx.model, stage.index, context))) {
      fd.no_fix_reason = *why;
      return {fd};
    }
    const model::RuntimeFacts& rf = model::runtime_facts(f, ctx.model, stage.index, context);
    if (auto why = needs_root(rf)) {
      fd.no_fix_reason = *why;
      return {fd};
    }
    const model::ImageFacts* facts = stage.facts;
    std::string user_tool = facts ? facts->user_tool : inferred_user_tool(rf);
    if (!facts && user_tool.empty()) {
      fd.no_fix_reason = "the base image is not in the knowledge base";
      return {fd};
    }
    const auto& o = ctx.options;
    if (refuse_option(fd, user_options_problem(o))) return {fd};
    bool shell_less = facts ? facts->shell == false : rf.shell.state == model::ShellFact::State::No;
    std::string user_line, create_line, whose;
    if (const model::UserFact* own = created_user(f, rf)) {
      // The user the file made for its program, rather than one of ours.
      user_line = o.numeric_user && own->uid ? numeric(*own->uid, *own->uid) : own->name;
      whose = "a user the file creates at line " + std::to_string(own->evidence.line);
    } else if (const model::KnownUser* u = base_user(stage, rf, o.uid)) {
      user_line = o.numeric_user ? numeric(*u->uid, u->gid.value_or(o.gid)) : u->name;
      whose = "a user the image already has";
    } else if (shell_less) {
      const model::KnownUser* nonroot = nullptr;
      if (facts)
        for (const auto& u : facts->users)
          if (u.uid && *u.uid != 0) nonroot = &u;
      user_line = nonroot ? numeric(*nonroot->uid, nonroot->gid.value_or(*nonroot->uid)) : numeric(o.uid, o.gid);
      whose = "a user the image already has";
    } else if (!final_shell_is_posix(ctx, stage)) {
      fd.no_fix_reason = "the stage's SHELL is not POSIX sh: a RUN that creates the user would not run";
      return {fd};
    } else {
      if (rf.user(o.user)) {
        fd.no_fix_reason = "a user named " + o.user + " already exists with another uid; choose --user";
        return {fd};
      }
      create_line = create_user(ctx, user_tool, microdnf_only(facts, rf));
      if (create_line.empty()) {
        fd.no_fix_reason = "no known way to create a user in " + (facts ? facts->id : "a " + rf.family.family + " image");
        return {fd};
      }
      user_line = o.numeric_user ? numeric(o.uid, o.gid) : o.user;
      whose = "created with uid " + std::to_string(o.uid);
    }
    if (!plain_user_spec(user_line)) {
      fd.no_fix_reason = "the image's user name has characters a USER line should not hold";
      return {fd};
    }
    // A USER change is merged unchanged only when nothing suggests the
    // process needs root; otherwise it is offered as unsafe, saying why.
    std::optional<std::string> doubt = not_known_harmless(rf);
    if (!facts && !doubt) doubt = "the base image is not in the knowledge base";
    fd.applicability = doubt ? Applicability::Unsafe : Applicability::Safe;
    const Instruction* before = insertion_point(ctx, stage);
    std::string text;
    if (!create_line.empty()) text += ctx.style.keyword("RUN") + " " + create_line;
    if (before) {
      if (!text.empty()) fd.fix.push_back(insert_line_before(f, *before, text, ctx.style));
      fd.fix.push_back(insert_line_before(f, *before, ctx.style.keyword("USER") + " " + user_line, ctx.style));
    } else {
      const Instruction& last = f.instructions[ctx.model.steps[stage.steps.back()].instruction];
      std::string lines = text.empty() ? "" : text + ctx.style.newline + indentation(f, last);
      fd.fix.push_back(insert_line_after(f, last, lines + ctx.style.keyword("USER") + " " + user_line, ctx.style));
    }
    fd.message = "the image runs as root: run as " + user_line + " (" + whose + ")" +
                 (doubt ? "; unsafe: " + *doubt : std::string());
    return {fd};
  }

  bool user_may_change(const Change& c, size_t, size_t now) const override {
    const auto* s = c.after.step_for(now);
    return s && c.after.final_stage && s->stage == *c.after.final_stage && s->user.is_nonroot();
  }

  std::string verify(const Change& c) const override {
    if (!c.after.final_stage || !c.after.stages[*c.after.final_stage].final_user.is_nonroot())
      return "the final stage still does not run as a non-root user";
    return {};
  }

 private:
  static std::string user_options_problem(const Options& o) {
    if (auto p = user_name_problem(o.user); !p.empty()) return "user: " + p;
    if (auto p = id_problem(o.uid); !p.empty()) return "uid: " + p;
    if (auto p = id_problem(o.gid); !p.empty()) return "gid: " + p;
    return {};
  }

  static std::string numeric(uint32_t uid, uint32_t gid) { return std::to_string(uid) + ":" + std::to_string(gid); }

  static const Instruction* last_user_instruction(const Context& ctx, const model::Stage& s) {
    const Instruction* last = nullptr;
    for (size_t si : s.steps) {
      const auto& ins = ctx.file.instructions[ctx.model.steps[si].instruction];
      if (ins.keyword == "USER") last = &ins;
    }
    return last;
  }

  // The account-creating command for the image's user tool.
  static std::string create_user(const Context& ctx, const std::string& user_tool, bool microdnf_only) {
    const auto& o = ctx.options;
    std::string uid = std::to_string(o.uid), gid = std::to_string(o.gid), name = shell_word(o.user);
    std::string home = shell_word("/home/" + o.user);
    if (user_tool == "adduser-busybox")
      return "addgroup -g " + gid + " " + name + " && adduser -D -u " + uid + " -G " + name + " -h " + home +
             " -s /bin/sh " + name;
    if (user_tool == "useradd" && !microdnf_only)
      return "groupadd -g " + gid + " " + name + " && useradd -m -u " + uid + " -g " + name + " -s /bin/bash " + name;
    return {};
  }

  // ubi-minimal has no useradd until the file installs shadow-utils.
  static bool microdnf_only(const model::ImageFacts* facts, const model::RuntimeFacts& rf) {
    bool only = facts && !facts->package_managers.empty() && facts->package_managers.front() == "microdnf";
    for (const auto& t : rf.user_tools)
      if (t.tool == "useradd") only = false;
    return only;
  }

  // For a base the knowledge base does not know: the tool of the family the
  // file's own package manager proves.
  static std::string inferred_user_tool(const model::RuntimeFacts& rf) {
    if (!rf.family.inferred || rf.shell.state != model::ShellFact::State::Yes) return {};
    if (rf.family.family == "alpine") return "adduser-busybox";
    if (rf.family.family == "debian" || rf.family.family == "ubuntu" || rf.family.family == "rhel" ||
        rf.family.family == "suse" || rf.family.family == "arch")
      return "useradd";
    return {};
  }

  // The last user the file itself creates, renames or re-numbers (and does
  // not delete), if any: the one its author meant the program to run as.
  static const model::UserFact* created_user(const Dockerfile& f, const model::RuntimeFacts& rf) {
    const model::UserFact* out = nullptr;
    for (const auto& u : rf.users) {
      bool made = u.origin == "created" ||
                  (u.evidence.instruction && f.instructions[*u.evidence.instruction].keyword == "RUN");
      if (made && !u.deleted && !u.name.empty() && u.name != "root" && u.uid != 0u) out = &u;
    }
    return out;
  }

  // The base image's user with `uid`, unless the file deleted, renamed or
  // re-numbered it (userdel/usermod).
  static const model::KnownUser* base_user(const model::Stage& s, const model::RuntimeFacts& rf, uint32_t uid) {
    if (!s.facts) return nullptr;
    for (const auto& u : s.facts->users) {
      if (u.uid != uid) continue;
      const model::UserFact* now = rf.user(u.name);
      if (now && now->uid == uid) return &u;
    }
    return nullptr;
  }

  // Before the first CMD/ENTRYPOINT that follows every step that may need
  // root (RUN, COPY, ADD, WORKDIR); nullptr: append after the stage.
  static const Instruction* insertion_point(const Context& ctx, const model::Stage& s) {
    size_t last_root = 0;
    for (size_t k = 0; k < s.steps.size(); ++k) {
      const auto& kw = ctx.file.instructions[ctx.model.steps[s.steps[k]].instruction].keyword;
      if (kw == "RUN" || kw == "COPY" || kw == "ADD" || kw == "WORKDIR" || kw == "FROM") last_root = k;
    }
    for (size_t k = last_root + 1; k < s.steps.size(); ++k) {
      const auto& ins = ctx.file.instructions[ctx.model.steps[s.steps[k]].instruction];
      if (ins.keyword == "CMD" || ins.keyword == "ENTRYPOINT" || ins.keyword == "HEALTHCHECK" || ins.keyword == "EXPOSE")
        return &ins;
    }
    return nullptr;
  }
};

constexpr std::array<std::string_view, 3> kAliases{"DL3002", "DS002", "CKV_DOCKER_3"};
constexpr RuleInfo kInfo{
    .id = "nonroot-final-user",
    .title = "the final stage runs as root",
    .aliases = kAliases,
    .severity = Severity::Warning,
    .fix = FixAvailability::Sometimes,
    .security = true,
    .security_severity = "7.5",
    .commit_phrase = "run as non-root user {user} (uid {uid})",
    .why = "The image ran as root: a compromised process would own the container. It now runs as a non-root user.",
    .options = kUserOptions,
    .make = make_instance<NonrootFinalUser>,
    .page = pages::nonroot_final_user,
};

}  // namespace

DOCKERFIX_RULE_CLASS(NonrootFinalUser, nonroot_final_user)

}  // namespace dockerfix::fix
