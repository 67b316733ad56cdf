// explicit-uid (seeds/002): useradd/adduser/groupadd/addgroup without an id
// get the configured one (1000), so the uid matches Kubernetes'
// runAsUser — unless the base image already uses that id, in which case the
// finding says so and nothing is guessed. Ids that earlier instructions of
// the stage take (explicitly, by this fix, or the group of the same name a
// useradd creates) are skipped: the next free id is used, so
// `useradd a; groupadd b` does not end in "GID '1000' already exists".
#include <optional>
#include <set>
#include <string_view>

#include "dockerfix/values.h"
#include "model/command_facts.h"
#include "model/words.h"
#include "transforms/rule_support.h"
#include "dockerfix/rule_info.h"
#include "transforms/rules/user_options.h"
#include "transforms/rules/rule_registration.h"

namespace dockerfix::fix {

namespace pages {
std::string_view explicit_uid();  // README.md beside this file, compiled in
}

namespace {

using model::base_name;
using model::resolve_path;
using model::split_words;
using model::unquote;

// The letters of a short-option cluster before any attached value:
// `-ms` is -m -s, `-u1000` is -u with 1000.
std::string_view cluster(const std::string& a) {
  if (a.size() < 2 || a[0] != '-' || a[1] == '-') return {};
  size_t i = 1;
  while (i < a.size() && std::isalpha(static_cast<unsigned char>(a[i]))) ++i;
  return std::string_view(a).substr(1, i - 1);
}

bool has_any(const std::vector<std::string>& argv, std::initializer_list<std::string_view> options) {
  for (size_t i = 1; i < argv.size(); ++i) {
    const auto& a = argv[i];
    for (auto o : options) {
      if (a == o) return true;
      if (o.size() > 2 && o.substr(0, 2) == "--" && a.rfind(std::string(o) + "=", 0) == 0) return true;
      if (o.size() == 2 && o[0] == '-' && cluster(a).find(o[1]) != std::string_view::npos) return true;
    }
  }
  return false;
}

size_t positional_count(const std::vector<std::string>& argv) {
  static const std::vector<std::string_view> with_value{"-u", "--uid", "-g", "--gid", "-d", "--home-dir", "--home", "-h", "-s",
                                                       "--shell", "-G", "--groups", "-c", "--comment", "--gecos", "-k", "-K",
                                                       "-e", "-f", "-p", "-b", "--ingroup"};
  size_t n = 0;
  for (size_t i = 1; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    // A cluster ending in an option that takes a value (`-ms /bin/sh`) takes the next word.
    auto letters = cluster(a);
    bool takes_next = std::find(with_value.begin(), with_value.end(), a) != with_value.end() ||
                      (letters.size() > 1 && letters.size() + 1 == a.size() &&
                       std::find(with_value.begin(), with_value.end(), "-" + std::string(1, letters.back())) != with_value.end());
    if (takes_next) {
      ++i;
      continue;
    }
    if (!a.empty() && a[0] != '-') ++n;
  }
  return n;
}

class ExplicitUid : public Rule {
 public:
  const RuleInfo& info() const override;

  std::vector<Finding> check(const Context& ctx) const override {
    std::vector<Finding> out;
    const auto& o = ctx.options;
    for (const auto& stage : ctx.model.stages) {
      // The ids in use, made when the stage first creates an account: most
      // stages create none, and the base image's accounts are many.
      std::optional<Ids> taken_ids;
      for (size_t si : stage.steps) {
        const auto& step = ctx.model.steps[si];
        for (const auto& cmd : step.commands) {
          const model::ShellWord* program = cmd.program_word();
          if (!program) continue;
          const std::string_view program_name = cmd.name();
          bool user = program_name == "useradd" || program_name == "adduser";
          bool group = program_name == "groupadd" || program_name == "addgroup";
          if (!user && !group) continue;
          const std::string name(program_name);
          if (!taken_ids) taken_ids = image_ids(ctx, stage);
          Ids& ids = *taken_ids;
          const std::vector<std::string> argv = cmd.argv();  // argv[0] is the program
          bool system = has_any(argv, {"-r", "--system", "-S"});  // system accounts pick their own range
          if (system || positional_count(argv) != 1) {            // `adduser user group` adds to a group
            if (!system) continue;
            // A system account's ids are below 1000; only explicit ones are known.
            allocate(ids, argv, user, std::nullopt);
            continue;
          }
          bool has_id = user ? has_any(argv, {"-u", "--uid"}) : has_any(argv, {"-g", "--gid"});
          if (has_id) {
            allocate(ids, argv, user, std::nullopt);
            continue;
          }
          std::string flag = id_flag(ctx, stage, name);
          uint32_t wanted = user ? o.uid : o.gid;
          auto& taken = user ? ids.uids : ids.gids;
          Finding fd = make_finding(ctx.file, id(),
                                    name + " without an explicit " + (user ? "uid" : "gid") +
                                        ": the id depends on the base image; set " + (user ? "-u " : "-g "),
                                    program->span);
          std::optional<uint32_t> chosen;
          if (auto bad = id_problem(wanted); !bad.empty()) {
            refuse_option(fd, (user ? "uid: " : "gid: ") + bad);
            fd.message += std::to_string(wanted);
          } else if (user && ids.image_uids.count(wanted)) {
            const model::KnownUser* k = user_with_uid(stage, wanted);
            fd.message += std::to_string(wanted);
            fd.no_fix_reason = "uid " + std::to_string(wanted) + " is already used by " +
                               (k ? k->name : std::string("another user")) + " in this image; reuse that user";
          } else if (group && ids.image_gids.count(wanted)) {
            fd.message += std::to_string(wanted);
            fd.no_fix_reason = "gid " + std::to_string(wanted) + " is already used in this image";
          } else {
            // The wanted id, or the next one no earlier instruction took.
            chosen = wanted;
            while (taken.count(*chosen) && *chosen < static_cast<uint32_t>(kMaxId)) ++*chosen;
            fd.message += std::to_string(*chosen);
            if (taken.count(*chosen)) {
              fd.no_fix_reason = "no free id from " + std::to_string(wanted);
              chosen.reset();
            } else if (flag.empty()) {
              fd.no_fix_reason = "which " + name + " this image has (busybox or Debian) is not known";
            } else {
              fd.fix.push_back({cmd.insert_after(0), " " + flag + " " + std::to_string(*chosen)});
            }
          }
          allocate(ids, argv, user, chosen);
          out.push_back(std::move(fd));
        }
      }
    }
    return out;
  }

  // Users the fix gave an id to now have a known uid; nothing else changes.
  bool user_may_change(const Change& c, size_t old, size_t now) const override {
    const auto* a = c.before.step_for(old);
    const auto* b = c.after.step_for(now);
    return a && b && a->user.state == b->user.state && a->user.name == b->user.name && !a->user.uid;
  }

 private:
  // The ids in use at a point of a stage: the base image's, and those the
  // stage's earlier instructions allocated.
  struct Ids {
    std::set<uint32_t> image_uids, image_gids;
    std::set<uint32_t> uids, gids;
  };

  static Ids image_ids(const Context& ctx, const model::Stage& s) {
    Ids ids;
    if (s.facts) {
      for (const auto& u : s.facts->users) {
        if (u.uid) ids.image_uids.insert(*u.uid);
        if (u.gid) ids.image_gids.insert(*u.gid);
      }
      for (const auto& g : s.facts->groups)
        if (g.gid) ids.image_gids.insert(*g.gid);
    }
    ids.uids = ids.image_uids;
    ids.gids = ids.image_gids;
    // A stage built on an earlier one has the accounts that one created.
    if (s.parent_stage) {
      const auto& parent = ctx.model.stages[*s.parent_stage];
      for (const auto& u : parent.created_users) {
        if (u.uid) ids.uids.insert(*u.uid);
        if (u.gid || u.uid) ids.gids.insert(u.gid.value_or(*u.uid));
      }
      for (const auto& g : parent.created_groups)
        if (g.gid) ids.gids.insert(*g.gid);
    }
    return ids;
  }

  // Records the ids an account-creating command takes: its own (or `chosen`,
  // the one the fix gives it) and, for a user, the group of the same name
  // that useradd, Debian's adduser and busybox adduser create unless told
  // which group to use; that group gets the uid as gid when it is free,
  // else the lowest free gid from 1000.
  static void allocate(Ids& ids, const std::vector<std::string>& argv, bool user, std::optional<uint32_t> chosen) {
    if (user) {
      auto u = model::created_user(argv);
      std::optional<uint32_t> uid = chosen ? chosen : (u ? u->uid : std::nullopt);
      if (uid) ids.uids.insert(*uid);
      bool own_group = !has_any(argv, {"-g", "--gid", "-G", "--ingroup", "-N", "--no-user-group"}) ||
                       (base_name(argv[0]) == "adduser" && has_any(argv, {"-g"}) && !has_any(argv, {"-G", "--ingroup", "--gid"}));
      if (u && u->gid) ids.gids.insert(*u->gid);
      else if (own_group && uid) {
        uint32_t gid = *uid;
        if (ids.gids.count(gid))
          for (gid = 1000; ids.gids.count(gid) && gid < static_cast<uint32_t>(kMaxId);) ++gid;
        ids.gids.insert(gid);
      }
    } else {
      auto g = model::created_group(argv);
      std::optional<uint32_t> gid = chosen ? chosen : (g ? g->gid : std::nullopt);
      if (gid) ids.gids.insert(*gid);
    }
  }

  // -u / -g for useradd, groupadd and busybox; --uid / --gid for Debian's adduser.
  static std::string id_flag(const Context&, const model::Stage& s, const std::string& name) {
    if (name == "useradd") return "-u";
    if (name == "groupadd") return "-g";
    if (!s.facts) return {};
    // Which adduser the image has is a fact of the knowledge base.
    if (s.facts->adduser == "busybox" || s.facts->adduser == "useradd") return name == "adduser" ? "-u" : "-g";
    if (s.facts->adduser == "debian") return name == "adduser" ? "--uid" : "--gid";
    return {};
  }
};

constexpr RuleInfo kInfo{
    .id = "explicit-uid",
    .title = "useradd/adduser/groupadd/addgroup without an explicit id: the id depends on the base image",
    .severity = Severity::Warning,
    .fix = FixAvailability::Sometimes,
    .commit_phrase = "create users with explicit ids",
    .why = "useradd/adduser without an id picks whatever id is free in the base image; an explicit id keeps file ownership and Kubernetes securityContext stable.",
    .options = kUserOptions,
    .make = make_instance<ExplicitUid>,
    .page = pages::explicit_uid,
};

}  // namespace

DOCKERFIX_RULE_CLASS(ExplicitUid, explicit_uid)

}  // namespace dockerfix::fix
