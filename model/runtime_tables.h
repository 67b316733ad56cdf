// The small tables behind the runtime facts: programs that switch user,
// init systems, interpreters and shells, one-shot tools and services,
// programs that need capabilities, packages and the state they write, the
// packages that bring useradd, package managers and their families.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace dockerfix::model {

// A program that starts something as another user (gosu, su-exec, setpriv
// --reuid, runuser, su -c, chroot --userspec, s6-setuidgid, chpst -u,
// setuser): the user it switches to ("" when not written), or nullopt.
std::optional<std::string> privilege_switch(const std::vector<std::string>& argv);

// A PID-1 supervisor that runs services as root and lets each switch user:
// s6-overlay's /init, supervisord, my_init, runsvdir, systemd.
std::optional<std::string> init_system(const std::vector<std::string>& argv);

// tini, dumb-init, catatonit, docker-init: runs its arguments as the child.
bool init_wrapper(std::string_view program);

bool shell_program(std::string_view program);        // sh, bash, ash, dash, zsh
bool interpreter(std::string_view program);          // node, python3, java, ruby, php, perl, bun, deno
bool repl(const std::vector<std::string>& argv);     // interpreter without a script, jshell, irb, erl, iex

// Commands that exit when done (CLI tools, builds, test runners, `docker ps`),
// with why; nullopt when not known to.
std::optional<std::string> one_shot(const std::vector<std::string>& argv);
// Programs known to stay in the foreground as a server.
bool known_service(const std::vector<std::string>& argv);

// A capability the program needs (CAP_NET_ADMIN for iptables ...), or nullopt.
std::optional<std::string> capability_need(const std::vector<std::string>& argv);

// A service package: its programs and the directories it creates under /var
// and /run (root's or its own user's) that they write at run time:
// nginx -> nginx; /var/log/nginx, /var/lib/nginx, /run/nginx.
struct PackageState {
  std::vector<std::string> programs;
  std::vector<std::string> dirs;
};
std::optional<PackageState> package_state(std::string_view package);

// The user tool a package provides: shadow-utils/shadow/passwd -> useradd.
std::optional<std::string> package_user_tool(std::string_view package);

// The OS family a package manager proves: apt-get -> debian, apk -> alpine.
std::optional<std::string> manager_family(std::string_view manager);

// The packages a command installs or removes: {manager, install?, names};
// every manager it reads is one manager_family() knows (the runtime facts
// rely on it);
// apk --virtual NAME is reported as name "NAME" plus the packages it groups.
struct PackageCommand {
  std::string manager;
  bool install = true;
  std::vector<std::string> packages;
  std::string virtual_name;  // apk add --virtual .build-deps
};
std::optional<PackageCommand> package_command(std::span<const std::string_view> argv);

}  // namespace dockerfix::model
