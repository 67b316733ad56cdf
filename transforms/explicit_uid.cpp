// explicit-uid (seeds/002): useradd/adduser/groupadd/addgroup without an id
// get the configured one (1000), so the uid matches Kubernetes'
// runAsUser — unless the base image already uses that id, in which case the
// finding says so and nothing is guessed.
#include "transforms/rules.h"
#include "model/words.h"
#include "transforms/text.h"

namespace dockerfix::fix {

namespace {

using model::base_name;
using model::resolve_path;
using model::split_words;
using model::unquote;

bool has_any(const std::vector<std::string>& argv, std::initializer_list<std::string_view> options) {
  for (size_t i = 1; i < argv.size(); ++i) {
    const auto& a = argv[i];
    for (auto o : options) {
      if (a == o) return true;
      if (o.size() > 2 && o.substr(0, 2) == "--" && a.rfind(std::string(o) + "=", 0) == 0) return true;
      if (o.size() == 2 && o[0] == '-' && a.size() > 2 && a.rfind(std::string(o), 0) == 0 && std::isdigit(static_cast<unsigned char>(a[2]))) return true;
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
    if (std::find(with_value.begin(), with_value.end(), argv[i]) != with_value.end()) {
      ++i;
      continue;
    }
    if (!argv[i].empty() && argv[i][0] != '-') ++n;
  }
  return n;
}

class ExplicitUid : public Rule {
 public:
  std::string_view id() const override { return "explicit-uid"; }
  std::string_view summary() const override {
    return "useradd/adduser/groupadd/addgroup without an explicit id: the id depends on the base image";
  }

  std::vector<Finding> check(const Context& ctx) const override {
    std::vector<Finding> out;
    const auto& o = ctx.options;
    for (const auto& stage : ctx.model.stages) {
      bool uid_given = user_with_uid(stage, o.uid) != nullptr;
      bool gid_given = taken_gid(stage, o.gid);
      for (size_t si : stage.steps) {
        const auto& step = ctx.model.steps[si];
        for (const auto& cmd : step.commands) {
          if (cmd.argv.empty()) continue;
          std::vector<std::string> argv;
          for (const auto& w : cmd.argv) argv.push_back(unquote(w));
          std::string name = base_name(argv[0]);
          bool user = name == "useradd" || name == "adduser";
          bool group = name == "groupadd" || name == "addgroup";
          if (!user && !group) continue;
          if (has_any(argv, {"-r", "--system", "-S"})) continue;  // system accounts pick their own range
          if (positional_count(argv) != 1) continue;             // `adduser user group` adds to a group
          if (user && has_any(argv, {"-u", "--uid"})) continue;
          if (group && has_any(argv, {"-g", "--gid"})) continue;
          std::string flag = id_flag(ctx, stage, name);
          Finding fd = make_finding(ctx.file, id(),
                                    name + " without an explicit " + (user ? "uid" : "gid") +
                                        ": the id depends on the base image; set " + (user ? "-u " : "-g ") +
                                        std::to_string(user ? o.uid : o.gid),
                                    cmd.spans[0]);
          if (user && uid_given) {
            const model::KnownUser* k = user_with_uid(stage, o.uid);
            fd.no_fix_reason = "uid " + std::to_string(o.uid) + " is already used by " + (k ? k->name : std::string("another user")) +
                               " in this image; reuse that user";
          } else if (group && gid_given) {
            fd.no_fix_reason = "gid " + std::to_string(o.gid) + " is already used in this image";
          } else if (flag.empty()) {
            fd.no_fix_reason = "which " + name + " this image has (busybox or Debian) is not known";
          } else {
            std::string value = std::to_string(user ? o.uid : o.gid);
            fd.fix.push_back({{cmd.spans[0].end, cmd.spans[0].end}, " " + flag + " " + value});
            // Only one account can have the id.
            if (user) uid_given = true;
            else gid_given = true;
          }
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
  static bool taken_gid(const model::Stage& s, uint32_t gid) {
    for (const auto& g : s.created_groups)
      if (g.gid == gid) return true;
    if (s.facts) {
      for (const auto& g : s.facts->groups)
        if (g.gid == gid) return true;
      for (const auto& u : s.facts->users)
        if (u.gid == gid) return true;
    }
    return false;
  }

  // -u / -g for useradd, groupadd and busybox; --uid / --gid for Debian's adduser.
  static std::string id_flag(const Context&, const model::Stage& s, const std::string& name) {
    if (name == "useradd") return "-u";
    if (name == "groupadd") return "-g";
    if (!s.facts) return {};
    const auto& fam = s.facts->family;
    bool busybox = fam == "alpine" || fam == "busybox" || fam == "wolfi" || s.facts->user_tool == "adduser-busybox";
    bool debian = fam == "debian" || fam == "ubuntu";
    if (busybox) return name == "adduser" ? "-u" : "-g";
    if (debian) return name == "adduser" ? "--uid" : "--gid";
    return {};
  }
};

}  // namespace

std::unique_ptr<Rule> make_explicit_uid() { return std::make_unique<ExplicitUid>(); }

}  // namespace dockerfix::fix
