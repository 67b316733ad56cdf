#include "model/runtime_tables.h"

#include <algorithm>
#include <array>
#include <map>
#include <span>

#include "dockerfix/runtime_facts.h"
#include "model/words.h"

namespace dockerfix::model {

namespace {

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

template <size_t N>
bool in(const std::array<std::string_view, N>& set, std::string_view s) {
  return std::find(set.begin(), set.end(), s) != set.end();
}

std::string user_part(std::string s) {
  if (auto c = s.find(':'); c != std::string::npos) s.resize(c);
  return s;
}

// The value of `--name=value` / `--name value` / `-n value`, if present.
template <class Argv>
std::optional<std::string> option(const Argv& argv, std::string_view long_name, std::string_view short_name = {}) {
  for (size_t i = 1; i < argv.size(); ++i) {
    const std::string_view a = argv[i];
    if (!long_name.empty() && a.size() > long_name.size() && a[long_name.size()] == '=' && starts_with(a, long_name))
      return std::string(a.substr(long_name.size() + 1));
    if ((a == long_name || (!short_name.empty() && a == short_name)) && i + 1 < argv.size()) return std::string(argv[i + 1]);
  }
  return std::nullopt;
}

bool has(const std::vector<std::string>& argv, std::string_view word) {
  return std::find(argv.begin() + (argv.empty() ? 0 : 1), argv.end(), word) != argv.end();
}

// The first argument that is not an option (options in `with_value` take the next word).
std::optional<std::string> first_operand(const std::vector<std::string>& argv, std::initializer_list<std::string_view> with_value) {
  for (size_t i = 1; i < argv.size(); ++i) {
    const auto& a = argv[i];
    if (a == "--") return i + 1 < argv.size() ? std::optional(argv[i + 1]) : std::nullopt;
    if (!a.empty() && a[0] == '-') {
      if (std::find(with_value.begin(), with_value.end(), a) != with_value.end()) ++i;
      continue;
    }
    return a;
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> privilege_switch(const std::vector<std::string>& argv) {
  if (argv.empty()) return std::nullopt;
  const std::string_view p = base_name(argv[0]);
  if (p == "gosu" || p == "su-exec" || p == "s6-setuidgid" || p == "setuser") {
    if (argv.size() < 2) return std::nullopt;
    return user_part(argv[1]);
  }
  if (p == "setpriv") {
    if (auto u = option(argv, "--reuid")) return *u;
    if (option(argv, "--regid") || has(argv, "--init-groups")) return std::string();
    return std::nullopt;
  }
  if (p == "runuser") {
    if (auto u = option(argv, "--user", "-u")) return *u;
    if (auto u = first_operand(argv, {"-c", "--command", "-s", "--shell", "-g", "--group", "-G", "--supp-group"})) return *u;
    return std::nullopt;
  }
  if (p == "su") {
    // `su USER -c cmd`, `su -c cmd USER`, `su - USER`; a bare `su` is root.
    auto u = first_operand(argv, {"-c", "--command", "-s", "--shell", "-g", "--group", "-G", "--supp-group"});
    if (u && *u != "root") return *u;
    return std::nullopt;
  }
  if (p == "chroot") {
    if (auto u = option(argv, "--userspec")) return user_part(*u);
    return std::nullopt;
  }
  if (p == "chpst") {
    if (auto u = option(argv, "-u", "-U")) return user_part(*u);
    return std::nullopt;
  }
  if (p == "s6-applyuidgid") {
    if (auto u = option(argv, "-u")) return *u;
    return std::string();
  }
  if (p == "sudo" || p == "doas") {
    if (auto u = option(argv, "--user", "-u"); u && *u != "root" && *u != "0") return *u;
    return std::nullopt;
  }
  if (p == "start-stop-daemon") {
    if (auto u = option(argv, "--chuid", "-c")) return user_part(*u);
    if (auto u = option(argv, "--user", "-u")) return user_part(*u);
  }
  return std::nullopt;
}

std::optional<std::string> init_system(const std::vector<std::string>& argv) {
  if (argv.empty()) return std::nullopt;
  const std::string& a0 = argv[0];
  const std::string_view p = base_name(a0);
  if (a0 == "/init") return std::string("s6-overlay's /init");
  if (p == "s6-svscan") return std::string("s6-svscan");
  if (p == "supervisord" || (p.rfind("python", 0) == 0 && argv.size() > 1 && base_name(argv[1]) == "supervisord"))
    return std::string("supervisord");
  if (p == "my_init") return std::string("my_init (runit)");
  if (p == "runsvdir") return std::string("runit (runsvdir)");
  if (p == "systemd" || a0 == "/sbin/init" || a0 == "/usr/sbin/init") return std::string("systemd");
  if (p == "s6-rc-init" || p == "s6-linux-init") return std::string("s6");
  return std::nullopt;
}

bool init_wrapper(std::string_view program) {
  static constexpr std::array<std::string_view, 6> k{"tini", "tini-static", "dumb-init", "catatonit", "docker-init", "pid1"};
  return in(k, program);
}

bool shell_program(std::string_view p) {
  static constexpr std::array<std::string_view, 8> k{"sh", "bash", "ash", "dash", "zsh", "ksh", "mksh", "fish"};
  return in(k, p);
}

bool interpreter(std::string_view p) {
  static constexpr std::array<std::string_view, 14> k{"node", "nodejs", "ruby", "perl", "php", "java", "bun", "deno",
                                                      "dotnet", "Rscript", "lua", "elixir", "pypy", "pypy3"};
  return in(k, p) || starts_with(p, "python");
}

bool repl(const std::vector<std::string>& argv) {
  if (argv.empty()) return false;
  static constexpr std::array<std::string_view, 11> k{"jshell", "irb", "erl", "iex", "ghci", "R", "julia",
                                                      "pry", "ipython", "bpython", "psql"};
  const std::string_view p = base_name(argv[0]);
  if (in(k, p)) return true;
  if (p == "php" && argv.size() == 2 && argv[1] == "-a") return true;
  if (p == "wp" && argv.size() == 2 && argv[1] == "shell") return true;
  if (p == "rebar3" && argv.size() == 2 && argv[1] == "shell") return true;
  if (argv.size() == 1 && (shell_program(p) || interpreter(p))) return true;
  if (argv.size() == 2 && shell_program(p) && (argv[1] == "-l" || argv[1] == "-i" || argv[1] == "--login")) return true;
  return false;
}

std::optional<std::string> one_shot(const std::vector<std::string>& argv) {
  if (argv.empty()) return std::nullopt;
  const std::string p(base_name(argv[0]));
  for (size_t i = 1; i < argv.size(); ++i)
    if (argv[i] == "--help" || argv[i] == "--version" || (argv.size() == 2 && (argv[i] == "-h" || argv[i] == "-v" || argv[i] == "version" || argv[i] == "help")))
      return p + " " + argv[i] + " prints and exits";
  static constexpr std::array<std::string_view, 52> kTools{
      "echo", "printf", "true", "false", "cat", "ls", "env", "printenv", "date", "id", "whoami", "uname", "pwd",
      "make", "cmake", "ninja", "pytest", "py.test", "tox", "nox", "nosetests", "jest", "mocha", "vitest", "rspec",
      "mvn", "ant", "pip", "pip3", "curl", "wget", "jq", "yq", "git", "kubectl", "helm", "terraform", "aws", "gcloud",
      "az", "ansible-playbook", "packer", "shellcheck", "hadolint", "golangci-lint", "eslint", "prettier", "black",
      "flake8", "mypy", "pylint", "rubocop"};
  static constexpr std::array<std::string_view, 14> kTools2{"trivy", "grype", "syft", "cosign", "crane", "skopeo",
                                                            "buildah", "executor", "goreleaser", "protoc", "sphinx-build",
                                                            "pandoc", "latexmk", "k6"};
  if (in(kTools, p) || in(kTools2, p)) return p + " is a command-line tool that exits when done";
  auto arg = [&](size_t i) { return i < argv.size() ? argv[i] : std::string(); };
  if (p == "docker" || p == "podman" || p == "nerdctl") return p + " " + arg(1) + " is a CLI command that exits";
  if ((p == "npm" || p == "yarn" || p == "pnpm") &&
      (arg(1) == "test" || arg(1) == "install" || arg(1) == "ci" || arg(1) == "build" ||
       (arg(1) == "run" && (starts_with(arg(2), "test") || starts_with(arg(2), "build") || starts_with(arg(2), "lint")))))
    return p + " " + arg(1) + " exits when done";
  if ((p == "go" || p == "cargo") && (arg(1) == "test" || arg(1) == "build" || arg(1) == "vet" || arg(1) == "install"))
    return p + " " + arg(1) + " exits when done";
  if ((p == "gradle" || p == "gradlew") && !arg(1).empty() && arg(1) != "bootRun" && arg(1) != "run")
    return p + " " + arg(1) + " exits when done";
  if ((p == "hugo" && arg(1) != "server" && arg(1) != "serve") || (p == "mkdocs" && arg(1) == "build"))
    return p + " builds a site and exits";
  if (interpreter(p) && argv.size() >= 2) {
    const std::string script(base_name(arg(1)));
    if (script == "setup.py") return "python setup.py builds or installs and exits";
    if (arg(1) == "-m" && (arg(2) == "pytest" || arg(2) == "unittest" || arg(2) == "pip" || arg(2) == "build" ||
                           arg(2) == "tox" || arg(2) == "mypy"))
      return p + " -m " + arg(2) + " exits when done";
    if (script == "manage.py" && arg(2) != "runserver" && !arg(2).empty()) return "manage.py " + arg(2) + " exits when done";
    if (starts_with(script, "test_") || script == "test.py" || script == "tests.py") return script + " is a test run";
  }
  return std::nullopt;
}

bool known_service(const std::vector<std::string>& argv) {
  if (argv.empty()) return false;
  const std::string_view p = base_name(argv[0]);
  auto arg = [&](size_t i) { return i < argv.size() ? argv[i] : std::string(); };
  static constexpr std::array<std::string_view, 60> k{
      "nginx", "httpd", "httpd-foreground", "apache2-foreground", "apache2", "apachectl", "apache2ctl", "postgres",
      "mysqld", "mariadbd", "mongod", "mongos", "redis-server", "memcached", "rabbitmq-server", "gunicorn", "uvicorn",
      "hypercorn", "daphne", "waitress-serve", "uwsgi", "puma", "unicorn", "caddy", "traefik", "haproxy", "envoy",
      "sshd", "dockerd", "containerd", "consul", "vault", "etcd", "minio", "prometheus", "grafana-server",
      "grafana", "node_exporter", "alertmanager", "elasticsearch", "kibana", "influxd", "couchdb", "mosquitto",
      "squid", "named", "dnsmasq", "openvpn", "pptpd", "vsftpd", "proftpd", "smbd", "transmission-daemon",
      "syncthing", "tailscaled", "code-server", "jupyter", "streamlit", "node-red", "ollama"};
  if (in(k, p) || (starts_with(p, "php") && p.find("fpm") != std::string::npos)) return true;
  if (p == "catalina.sh" && arg(1) == "run") return true;
  if (p == "zkServer.sh" && arg(1) == "start-foreground") return true;
  if (p == "cassandra" && arg(1) == "-f") return true;
  if ((p == "rails" && (arg(1) == "server" || arg(1) == "s")) || (p == "flask" && arg(1) == "run")) return true;
  if ((p == "hugo" || p == "mkdocs" || p == "jekyll") && (arg(1) == "server" || arg(1) == "serve")) return true;
  if (interpreter(p) && base_name(arg(1)) == "manage.py" && arg(2) == "runserver") return true;
  if (interpreter(p) && arg(1) == "-m" && (arg(2) == "http.server" || arg(2) == "uvicorn" || arg(2) == "gunicorn" ||
                                           arg(2) == "flask" || arg(2) == "streamlit"))
    return true;
  return false;
}

std::optional<std::string> capability_need(const std::vector<std::string>& argv) {
  if (argv.empty()) return std::nullopt;
  const std::string_view p = base_name(argv[0]);
  static constexpr std::array<std::string_view, 22> kNetAdmin{
      "iptables", "ip6tables", "iptables-legacy", "ip6tables-legacy", "iptables-nft", "ip6tables-nft",
      "iptables-restore", "ip6tables-restore", "ebtables", "arptables", "nft", "ipset", "tc", "brctl", "pptpd",
      "openvpn", "wg-quick", "wireguard-go", "xl2tpd", "hostapd", "dhclient", "ipsec"};
  if (in(kNetAdmin, p)) return std::string("CAP_NET_ADMIN");
  if (p == "wg" && argv.size() > 1 && argv[1] != "show" && argv[1] != "genkey" && argv[1] != "pubkey")
    return std::string("CAP_NET_ADMIN");
  if (p == "ip" && argv.size() > 2) {
    static constexpr std::array<std::string_view, 9> kChange{"add", "del", "delete", "set", "flush", "change",
                                                             "replace", "append", "up"};
    for (size_t i = 2; i < argv.size(); ++i)
      if (in(kChange, argv[i])) return std::string("CAP_NET_ADMIN");
  }
  if (p == "sysctl" && (has(argv, "-w") || std::any_of(argv.begin() + 1, argv.end(), [](const std::string& a) {
                          return a.find('=') != std::string::npos;
                        })))
    return std::string("root (sysctl writes /proc/sys)");
  if (p == "modprobe" || p == "insmod") return std::string("CAP_SYS_MODULE");
  if (p == "mount" || p == "umount") return std::string("CAP_SYS_ADMIN");
  // Not ping or traceroute: whether they work unprivileged depends on the
  // image's binary (a file capability, setuid) and the runtime's
  // ping_group_range, not on the user being root.
  static constexpr std::array<std::string_view, 5> kRaw{"tcpdump", "tshark", "dumpcap", "arping", "nmap"};
  if (in(kRaw, p)) return std::string("CAP_NET_RAW");
  if (p == "tailscaled" && !std::any_of(argv.begin(), argv.end(), [](const std::string& a) {
        return a.find("userspace-networking") != std::string::npos;
      }))
    return std::string("CAP_NET_ADMIN");
  return std::nullopt;
}

std::optional<PackageState> package_state(std::string_view package) {
  // Debian/Alpine/Fedora package file lists (packages.debian.org/<release>/<arch>/<pkg>/filelist,
  // pkgs.alpinelinux.org/contents): the service's programs and the directories it writes at run time.
  using S = PackageState;
  static const std::vector<std::string> kNginx{"nginx"}, kMysql{"mysqld", "mysqld_safe", "mariadbd", "mariadbd-safe"},
      kApache{"apache2", "apache2ctl", "apachectl", "apache2-foreground"};
  static const std::map<std::string_view, S> k{
      {"nginx", S{kNginx, {"/var/log/nginx", "/var/lib/nginx", "/run/nginx"}}},
      {"nginx-full", S{kNginx, {"/var/log/nginx", "/var/lib/nginx"}}},
      {"nginx-light", S{kNginx, {"/var/log/nginx", "/var/lib/nginx"}}},
      {"nginx-extras", S{kNginx, {"/var/log/nginx", "/var/lib/nginx"}}},
      {"nginx-core", S{kNginx, {"/var/log/nginx", "/var/lib/nginx"}}},
      {"apache2", S{kApache, {"/var/log/apache2", "/var/run/apache2", "/var/lock/apache2", "/var/cache/apache2"}}},
      {"httpd", S{{"httpd", "apachectl", "httpd-foreground"}, {"/var/log/httpd", "/run/httpd"}}},
      {"lighttpd", S{{"lighttpd"}, {"/var/log/lighttpd", "/var/cache/lighttpd"}}},
      {"vnstat", S{{"vnstatd", "vnstat"}, {"/var/lib/vnstat"}}},
      {"mysql-server", S{kMysql, {"/var/lib/mysql", "/var/run/mysqld", "/var/log/mysql"}}},
      {"default-mysql-server", S{kMysql, {"/var/lib/mysql", "/var/run/mysqld", "/var/log/mysql"}}},
      {"mariadb-server", S{kMysql, {"/var/lib/mysql", "/var/run/mysqld", "/var/log/mysql"}}},
      {"mariadb", S{kMysql, {"/var/lib/mysql", "/run/mysqld"}}},
      {"postgresql", S{{"postgres", "postmaster", "pg_ctl", "pg_ctlcluster"}, {"/var/lib/postgresql", "/var/run/postgresql", "/var/log/postgresql"}}},
      {"redis", S{{"redis-server"}, {"/var/lib/redis", "/var/log/redis"}}},
      {"redis-server", S{{"redis-server"}, {"/var/lib/redis", "/var/log/redis"}}},
      {"squid", S{{"squid"}, {"/var/log/squid", "/var/spool/squid", "/var/cache/squid"}}},
      {"bind9", S{{"named"}, {"/var/cache/bind", "/var/lib/bind"}}},
      {"dnsmasq", S{{"dnsmasq"}, {"/var/lib/misc"}}},
      {"openssh-server", S{{"sshd"}, {"/run/sshd"}}},
      {"cron", S{{"cron", "crond"}, {"/var/spool/cron"}}},
      {"rsyslog", S{{"rsyslogd"}, {"/var/spool/rsyslog"}}},
      {"supervisor", S{{"supervisord"}, {"/var/log/supervisor"}}},
      {"mosquitto", S{{"mosquitto"}, {"/var/lib/mosquitto", "/var/log/mosquitto"}}},
      {"tor", S{{"tor"}, {"/var/lib/tor", "/var/log/tor"}}},
      {"haproxy", S{{"haproxy"}, {"/var/lib/haproxy"}}},
      {"samba", S{{"smbd", "nmbd", "samba"}, {"/var/lib/samba", "/var/log/samba", "/var/cache/samba"}}},
      {"postfix", S{{"postfix", "master"}, {"/var/spool/postfix", "/var/lib/postfix"}}},
      {"dovecot-core", S{{"dovecot"}, {"/var/lib/dovecot"}}},
      {"transmission-daemon", S{{"transmission-daemon"}, {"/var/lib/transmission-daemon"}}},
      {"rabbitmq-server", S{{"rabbitmq-server"}, {"/var/lib/rabbitmq", "/var/log/rabbitmq"}}},
      {"varnish", S{{"varnishd"}, {"/var/lib/varnish", "/var/log/varnish"}}},
      {"cups", S{{"cupsd"}, {"/var/spool/cups", "/var/log/cups"}}},
  };
  std::string name(package);
  if (auto it = k.find(name); it != k.end()) return it->second;
  if (starts_with(name, "postgresql-") && name.size() > 11 && std::isdigit(static_cast<unsigned char>(name[11])))
    return k.at("postgresql");
  if (starts_with(name, "php") && name.find("-fpm") != std::string::npos)
    return S{{"php-fpm", name.substr(0, name.find("-fpm")) + "-fpm", "php-fpm" + name.substr(3, name.find("-fpm") - 3)}, {"/run/php"}};
  return std::nullopt;
}

std::optional<std::string> package_user_tool(std::string_view package) {
  if (package == "shadow-utils" || package == "shadow" || package == "passwd") return std::string("useradd");
  if (package == "adduser") return std::string("adduser");
  return std::nullopt;
}

std::optional<std::string> manager_family(std::string_view m) {
  if (m == "apt-get" || m == "apt" || m == "aptitude" || m == "dpkg") return std::string("debian");
  if (m == "apk") return std::string("alpine");
  if (m == "dnf" || m == "yum" || m == "microdnf" || m == "dnf5" || m == "tdnf") return std::string("rhel");
  if (m == "zypper") return std::string("suse");
  if (m == "pacman") return std::string("arch");
  return std::nullopt;
}

std::optional<PackageCommand> package_command(std::span<const std::string_view> argv) {
  if (argv.empty()) return std::nullopt;
  static constexpr std::array<std::string_view, 10> kManagers{"apt-get", "apt", "aptitude", "apk", "dnf", "yum",
                                                              "microdnf", "tdnf", "dnf5", "zypper"};
  if (const std::string_view p = base_name(argv[0]); p != "pacman" && !in(kManagers, p)) return std::nullopt;
  PackageCommand pc;
  pc.manager = base_name(argv[0]);
  const std::string& m = pc.manager;
  static constexpr std::array<std::string_view, 5> kAptValued{"-o", "-t", "--target-release", "-c", "--config-file"};
  static constexpr std::array<std::string_view, 7> kApkValued{"-X", "--repository", "-p", "--root", "--arch", "--cache-dir", "--keys-dir"};
  static constexpr std::array<std::string_view, 9> kDnfValued{"-c", "--config", "--installroot", "--releasever", "--setopt",
                                                              "--enablerepo", "--disablerepo", "--repo", "-r"};
  std::span<const std::string_view> with_value;
  size_t i = 1;
  auto next_word = [&]() -> std::string_view {
    while (i < argv.size()) {
      const auto& a = argv[i];
      if (!a.empty() && a[0] == '-') {
        ++i;
        if (std::find(with_value.begin(), with_value.end(), a) != with_value.end()) ++i;
        continue;
      }
      return argv[i++];
    }
    return {};
  };
  if (m == "apt-get" || m == "apt" || m == "aptitude") {
    with_value = kAptValued;
    std::string_view sub = next_word();
    if (sub == "install" || sub == "reinstall") pc.install = true;
    else if (sub == "remove" || sub == "purge" || sub == "autoremove") pc.install = false;
    else return std::nullopt;
  } else if (m == "apk") {
    with_value = kApkValued;
    std::string_view sub = next_word();
    if (sub == "add") pc.install = true;
    else if (sub == "del") pc.install = false;
    else return std::nullopt;
    if (auto v = option(argv, "--virtual", "-t")) pc.virtual_name = *v;
  } else if (m == "dnf" || m == "yum" || m == "microdnf" || m == "tdnf" || m == "dnf5" || m == "zypper") {
    with_value = kDnfValued;
    std::string_view sub = next_word();
    if (sub == "install" || sub == "in" || sub == "reinstall") pc.install = true;
    else if (sub == "remove" || sub == "erase" || sub == "rm" || sub == "autoremove") pc.install = false;
    else return std::nullopt;
  } else if (m == "pacman") {
    bool sync = false, remove = false;
    for (size_t k = 1; k < argv.size(); ++k) {
      const auto& a = argv[k];
      if (a.size() > 1 && a[0] == '-' && a[1] != '-') {
        sync = sync || a[1] == 'S';
        remove = remove || a[1] == 'R';
      }
      sync = sync || a == "--sync";
      remove = remove || a == "--remove";
    }
    if (!sync && !remove) return std::nullopt;
    pc.install = sync;
  } else {
    return std::nullopt;
  }
  for (std::string_view w = next_word(); !w.empty() || i < argv.size(); w = next_word()) {
    if (w.empty() || w.find('$') != std::string_view::npos) continue;
    if (!pc.virtual_name.empty() && w == pc.virtual_name) continue;
    // Strip version pins: pkg=1.2, pkg>=1.2 (apk), pkg/bookworm-backports.
    auto cut = w.find_first_of("=<>~/");
    if (cut == 0) continue;
    pc.packages.emplace_back(w.substr(0, cut));
  }
  return pc;
}

std::optional<RetryDefault> download_retry_default(std::string_view tool) {
  if (tool == "curl") return RetryDefault{"--retry", 0, "https://curl.se/docs/manpage.html#--retry"};
  // GNU wget: "The default is to retry 20 times": --tries counts tries, 20 = 19 retries
  // (busybox wget has no retry option at all).
  if (tool == "wget") return RetryDefault{"--tries", 19, "https://www.gnu.org/software/wget/manual/wget.html#Download-Options"};
  if (tool == "pip" || tool == "pip3") return RetryDefault{"--retries", 5, "https://pip.pypa.io/en/stable/cli/pip/#cmdoption-retries"};
  if (tool == "npm") return RetryDefault{"fetch-retries", 2, "https://docs.npmjs.com/cli/v10/using-npm/config#fetch-retries"};
  return std::nullopt;
}

}  // namespace dockerfix::model
