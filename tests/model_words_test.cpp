// The model's text helpers and per-file memos that replaced slower
// equivalents (issue 19): each must give exactly what the code it replaced
// gave, since rules print what they return.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "model/command_facts.h"
#include "model/context_files.h"
#include "model/run_analysis.h"
#include "model/runtime_tables.h"
#include "model/words.h"

namespace dockerfix::model {
namespace {

namespace fs = std::filesystem;

// Every path of up to five elements from a set that covers the cases
// lexically_normal() treats apart (runs of `/`, `.`, `..`, names that only
// start with a dot, a trailing `/`).
std::vector<std::string> tricky_paths() {
  const std::vector<std::string> parts{"/", "//", "a", "b", ".", "..", "...", ".a"};
  std::vector<std::string> out{""};
  for (size_t from = 0, len = 0; len < 5; ++len) {
    const size_t to = out.size();
    for (size_t i = from; i < to; ++i)
      for (const auto& p : parts) out.push_back(out[i] + p);
    from = to;
  }
  return out;
}

TEST(ModelWords, NormalPathIsWhatStdFilesystemGives) {
  for (const auto& p : tricky_paths())
    ASSERT_EQ(normal_path(p), fs::path(p).lexically_normal().generic_string()) << "[" << p << "]";
}

TEST(ModelWords, IsNormalPathOnlyWhenNormalisingChangesNothing) {
  size_t normal = 0;
  for (const auto& p : tricky_paths()) {
    if (!is_normal_path(p)) continue;
    ++normal;
    ASSERT_EQ(normal_path(p), p) << "[" << p << "]";
  }
  EXPECT_GT(normal, 1000u);
  for (std::string_view p : {"/", "/usr/local/bin/x.sh", "a/b/", "/.a/...", "run.sh"}) EXPECT_TRUE(is_normal_path(p)) << p;
  for (std::string_view p : {"//x", "/a//b", "./x", "/a/.", "/a/../b", "a/./"}) EXPECT_FALSE(is_normal_path(p)) << p;
}

// resolve_path as it was written with std::filesystem.
std::string resolve_with_filesystem(const std::string& workdir, const std::string& p) {
  std::string full = !p.empty() && p[0] == '/' ? p : (workdir.empty() ? std::string("/") : workdir) + "/" + p;
  std::string s = fs::path(full).lexically_normal().generic_string();
  if (s.size() > 1 && s.back() == '/') s.pop_back();
  return s.empty() ? "/" : s;
}

TEST(ModelWords, ResolvePathIsWhatStdFilesystemGives) {
  const std::vector<std::string> workdirs{"", "/", "/app", "/app/", "/a/../b", "rel", "rel/..", "$HOME", "//srv/./x"};
  std::vector<std::string> paths = tricky_paths();
  paths.resize(std::min<size_t>(paths.size(), 6000));
  for (const auto& w : workdirs)
    for (const auto& p : paths) ASSERT_EQ(resolve_path(w, p), resolve_with_filesystem(w, p)) << w << " + " << p;
}

TEST(ModelWords, BaseNameViewsItsArgument) {
  const std::string path = "/usr/local/bin/curl";
  const std::string_view b = base_name(path);
  EXPECT_EQ(b, "curl");
  EXPECT_EQ(b.data(), path.data() + path.size() - 4);
  EXPECT_EQ(base_name("curl"), "curl");
  EXPECT_EQ(base_name("dir/"), "");
}

TEST(ModelWords, RunCommandNameViewsTheProgramWord) {
  RunCommand c;
  c.words.push_back({"sudo", "sudo", {}, true});
  c.words.push_back({"/usr/bin/apt-get", "/usr/bin/apt-get", {}, true});
  c.program = 1;
  EXPECT_EQ(c.name(), "apt-get");
  EXPECT_EQ(c.name().data(), c.words[1].value.data() + 9);
  c.program = 2;  // only wrappers
  EXPECT_EQ(c.name(), "");
}

// created_user and created_group read the same from a RUN's views as from
// the argv the rules pass.
TEST(ModelWords, CreatedUsersAreTheSameFromViewsAndStrings) {
  const std::vector<std::vector<std::string>> commands{
      {"useradd", "-u", "1001", "-m", "-d", "/srv/app", "-s", "/bin/sh", "app"},
      {"env", "A=1", "nice", "-10", "adduser", "-D", "-u1002", "-h", "/home/x", "x"},
      {"adduser", "--uid=1003", "--home=/h", "web", "www-data"},
      {"/usr/sbin/groupadd", "-g", "2000", "grp"},
      {"addgroup", "--gid=2001", "-K", "K=V", "other"},
      {"exec", "groupadd", "-p", "secret", "g1", "g2"},
      {"echo", "useradd", "nobody"},
      {"env"}};
  for (const auto& argv : commands) {
    const std::vector<std::string_view> views(argv.begin(), argv.end());
    auto a = created_user(argv), b = created_user(std::span<const std::string_view>(views));
    ASSERT_EQ(a.has_value(), b.has_value()) << argv[0];
    if (a) {
      EXPECT_EQ(a->name, b->name);
      EXPECT_EQ(a->uid, b->uid);
      EXPECT_EQ(a->gid, b->gid);
      EXPECT_EQ(a->home, b->home);
      EXPECT_EQ(a->shell, b->shell);
    }
    auto g = created_group(argv), h = created_group(std::span<const std::string_view>(views));
    ASSERT_EQ(g.has_value(), h.has_value()) << argv[0];
    if (g) {
      EXPECT_EQ(g->name, h->name);
      EXPECT_EQ(g->gid, h->gid);
    }
  }
  auto u = created_user(commands[0]);
  ASSERT_TRUE(u);
  EXPECT_EQ(u->name, "app");
  EXPECT_EQ(u->uid, 1001u);
  EXPECT_EQ(u->home, "/srv/app");
  auto busybox = created_user(commands[1]);
  ASSERT_TRUE(busybox);
  EXPECT_EQ(busybox->uid, 1002u);
  EXPECT_FALSE(created_user(commands[2]));  // adds an existing user to a group
  EXPECT_EQ(created_group(commands[3])->gid, 2000u);
  EXPECT_EQ(created_group(commands[4])->name, "other");
  EXPECT_FALSE(created_group(commands[5]));
}

RootReason root_reason(std::vector<std::string_view> argv, std::vector<std::string_view> writes = {},
                       std::string_view workdir = "/") {
  auto r = needs_root(SimpleCommand{std::move(argv), std::move(writes)}, workdir);
  return r ? *r : RootReason{"none", ""};
}

// The reasons and their wording, which findings print.
TEST(ModelWords, NeedsRootReasonsAndDetails) {
  auto r = root_reason({"env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "-y", "--", "install", "curl"});
  EXPECT_EQ(r.reason, "package-install");
  EXPECT_EQ(r.detail, "apt-get install changes the system's packages");
  EXPECT_EQ(root_reason({"apk", "--no-cache", "add", "curl"}).detail, "apk add changes the system's packages");
  EXPECT_EQ(root_reason({"apt-get", "moo"}).reason, "none");
  EXPECT_EQ(root_reason({"pacman", "-Syu"}).detail, "pacman -Syu changes the system's packages");
  EXPECT_EQ(root_reason({"dpkg", "-ivh", "x.deb"}).detail, "dpkg -ivh changes the system's packages");
  EXPECT_EQ(root_reason({"usermod", "-aG", "x", "y"}).detail, "usermod changes /etc/passwd or /etc/group");
  EXPECT_EQ(root_reason({"ldconfig"}).detail, "ldconfig changes system configuration");
  EXPECT_EQ(root_reason({"chown", "a", "b"}).reason, "ownership-change");
  EXPECT_EQ(root_reason({"sudo", "apt-get", "install", "x"}).reason, "none");
  EXPECT_EQ(root_reason({"echo", "x"}, {"/etc/x"}).detail, "writes /etc/x");
  EXPECT_EQ(root_reason({"echo", "x"}, {"$HOME/x"}).reason, "none");
  EXPECT_EQ(root_reason({"mkdir", "-p", "lib/x"}, {}, "/usr").detail, "mkdir writes /usr/lib/x");
  EXPECT_EQ(root_reason({"mkdir", "-p", "lib/x"}, {}, "$DIR").reason, "none");
  EXPECT_EQ(root_reason({"chmod", "755", "/usr/bin/x"}).detail, "chmod writes /usr/bin/x");
  EXPECT_EQ(root_reason({"chmod", "/usr/bin/x"}).reason, "none");  // the mode, no file
  EXPECT_EQ(root_reason({"cp", "-t", "/opt/x", "a", "b"}).detail, "cp writes /opt/x");
  EXPECT_EQ(root_reason({"cp", "a", "b", "/srv/../opt/"}).detail, "cp writes /opt");
  EXPECT_EQ(root_reason({"install", "-d", "/tmp/a", "/var/lib/x"}).detail, "install writes /var/lib/x");
  EXPECT_EQ(root_reason({"sed", "-i", "s/a/b/", "/etc/hosts"}).detail, "sed writes /etc/hosts");
  EXPECT_EQ(root_reason({"sed", "-e", "s/a/b/", "-i", "/etc/hosts"}).detail, "sed writes /etc/hosts");
  EXPECT_EQ(root_reason({"curl", "-o", "/usr/local/bin/x", "u"}).detail, "curl writes /usr/local/bin/x");
  EXPECT_EQ(root_reason({"tar", "-C", "/var/tmp", "-xf", "x"}).reason, "none");
  EXPECT_EQ(root_reason({"unzip", "x.zip", "-d", "/home"}).reason, "none");  // /home itself is not root's
  EXPECT_EQ(root_reason({"unzip", "x.zip", "-d", "/homes"}).reason, "none");
}

// Every program needs_root() knows by name gives its reason (it looks the
// name up once and asks only the question that name can answer).
TEST(ModelWords, NeedsRootKnowsEveryProgramByName) {
  for (std::string_view m : {"apt-get", "apt", "aptitude", "apt-cache", "apt-key", "dnf", "yum", "microdnf", "tdnf", "dnf5",
                             "zypper"})
    EXPECT_EQ(root_reason({m, "install", "x"}).reason, "package-install") << m;
  EXPECT_EQ(root_reason({"/sbin/apk", "add", "x"}).reason, "package-install");
  for (std::string_view m : {"pacman", "yay", "paru"}) EXPECT_EQ(root_reason({m, "-S", "x"}).reason, "package-install") << m;
  for (std::string_view m : {"dpkg", "rpm"}) EXPECT_EQ(root_reason({m, "-i", "x"}).reason, "package-install") << m;
  for (std::string_view m : {"useradd", "adduser", "groupadd", "addgroup", "usermod", "groupmod", "userdel", "deluser",
                             "groupdel", "delgroup", "chpasswd", "passwd", "gpasswd", "chsh"})
    EXPECT_EQ(root_reason({m, "x"}).reason, "user-management") << m;
  for (std::string_view m : {"update-ca-certificates", "ldconfig", "locale-gen", "update-locale", "update-alternatives",
                             "dpkg-reconfigure", "setcap", "update-rc.d", "systemctl"})
    EXPECT_EQ(root_reason({m}).reason, "system-config") << m;
  EXPECT_EQ(root_reason({"/bin/chown", "a", "b"}).reason, "ownership-change");
  for (std::string_view m : {"mkdir", "touch", "rm", "rmdir", "truncate", "tee", "unlink"})
    EXPECT_EQ(root_reason({m, "/etc/x"}).detail, std::string(m) + " writes /etc/x");
  for (std::string_view m : {"chmod", "chgrp"}) EXPECT_EQ(root_reason({m, "a", "/etc/x"}).reason, "system-write") << m;
  for (std::string_view m : {"cp", "mv", "ln", "install", "rsync"})
    EXPECT_EQ(root_reason({m, "a", "/etc/x"}).reason, "system-write") << m;
  EXPECT_EQ(root_reason({"wget", "-O", "/etc/x", "u"}).reason, "system-write");
  EXPECT_EQ(root_reason({"tar", "-C", "/etc", "-xf", "x"}).reason, "system-write");
  EXPECT_EQ(root_reason({"unzip", "x.zip", "-d", "/opt"}).reason, "system-write");
  for (std::string_view m : {"sudo", "doas", "su", "gosu", "su-exec"})
    EXPECT_EQ(root_reason({m, "apt-get", "install", "x"}, {"/etc/x"}).reason, "system-write") << m;  // only the redirect
  for (std::string_view m : {"sudo", "doas", "su", "gosu", "su-exec", "echo", "apt-getx", "make", ""})
    EXPECT_EQ(root_reason({m, "/etc/x"}).reason, "none") << m;
}

// The runtime facts read package commands only of programs manager_family()
// knows: every manager package_command() reads has a family.
TEST(ModelWords, EveryPackageManagerHasAFamily) {
  for (std::string_view m : {"apt-get", "apt", "aptitude", "apk", "dnf", "yum", "microdnf", "tdnf", "dnf5", "zypper",
                             "pacman", "dpkg", "rpm", "pip", "npm", "brew", "make"}) {
    const std::vector<std::string_view> argv{m, m == "pacman" ? "-S" : m == "apk" ? "add" : "install", "x"};
    if (package_command(argv)) EXPECT_TRUE(manager_family(m)) << m;
  }
  EXPECT_TRUE(package_command(std::vector<std::string_view>{"/usr/bin/apt-get", "install", "x"}));
}

// The FROM lookups kept in a RunMemo are the knowledge base's: another base
// (an --images-file or a lock) gets its own answers.
TEST(ModelWords, BaseImagesKeptPerKnowledgeBase) {
  const KnowledgeBase& builtin = KnowledgeBase::builtin();
  KnowledgeBase custom = KnowledgeBase::from_yaml(
      "images:\n  - name: my-debian\n    match: {repository: [debian]}\n    family: alpine\n", "custom.yaml");
  Dockerfile f = parse("FROM debian:bookworm\nRUN true\n");
  RunMemo memo;
  BuildModel a = analyze(f, builtin, {}, memo);
  BuildModel b = analyze(f, custom, {}, memo);
  BuildModel c = analyze(f, builtin, {}, memo);
  ASSERT_TRUE(a.stages[0].facts && b.stages[0].facts && c.stages[0].facts);
  EXPECT_NE(a.stages[0].facts->id, "my-debian");
  EXPECT_EQ(b.stages[0].facts->id, "my-debian");
  EXPECT_EQ(c.stages[0].facts, a.stages[0].facts);
  EXPECT_TRUE(a.stages[0].release.has_value());
  EXPECT_EQ(a.stages[0].release->release.name, analyze(f, builtin, {}).stages[0].release->release.name);
}

// read_context_file reads the file of the context asked about, alternately,
// and nothing outside it.
TEST(ModelWords, ContextFilesComeFromTheContextAsked) {
  const fs::path root = fs::path(testing::TempDir()) / "model_words_contexts";
  fs::create_directories(root / "one");
  fs::create_directories(root / "two");
  std::ofstream(root / "one" / "run.sh") << "echo one\n";
  std::ofstream(root / "two" / "run.sh") << "echo two\n";
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(read_context_file(root / "one", "run.sh"), "echo one\n");
    EXPECT_EQ(read_context_file(root / "two", "run.sh"), "echo two\n");
    EXPECT_EQ(read_context_file(root / "two", "../one/run.sh"), std::nullopt);  // outside the context
  }
  EXPECT_EQ(read_context_file(root / "missing", "run.sh"), std::nullopt);
}

}  // namespace
}  // namespace dockerfix::model
