#include "model/command_facts.h"
#include "model/words.h"

#include <algorithm>
#include <array>
#include <unordered_map>

namespace dockerfix::model {

namespace {

using Args = std::span<const std::string_view>;

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

std::optional<uint32_t> to_uint(std::string_view s) {
  if (s.empty() || s.size() > 9 || !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return std::nullopt;
  uint32_t n = 0;
  for (char c : s) n = n * 10 + static_cast<uint32_t>(c - '0');
  return n;
}

// A path the model can decide on: no unresolved expansion before the first
// fixed directory (`$HOME/x` could be anywhere).
std::optional<std::string> decidable(std::string_view workdir, std::string_view p) {
  if (p.empty() || p[0] == '$' || p[0] == '~' || p[0] == '`') return std::nullopt;
  if (p[0] != '/' && workdir.find('$') != std::string_view::npos) return std::nullopt;
  return resolve_path(workdir, p);
}

constexpr std::array<std::string_view, 5> kApt{"apt-get", "apt", "aptitude", "apt-cache", "apt-key"};
constexpr std::array<std::string_view, 14> kAptMutating{"install", "update", "upgrade", "dist-upgrade", "full-upgrade",
                                                         "remove", "purge", "autoremove", "build-dep", "clean",
                                                         "autoclean", "reinstall", "add", "satisfy"};
constexpr std::array<std::string_view, 6> kDnf{"dnf", "yum", "microdnf", "tdnf", "dnf5", "zypper"};
constexpr std::array<std::string_view, 19> kDnfMutating{"install", "in", "update", "upgrade", "up", "remove",
                                                         "rm", "erase", "groupinstall", "reinstall", "makecache",
                                                         "clean", "module", "config-manager", "distro-sync",
                                                         "refresh", "ref", "autoremove", "swap"};
constexpr std::array<std::string_view, 14> kUserTools{"useradd", "adduser", "groupadd", "addgroup", "usermod",
                                                      "groupmod", "userdel", "deluser", "groupdel", "delgroup",
                                                      "chpasswd", "passwd", "gpasswd", "chsh"};
constexpr std::array<std::string_view, 9> kSystemConfig{"update-ca-certificates", "ldconfig", "locale-gen",
                                                        "update-locale", "update-alternatives", "dpkg-reconfigure",
                                                        "setcap", "update-rc.d", "systemctl"};

template <size_t N>
bool in(const std::array<std::string_view, N>& set, std::string_view s) {
  return std::find(set.begin(), set.end(), s) != set.end();
}

// Calls `f` on each argument after argv[0] that is not an option (`--` ends
// the options) until it returns false.
template <class F>
void each_operand(Args argv, F f) {
  bool options_done = false;
  for (size_t i = 1; i < argv.size(); ++i) {
    if (!options_done && argv[i] == "--") {
      options_done = true;
      continue;
    }
    if (!options_done && argv[i].size() > 1 && argv[i][0] == '-') continue;
    if (!f(argv[i])) return;
  }
}

std::vector<std::string_view> operands(Args argv) {
  std::vector<std::string_view> out;
  each_operand(argv, [&](std::string_view a) {
    out.push_back(a);
    return true;
  });
  return out;
}

// The first of operands(argv), or "".
std::string_view first_operand(Args argv) {
  std::string_view out;
  each_operand(argv, [&](std::string_view a) {
    out = a;
    return false;
  });
  return out;
}

std::string joined(std::string_view a, std::string_view b, std::string_view c) {
  std::string out;
  out.reserve(a.size() + b.size() + c.size());
  out += a;
  out += b;
  out += c;
  return out;
}

RootReason changes_packages(std::string_view cmd, std::string_view what) {
  std::string detail;
  detail.reserve(cmd.size() + what.size() + 32);
  detail += cmd;
  detail += ' ';
  detail += what;
  detail += " changes the system's packages";
  return RootReason{"package-install", std::move(detail)};
}

std::optional<RootReason> package_manager(std::string_view cmd, Args argv) {
  const bool apt = in(kApt, cmd), dnf = !apt && in(kDnf, cmd);
  if (apt || dnf || cmd == "apk") {
    const std::string_view first_sub = first_operand(argv);
    if (apt && in(kAptMutating, first_sub)) return changes_packages(cmd, first_sub);
    if (dnf && in(kDnfMutating, first_sub)) return changes_packages(cmd, first_sub);
    if (cmd == "apk" && (first_sub == "add" || first_sub == "del" || first_sub == "update" || first_sub == "upgrade" ||
                         first_sub == "fix"))
      return changes_packages("apk", first_sub);
    return std::nullopt;
  }
  if (cmd == "pacman" || cmd == "yay" || cmd == "paru") {
    for (size_t i = 1; i < argv.size(); ++i) {
      const auto& a = argv[i];
      if ((a.size() > 1 && a[0] == '-' && a[1] != '-' && a.find_first_of("SUR") != std::string_view::npos) ||
          a == "--sync" || a == "--upgrade" || a == "--remove")
        return changes_packages(cmd, a);
    }
  }
  if (cmd == "dpkg" || cmd == "rpm") {
    for (size_t i = 1; i < argv.size(); ++i) {
      const auto& a = argv[i];
      if (a == "-i" || a == "--install" || a == "-r" || a == "--remove" || a == "-P" || a == "--purge" ||
          a == "--configure" || a == "--add-architecture" || a == "-U" || a == "-e" || a == "--erase" ||
          a == "--import" || starts_with(a, "-iv") || starts_with(a, "-Uv"))
        return changes_packages(cmd, a);
    }
  }
  return std::nullopt;
}

// Paths a file-writing command writes to.
std::vector<std::string_view> written_paths(std::string_view cmd, Args argv) {
  std::vector<std::string_view> out;
  if (cmd == "mkdir" || cmd == "touch" || cmd == "rm" || cmd == "rmdir" || cmd == "truncate" || cmd == "tee" ||
      cmd == "unlink") {
    return operands(argv);
  } else if (cmd == "chmod" || cmd == "chgrp") {
    auto ops = operands(argv);
    if (!ops.empty()) ops.erase(ops.begin());
    return ops;
  } else if (cmd == "cp" || cmd == "mv" || cmd == "ln" || cmd == "install" || cmd == "rsync") {
    for (size_t i = 1; i < argv.size(); ++i)
      if ((argv[i] == "-t" || argv[i] == "--target-directory") && i + 1 < argv.size()) return {argv[i + 1]};
    auto ops = operands(argv);
    bool install_dirs = cmd == "install" && std::find(argv.begin(), argv.end(), "-d") != argv.end();
    if (install_dirs) return ops;
    if (ops.size() >= 2 || (cmd == "ln" && !ops.empty())) out.push_back(ops.back());
  } else if (cmd == "sed") {
    bool in_place = std::any_of(argv.begin() + 1, argv.end(), [](std::string_view a) {
      return starts_with(a, "-i") || starts_with(a, "--in-place") ||
             (a.size() > 1 && a[0] == '-' && a[1] != '-' && a.find('i') != std::string_view::npos);
    });
    if (in_place) {
      auto ops = operands(argv);
      bool has_e = std::any_of(argv.begin(), argv.end(), [](std::string_view a) { return a == "-e" || a == "--expression"; });
      for (size_t i = has_e ? 0 : 1; i < ops.size(); ++i)
        if (!ops[i].empty() && (ops[i][0] == '/' || ops[i][0] == '.')) out.push_back(ops[i]);
    }
  } else if (cmd == "curl" || cmd == "wget") {
    for (size_t i = 1; i + 1 < argv.size(); ++i) {
      const auto& a = argv[i];
      if ((cmd == "curl" && (a == "-o" || a == "--output")) || (cmd == "wget" && (a == "-O" || a == "-P")))
        out.push_back(argv[i + 1]);
    }
  } else if (cmd == "tar") {
    for (size_t i = 1; i + 1 < argv.size(); ++i)
      if (argv[i] == "-C" || argv[i] == "--directory") out.push_back(argv[i + 1]);
  } else if (cmd == "unzip") {
    for (size_t i = 1; i + 1 < argv.size(); ++i)
      if (argv[i] == "-d") out.push_back(argv[i + 1]);
  }
  return out;
}

template <class S>
size_t unwrapped_at(std::span<const S> argv) {
  size_t i = 0;
  while (i < argv.size()) {
    const std::string_view c = base_name(argv[i]);
    if (c == "env") {
      ++i;
      while (i < argv.size() && (argv[i].find('=') != std::string_view::npos || (argv[i].size() > 1 && argv[i][0] == '-'))) ++i;
    } else if (c == "nice" || c == "nohup" || c == "time" || c == "exec" || c == "command" || c == "stdbuf") {
      ++i;
      while (i < argv.size() && argv[i].size() > 1 && argv[i][0] == '-') ++i;
    } else {
      break;
    }
  }
  return std::min(i, argv.size());
}

// The argv of `raw` after its wrappers, as views.
template <class S>
std::vector<std::string_view> unwrapped_views(std::span<const S> raw) {
  const size_t at = unwrapped_at(raw);
  return {raw.begin() + static_cast<long>(at), raw.end()};
}

std::optional<KnownUser> user_of(Args argv) {
  if (argv.empty()) return std::nullopt;
  const std::string_view cmd = base_name(argv[0]);
  if (cmd != "useradd" && cmd != "adduser") return std::nullopt;
  // Options that take a value, for both useradd and busybox/Debian adduser.
  static constexpr std::array<std::string_view, 26> with_value{
      "-u", "--uid", "-g", "--gid", "-d", "--home-dir", "--home", "-h", "-s", "--shell", "-G", "--groups",
      "-c", "--comment", "--gecos", "-k", "--skel", "-K", "--key", "-e", "-f", "-p", "-b", "--base-dir",
      "--ingroup", "--firstuid"};
  KnownUser u;
  std::vector<std::string_view> positional;
  for (size_t i = 1; i < argv.size(); ++i) {
    std::string_view a = argv[i], v;
    auto eq = a.find('=');
    bool has_inline = starts_with(a, "--") && eq != std::string_view::npos;
    if (has_inline) {
      v = a.substr(eq + 1);
      a = a.substr(0, eq);
    }
    bool takes = std::find(with_value.begin(), with_value.end(), a) != with_value.end();
    // busybox adduser: -g is GECOS, -G the group.
    if (cmd == "adduser" && a == "-g") takes = true;
    if (takes && !has_inline) {
      if (i + 1 >= argv.size()) break;
      v = argv[++i];
    } else if (!takes && a.size() > 2 && a[0] == '-' && a[1] == 'u' && to_uint(a.substr(2))) {
      u.uid = to_uint(a.substr(2));
      continue;
    }
    if (!takes) {
      if (a.empty() || a[0] != '-') positional.push_back(a);
      continue;
    }
    if (a == "-u" || a == "--uid") u.uid = to_uint(v);
    else if ((a == "-g" && cmd == "useradd") || a == "--gid") u.gid = to_uint(v);
    else if (a == "-d" || a == "--home-dir" || a == "--home" || (a == "-h" && cmd == "adduser")) u.home = v;
    else if (a == "-s" || a == "--shell") u.shell = v;
  }
  // `adduser user group` adds an existing user to a group.
  if (positional.size() != 1) return std::nullopt;
  u.name = positional[0];
  if (u.home.empty()) u.home = "/home/" + u.name;
  return u;
}

std::optional<KnownGroup> group_of(Args argv) {
  if (argv.empty()) return std::nullopt;
  const std::string_view cmd = base_name(argv[0]);
  if (cmd != "groupadd" && cmd != "addgroup") return std::nullopt;
  KnownGroup g;
  std::vector<std::string_view> positional;
  for (size_t i = 1; i < argv.size(); ++i) {
    std::string_view a = argv[i], v;
    auto eq = a.find('=');
    if (starts_with(a, "--") && eq != std::string_view::npos) {
      v = a.substr(eq + 1);
      a = a.substr(0, eq);
    } else if ((a == "-g" || a == "--gid") && i + 1 < argv.size()) {
      v = argv[++i];
    } else if (a == "-K" || a == "--key" || a == "-p" || a == "--password") {
      ++i;
      continue;
    }
    if (a == "-g" || a == "--gid") g.gid = to_uint(v);
    else if (!a.empty() && a[0] != '-') positional.push_back(a);
  }
  if (positional.size() != 1) return std::nullopt;
  g.name = positional[0];
  return g;
}

// The program a command runs after its wrappers, when it is a user or group tool.
template <class S>
bool runs_one_of(std::span<const S> raw, std::string_view a, std::string_view b) {
  const size_t at = unwrapped_at(raw);
  if (at >= raw.size()) return false;
  const std::string_view cmd = base_name(raw[at]);
  return cmd == a || cmd == b;
}

}  // namespace

bool is_system_path(std::string_view path) {
  static constexpr std::array<std::string_view, 14> roots{"/etc", "/usr", "/var", "/opt", "/root", "/bin", "/sbin",
                                                          "/lib", "/lib32", "/lib64", "/libx32", "/boot", "/srv", "/home"};
  if (path == "/var/tmp" || starts_with(path, "/var/tmp/")) return false;
  for (auto r : roots) {
    if (path == r) return r != "/home";
    if (path.size() > r.size() && starts_with(path, r) && path[r.size()] == '/') return r != "/home";
  }
  return false;
}

size_t unwrapped(std::span<const std::string> argv) { return unwrapped_at(argv); }
size_t unwrapped(std::span<const std::string_view> argv) { return unwrapped_at(argv); }

std::vector<std::string> unwrap(const std::vector<std::string>& argv) {
  return {argv.begin() + static_cast<long>(unwrapped(argv)), argv.end()};
}

namespace {

// What needs_root() asks of a program, by its name: the one question that
// can give a reason for it (the name lists above do not overlap).
enum class RootQuestion : uint8_t { None, Elevates, Packages, UserTool, SystemConfig, Chown, Writes };

RootQuestion root_question(std::string_view cmd) {
  static const std::unordered_map<std::string_view, RootQuestion> k = [] {
    std::unordered_map<std::string_view, RootQuestion> m;
    for (auto c : {"sudo", "doas", "su", "gosu", "su-exec"}) m.emplace(c, RootQuestion::Elevates);
    // Every program package_manager() knows.
    for (auto c : kApt) m.emplace(c, RootQuestion::Packages);
    for (auto c : kDnf) m.emplace(c, RootQuestion::Packages);
    for (auto c : {"apk", "pacman", "yay", "paru", "dpkg", "rpm"}) m.emplace(c, RootQuestion::Packages);
    for (auto c : kUserTools) m.emplace(c, RootQuestion::UserTool);
    for (auto c : kSystemConfig) m.emplace(c, RootQuestion::SystemConfig);
    m.emplace("chown", RootQuestion::Chown);
    // Every program written_paths() knows.
    for (auto c : {"mkdir", "touch", "rm", "rmdir", "truncate", "tee", "unlink", "chmod", "chgrp", "cp", "mv", "ln",
                   "install", "rsync", "sed", "curl", "wget", "tar", "unzip"})
      m.emplace(c, RootQuestion::Writes);
    return m;
  }();
  auto it = k.find(cmd);
  return it == k.end() ? RootQuestion::None : it->second;
}

}  // namespace

std::optional<RootReason> needs_root(const SimpleCommand& sc, std::string_view workdir) {
  for (const auto& t : sc.write_targets) {
    auto p = decidable(workdir, t);
    if (p && is_system_path(*p)) return RootReason{"system-write", "writes " + *p};
  }
  const size_t at = unwrapped(std::span<const std::string_view>(sc.argv));
  if (at >= sc.argv.size()) return std::nullopt;
  const Args argv = Args(sc.argv).subspan(at);
  const std::string_view cmd = base_name(argv[0]);
  switch (root_question(cmd)) {
    case RootQuestion::None:
    case RootQuestion::Elevates:
      return std::nullopt;
    case RootQuestion::Packages:
      return package_manager(cmd, argv);
    case RootQuestion::UserTool:
      return RootReason{"user-management", joined(cmd, " changes /etc/passwd or /etc/group", "")};
    case RootQuestion::SystemConfig:
      return RootReason{"system-config", joined(cmd, " changes system configuration", "")};
    case RootQuestion::Chown:
      return RootReason{"ownership-change", "chown needs root to give files away"};
    case RootQuestion::Writes:
      for (const auto& w : written_paths(cmd, argv)) {
        auto p = decidable(workdir, w);
        if (p && is_system_path(*p)) return RootReason{"system-write", joined(cmd, " writes ", *p)};
      }
      return std::nullopt;
  }
  return std::nullopt;
}

std::optional<KnownUser> created_user(std::span<const std::string_view> argv) {
  if (!runs_one_of(argv, "useradd", "adduser")) return std::nullopt;
  return user_of(argv.subspan(unwrapped(argv)));
}

std::optional<KnownGroup> created_group(std::span<const std::string_view> argv) {
  if (!runs_one_of(argv, "groupadd", "addgroup")) return std::nullopt;
  return group_of(argv.subspan(unwrapped(argv)));
}

std::optional<KnownUser> created_user(const std::vector<std::string>& argv) {
  if (!runs_one_of(std::span<const std::string>(argv), "useradd", "adduser")) return std::nullopt;
  auto views = unwrapped_views(std::span<const std::string>(argv));
  return user_of(views);
}

std::optional<KnownGroup> created_group(const std::vector<std::string>& argv) {
  if (!runs_one_of(std::span<const std::string>(argv), "groupadd", "addgroup")) return std::nullopt;
  auto views = unwrapped_views(std::span<const std::string>(argv));
  return group_of(views);
}

}  // namespace dockerfix::model
