// The lock file (format, errors, its knowledge entries and digests), the
// cache, platforms, challenges, credentials and the plain-HTTP rule.
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <map>

#include <gtest/gtest.h>

#include "dockerfix/lock.h"
#include "dockerfix/model.h"
#include "dockerfix/syntax.h"
#include "images/cache.h"
#include "images/credentials.h"
#include "images/digest.h"
#include "images/platform.h"
#include "images/repo_lock.h"

namespace dockerfix {
namespace {

namespace fs = std::filesystem;

std::string digest(char c) { return "sha256:" + std::string(64, c); }

model::LockedImage sample(const std::string& ref, char d) {
  model::LockedImage e;
  e.reference = ref;
  e.digest = digest(d);
  e.manifest = digest(static_cast<char>(d + 1));
  e.platform = "linux/amd64";
  e.learned_at = "2026-01-02T03:04:05Z";
  e.source = "registry";
  e.facts.os_release = {{"id", "debian"}, {"version_id", "12"}};
  e.facts.shell = "/usr/bin/dash";
  e.facts.tools = {{"useradd", "/usr/sbin/useradd"}, {"groupadd", "/usr/sbin/groupadd"}, {"apt-get", "/usr/bin/apt-get"}};
  e.facts.users = {{"root", 0u, 0u, "/root", "/bin/bash"}, {"app", 1001u, 1001u, "/home/app", "/bin/bash"}};
  e.facts.groups = {{"root", 0u}, {"app", 1001u}};
  e.facts.config.user = "app";
  e.facts.config.cmd = {"/bin/sh", "-c", "run: now"};
  e.facts.config.labels = {{"org.opencontainers.image.vendor", "mycorp"}};
  return e;
}

struct TempDir {
  fs::path path;
  TempDir() {
    std::string t = (fs::temp_directory_path() / "dockerfix-lock-test-XXXXXX").string();
    path = mkdtemp(t.data());
  }
  ~TempDir() { fs::remove_all(path); }
};

TEST(Lock, RoundTripsAndIsSorted) {
  model::Lock lock;
  for (auto [ref, d] : {std::pair{"registry.example.com/mycorp/base:1.4", 'a'}, std::pair{"python:3.12-slim", 'c'}})
    lock.images[ref] = sample(ref, d);
  std::string text = model::lock_text(lock);
  model::Lock again = model::parse_lock(text, "dockerfix.lock");
  EXPECT_EQ(model::lock_text(again), text);
  ASSERT_EQ(again.images.size(), 2u);
  const auto& e = again.images.at("python:3.12-slim");
  EXPECT_TRUE(model::same_facts(e.facts, lock.images.at("python:3.12-slim").facts));
  EXPECT_EQ(e.facts.config.cmd[2], "run: now");
  // One entry per reference, in order, and within each, keys in order.
  EXPECT_LT(text.find("python:3.12-slim:"), text.find("registry.example.com/mycorp/base:1.4:"));
  auto entry = text.substr(text.find("python:3.12-slim:"));
  EXPECT_LT(entry.find("digest:"), entry.find("groups:"));
  EXPECT_LT(entry.find("groups:"), entry.find("users:"));
  EXPECT_NE(text.find("- {gid: 1001, home: /home/app, name: app, shell: /bin/bash, uid: 1001}"), std::string::npos) << text;
}

TEST(Lock, BadInputNamesFileAndLine) {
  auto error = [](const std::string& text) {
    try {
      model::parse_lock(text, "x/dockerfix.lock");
    } catch (const std::runtime_error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  std::string d = digest('a');
  EXPECT_EQ(error("images:\n  node:20:\n    digest: " + d + "\n    platform: linux/amd64\n    colour: red\n"),
            "x/dockerfix.lock:5: unknown image key 'colour'");
  EXPECT_EQ(error("images:\n  node:20:\n    digest: sha256:abc\n    platform: linux/amd64\n"),
            "x/dockerfix.lock:3: digest must be sha256:<64 hex>");
  EXPECT_EQ(error("images:\n  node:20:\n    platform: linux/amd64\n"), "x/dockerfix.lock:3: node:20: 'digest' is missing");
  EXPECT_EQ(error("lock_version: 7\n"), "x/dockerfix.lock:1: lock_version 7 is not one this dockerfix reads (1)");
  EXPECT_EQ(error("images:\n  'bad ref':\n    digest: " + d + "\n    platform: linux/amd64\n"),
            "x/dockerfix.lock:2: 'bad ref' is not an image reference");
  EXPECT_EQ(error("images:\n  node:20:\n    digest: " + d + "\n    platform: linux/amd64\n    users:\n      - {name: a, uid: x}\n"),
            "x/dockerfix.lock:6: an id must be a number");
  EXPECT_EQ(error("images: [\n"), error("images: [\n"));
  EXPECT_EQ(error("images: [\n").rfind("x/dockerfix.lock:", 0), 0u);
}

TEST(Lock, KnowledgeEntriesFollowTheImage) {
  model::Lock lock;
  lock.images["registry.example.com/mycorp/base:1.4"] = sample("registry.example.com/mycorp/base:1.4", 'a');
  auto nonroot = sample("mycorp/tools:2", 'c');
  nonroot.facts.config.user = "10001";
  nonroot.facts.users.push_back({"svc", 10001u, 10001u, "/srv", "/sbin/nologin"});
  nonroot.facts.os_release = {{"id", "rocky"}};
  nonroot.facts.tools = {{"microdnf", "/usr/bin/microdnf"}};
  lock.images["mycorp/tools:2"] = nonroot;
  model::KnowledgeBase kb = model::lock_knowledge(lock);
  kb.prepend(model::KnowledgeBase{});

  const model::ImageFacts* f = kb.lookup(model::parse_image_ref("registry.example.com/mycorp/base:1.4"));
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->family, "debian");
  EXPECT_EQ(f->package_managers, (std::vector<std::string>{"apt-get"}));
  EXPECT_EQ(f->shell, true);
  EXPECT_EQ(f->user_tool, "useradd");
  ASSERT_TRUE(f->default_user);
  EXPECT_EQ(f->default_user->name, "app");
  EXPECT_EQ(f->default_user->uid, 1001u);
  ASSERT_EQ(f->users.size(), 1u);  // root is not listed as a user to switch to
  EXPECT_EQ(f->users[0].name, "app");
  // The same repository at another tag is not what was learned.
  EXPECT_EQ(kb.lookup(model::parse_image_ref("registry.example.com/mycorp/base:1.5")), nullptr);
  // A FROM that pins the learned tag to a digest still has the tag's facts.
  EXPECT_NE(kb.lookup(model::parse_image_ref("registry.example.com/mycorp/base:1.4@" + digest('a'))), nullptr);

  const model::ImageFacts* t = kb.lookup(model::parse_image_ref("docker.io/mycorp/tools:2"));
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->family, "rhel");
  EXPECT_EQ(t->package_managers, (std::vector<std::string>{"microdnf"}));
  EXPECT_EQ(t->user_tool, "none");
  EXPECT_EQ(t->default_user->name, "svc");  // USER 10001 is svc in /etc/passwd
  EXPECT_EQ(t->default_user->uid, 10001u);
}

// What learn saw is what the rules get: its PATH (no family defaults on
// top: this alpine has no wget), busybox or not, what it runs, where it
// starts and its release; a stage FROM it starts in its WorkingDir.
TEST(Lock, LearnedToolsRuntimeAndWorkingDirReachTheModel) {
  model::Lock lock;
  auto alpine = sample("mycorp/alpine:3", 'e');
  alpine.facts.os_release = {{"id", "alpine"}, {"version_id", "3.20.1"}};
  alpine.facts.shell = "/bin/busybox";
  alpine.facts.busybox = true;
  alpine.facts.tools = {{"adduser", "busybox"}, {"addgroup", "busybox"}, {"apk", "/sbin/apk"}, {"curl", "/usr/bin/curl"}};
  alpine.facts.config.entrypoint = {"/usr/local/bin/entry.sh"};
  alpine.facts.config.cmd = {"serve"};
  alpine.facts.config.exposed_ports = {"8080/tcp", "9090/udp", "bogus"};
  alpine.facts.config.working_dir = "/srv/app";
  lock.images["mycorp/alpine:3"] = alpine;
  auto deb = sample("mycorp/debian:12", 'g');
  deb.facts.os_release = {{"id", "debian"}, {"version_id", "12"}, {"version_codename", "bookworm"}};
  deb.facts.tools["wget"] = "/usr/bin/wget";
  deb.facts.tools["pgrep"] = "/usr/bin/pgrep";
  lock.images["mycorp/debian:12"] = deb;
  model::KnowledgeBase kb = model::lock_knowledge(lock);

  const model::ImageFacts* a = kb.lookup(model::parse_image_ref("mycorp/alpine:3"));
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->family, "alpine");
  EXPECT_TRUE(a->has_tool("curl"));
  EXPECT_FALSE(a->has_tool("wget"));   // the alpine family's default, not in this image
  EXPECT_FALSE(a->has_tool("pgrep"));
  EXPECT_EQ(a->adduser, "busybox");
  EXPECT_EQ(a->runtime.entrypoint, (std::vector<std::string>{"/usr/local/bin/entry.sh"}));
  EXPECT_EQ(a->runtime.cmd, (std::vector<std::string>{"serve"}));
  EXPECT_EQ(a->runtime.expose, (std::vector<uint32_t>{8080, 9090}));
  EXPECT_EQ(a->runtime.working_dir, std::optional<std::string>("/srv/app"));

  const model::ImageFacts* d = kb.lookup(model::parse_image_ref("mycorp/debian:12"));
  ASSERT_NE(d, nullptr);
  EXPECT_TRUE(d->has_tool("wget"));
  EXPECT_TRUE(d->has_tool("pgrep"));
  EXPECT_FALSE(d->has_tool("curl"));
  EXPECT_EQ(d->wget, "gnu");
  EXPECT_EQ(d->runtime.release, "bookworm");
  EXPECT_EQ(d->runtime.entrypoint, std::vector<std::string>{});  // learned: it has none
  EXPECT_FALSE(d->runtime.working_dir);

  const std::string text =
      "FROM mycorp/alpine:3 AS build\n"
      "COPY app.py .\n"
      "FROM build\n"
      "RUN true\n"
      "FROM mycorp/debian:12\n"
      "RUN true\n";
  const Dockerfile file = parse(text);
  model::BuildModel m = model::analyze(file, kb, {});
  ASSERT_EQ(m.stages.size(), 3u);
  auto first_workdir = [&](size_t stage) { return m.steps.at(m.stages[stage].steps.at(1)).workdir; };
  EXPECT_EQ(first_workdir(0), "/srv/app");
  EXPECT_EQ(first_workdir(1), "/srv/app");  // FROM build: the parent's WORKDIR
  EXPECT_EQ(first_workdir(2), "/");
}

TEST(Lock, FamilyFromOsRelease) {
  auto family = [](std::map<std::string, std::string> os, bool shell = true) {
    auto e = sample("a:1", 'a');
    e.facts.os_release = std::move(os);
    if (!shell) e.facts.shell.reset();
    return model::knowledge_facts(e).family;
  };
  EXPECT_EQ(family({{"id", "ubuntu"}}), "ubuntu");
  EXPECT_EQ(family({{"id", "amzn"}}), "amazonlinux");
  EXPECT_EQ(family({{"id", "almalinux"}}), "rhel");
  EXPECT_EQ(family({{"id", "linuxmint"}, {"id_like", "ubuntu debian"}}), "debian");
  EXPECT_EQ(family({{"id", "debian"}, {"pretty_name", "Distroless"}}), "distroless");
  auto none = sample("a:1", 'a');
  none.facts = {};
  EXPECT_EQ(model::knowledge_facts(none).family, "scratch");
  EXPECT_EQ(model::knowledge_facts(none).shell, false);
  EXPECT_EQ(model::knowledge_facts(none).default_user->name, "root");
}

TEST(Lock, DigestsForPinning) {
  model::Lock lock;
  lock.images["python:3.12-slim"] = sample("python:3.12-slim", 'a');
  auto ref = model::parse_image_ref("python:3.12-slim");
  EXPECT_EQ(model::locked_digest(lock, ref), digest('a'));
  EXPECT_EQ(model::locked_digest(lock, model::parse_image_ref("docker.io/library/python:3.12-slim")), digest('a'));
  EXPECT_EQ(model::locked_digest(lock, model::parse_image_ref("python:3.12-slim@" + digest('a'))), digest('a'));
  // A FROM pinned to another digest is not the locked image.
  EXPECT_EQ(model::find_locked(lock, model::parse_image_ref("python:3.12-slim@" + digest('f'))), nullptr);
  EXPECT_EQ(model::locked_digest(lock, model::parse_image_ref("python:3.13-slim")), std::nullopt);
  // A local build's digest is its image ID: no registry serves it, so nothing to pin.
  lock.images["mycorp/local:1"] = sample("mycorp/local:1", 'b');
  lock.images["mycorp/local:1"].source = "engine-local";
  EXPECT_NE(model::find_locked(lock, model::parse_image_ref("mycorp/local:1")), nullptr);
  EXPECT_EQ(model::locked_digest(lock, model::parse_image_ref("mycorp/local:1")), std::nullopt);
}

TEST(Lock, FoundBesideTheConfigElseUpward) {
  TempDir t;
  fs::create_directories(t.path / "repo/sub");
  EXPECT_EQ(model::find_lock({}, t.path / "repo/sub"), std::nullopt);
  EXPECT_EQ(model::lock_path_for({}, t.path / "repo/sub"), t.path / "repo/sub/dockerfix.lock");
  std::ofstream(t.path / "repo/dockerfix.lock") << "images: {}\n";
  EXPECT_EQ(model::find_lock({}, t.path / "repo/sub"), t.path / "repo/dockerfix.lock");
  EXPECT_EQ(model::lock_path_for({}, t.path / "repo/sub"), t.path / "repo/dockerfix.lock");
  EXPECT_EQ(model::lock_path_for(t.path / "repo/sub/.dockerfix.yaml", t.path), t.path / "repo/sub/dockerfix.lock");
  EXPECT_EQ(model::find_lock(t.path / "repo/sub/.dockerfix.yaml", t.path), std::nullopt);

  std::ofstream(t.path / "repo/dockerfix.lock") << "images:\n  x:\n    digest: nope\n";
  model::KnowledgeBase kb;
  try {
    model::prepend_lock(kb, {}, t.path / "repo/sub");
    FAIL() << "a bad lock was taken";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find((t.path / "repo/dockerfix.lock").string() + ":3:"), std::string::npos) << e.what();
  }
}

TEST(Cache, ByManifestAndByReference) {
  TempDir t;
  images::Cache cache(t.path);
  auto e = sample("mycorp/base:1", 'a');
  EXPECT_EQ(cache.by_manifest(e.manifest), std::nullopt);
  cache.put(e, "linux/amd64");
  auto got = cache.by_manifest(e.manifest);
  ASSERT_TRUE(got);
  EXPECT_TRUE(model::same_facts(got->facts, e.facts));
  EXPECT_TRUE(cache.by_reference("mycorp/base:1", "linux/amd64"));
  EXPECT_FALSE(cache.by_reference("mycorp/base:1", "linux/arm64"));
  EXPECT_FALSE(cache.by_manifest("sha256:../../etc/passwd"));
  // A damaged cache file is ignored, never taken as facts.
  std::ofstream(t.path / (e.manifest.substr(7) + ".yaml")) << "images: [";
  EXPECT_EQ(cache.by_manifest(e.manifest), std::nullopt);
}

// The bot's refresh of a repository's lock (issue 15), offline: what the
// lock has stays, byte for byte; what cannot be learned is said, with what
// the fixes use instead, and never fails the repository.
TEST(RepoLock, OfflineKeepsTheLockAndSaysWhatItCannotLearn) {
  TempDir t;
  model::Lock lock;
  lock.images["registry.example.com/mycorp/base:1.4"] = sample("registry.example.com/mycorp/base:1.4", 'a');
  const std::string committed = model::lock_text(lock);
  images::LearnOptions o;
  o.offline = true;
  o.cache_dir = t.path / "cache";
  o.platform = *images::parse_platform("linux/amd64");
  const std::map<std::string, std::string> files{
      {"app/Dockerfile", "FROM registry.example.com/mycorp/base:1.4\nCMD [\"/app\"]\n"},
      {"new/Dockerfile", "ARG V=2\nFROM mycorp/other:${V}\n"},
      {"open/Dockerfile", "ARG BASE\nFROM $BASE\n"},
      {"scratch/Dockerfile", "FROM scratch\n"}};
  images::RepoLock r = images::refresh_repo_lock(files, committed, "org/app:dockerfix.lock", o);
  EXPECT_FALSE(r.changed);
  EXPECT_EQ(r.text, committed);
  ASSERT_EQ(r.notes.size(), 2u) << ::testing::PrintToString(r.notes);
  EXPECT_NE(r.notes[0].find("open/Dockerfile: FROM $BASE"), std::string::npos) << r.notes[0];
  EXPECT_NE(r.notes[1].find("mycorp/other:2: could not be learned ("), std::string::npos) << r.notes[1];  // after ARG defaults
  EXPECT_NE(r.notes[1].find("the fixes use dockerfix's shipped knowledge"), std::string::npos) << r.notes[1];
  EXPECT_EQ(r.lock.images.size(), 1u);

  EXPECT_THROW(
      {
        try {
          images::refresh_repo_lock(files, "images:\n  x:\n    digest: nope\n", "org/app:dockerfix.lock", o);
        } catch (const std::runtime_error& e) {
          EXPECT_NE(std::string(e.what()).find("org/app:dockerfix.lock:3"), std::string::npos) << e.what();
          throw;
        }
      },
      std::runtime_error);
}

TEST(Platform, ParsesAndChooses) {
  EXPECT_EQ(images::parse_platform("linux/amd64")->text(), "linux/amd64");
  EXPECT_EQ(images::parse_platform("Linux/x86_64")->text(), "linux/amd64");
  EXPECT_EQ(images::parse_platform("linux/aarch64")->text(), "linux/arm64");
  EXPECT_EQ(images::parse_platform("linux/arm/7")->text(), "linux/arm/v7");
  for (const char* bad : {"linux", "linux/", "/amd64", "linux/amd64/v8/x", "linux/am d64", ""})
    EXPECT_EQ(images::parse_platform(bad), std::nullopt) << bad;
  auto index = nlohmann::json::parse(R"({"manifests":[
    {"digest":"a","platform":{"os":"linux","architecture":"amd64"}},
    {"digest":"att","platform":{"os":"unknown","architecture":"unknown"}},
    {"digest":"v6","platform":{"os":"linux","architecture":"arm","variant":"v6"}},
    {"digest":"v7","platform":{"os":"linux","architecture":"arm","variant":"v7"}},
    {"digest":"arm64","platform":{"os":"linux","architecture":"arm64","variant":"v8"}}]})");
  auto pick = [&](const char* p) {
    const nlohmann::json* m = images::choose_manifest(index, *images::parse_platform(p));
    return m ? (*m)["digest"].get<std::string>() : std::string("none");
  };
  EXPECT_EQ(pick("linux/amd64"), "a");
  EXPECT_EQ(pick("linux/arm64"), "arm64");
  EXPECT_EQ(pick("linux/arm64/v8"), "arm64");
  EXPECT_EQ(pick("linux/arm"), "v7");  // arm means v7
  EXPECT_EQ(pick("linux/arm/v6"), "v6");
  EXPECT_EQ(pick("linux/s390x"), "none");
  EXPECT_EQ(pick("windows/amd64"), "none");
}

TEST(Auth, Challenges) {
  auto c = images::parse_challenges(
      R"(Bearer realm="https://auth.example.com/token",service="registry.example.com",scope="repository:a/b:pull,push")");
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].scheme, "bearer");
  EXPECT_EQ(c[0].params["realm"], "https://auth.example.com/token");
  EXPECT_EQ(c[0].params["service"], "registry.example.com");
  EXPECT_EQ(c[0].params["scope"], "repository:a/b:pull,push");
  c = images::parse_challenges(R"(Basic realm="Registry Realm", Bearer realm="http://127.0.0.1:1/t")");
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(c[0].scheme, "basic");
  EXPECT_EQ(c[0].params["realm"], "Registry Realm");
  EXPECT_EQ(c[1].params["realm"], "http://127.0.0.1:1/t");
}

TEST(Auth, PlainHttpOnlyForLoopbackAndNamedRegistries) {
  for (const char* yes : {"127.0.0.1:5000", "127.1.2.3", "localhost:5000", "LOCALHOST", "[::1]:5000"})
    EXPECT_TRUE(images::insecure_registry(yes, {})) << yes;
  for (const char* no : {"127.0.0.1.example.com", "128.0.0.1", "10.0.0.1:5000", "registry.example.com", "[::2]:5000",
                         "127.0.0.256", "localhost.example.com", "docker.io"})
    EXPECT_FALSE(images::insecure_registry(no, {})) << no;
  EXPECT_TRUE(images::insecure_registry("registry.lan:5000", {"registry.lan:5000"}));
  EXPECT_FALSE(images::insecure_registry("registry.lan:5001", {"registry.lan:5000"}));
}

struct EnvGuard {
  std::string name;
  std::optional<std::string> old;
  EnvGuard(const char* n, const std::string& value) : name(n) {
    if (const char* v = std::getenv(n)) old = v;
    setenv(n, value.c_str(), 1);
  }
  ~EnvGuard() {
    if (old) setenv(name.c_str(), old->c_str(), 1);
    else unsetenv(name.c_str());
  }
};

TEST(Auth, CredentialsAsTheDockerCliFindsThem) {
  TempDir t;
  fs::path config = t.path / "config.json";
  std::ofstream(config) << R"({"auths":{"https://index.docker.io/v1/":{"auth":")" << images::base64_encode("hub:hubpw")
                        << R"("},"registry.example.com":{"auth":")" << images::base64_encode("me:p:w")
                        << R"("},"other.example.com":{}},
    "credHelpers":{"helped.example.com":"dftest","missing.example.com":"dftest","broken.example.com":"dftest"}})";
  // A credential helper in PATH, as docker-credential-* helpers are.
  fs::path helper = t.path / "docker-credential-dftest";
  std::ofstream(helper) << "#!/bin/sh\nread server\ncase $server in\n"
                           "  helped.example.com) echo '{\"ServerURL\":\"x\",\"Username\":\"hu\",\"Secret\":\"hs\"}' ;;\n"
                           "  missing.example.com) echo 'credentials not found in native keychain'; exit 1 ;;\n"
                           "  *) echo 'secret-looking output s3cr3t'; exit 3 ;;\nesac\n";
  fs::permissions(helper, fs::perms::owner_all);
  EnvGuard path("PATH", t.path.string() + ":" + std::getenv("PATH"));

  auto hub = images::credentials_for("docker.io", config);
  ASSERT_TRUE(hub);
  EXPECT_EQ(hub->username, "hub");
  EXPECT_EQ(hub->password, "hubpw");
  auto reg = images::credentials_for("registry.example.com", config);
  ASSERT_TRUE(reg);
  EXPECT_EQ(reg->username, "me");
  EXPECT_EQ(reg->password, "p:w");
  EXPECT_EQ(images::credentials_for("other.example.com", config), std::nullopt);
  EXPECT_EQ(images::credentials_for("unknown.example.com", config), std::nullopt);
  auto helped = images::credentials_for("helped.example.com", config);
  ASSERT_TRUE(helped);
  EXPECT_EQ(helped->username, "hu");
  EXPECT_EQ(helped->password, "hs");
  EXPECT_EQ(images::credentials_for("missing.example.com", config), std::nullopt);
  try {
    images::credentials_for("broken.example.com", config);
    FAIL() << "a failing helper was ignored";
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()).find("s3cr3t"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("docker-credential-dftest"), std::string::npos);
  }
  EXPECT_EQ(images::credentials_for("registry.example.com", t.path / "absent.json"), std::nullopt);
}

TEST(Digest, Sha256AndBase64) {
  EXPECT_EQ(images::sha256_digest("abc"), "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_TRUE(images::valid_digest(images::sha256_digest("")));
  EXPECT_FALSE(images::valid_digest("sha256:ABC"));
  EXPECT_FALSE(images::valid_digest("sha512:" + std::string(64, 'a')));
  for (std::string s : {"", "a", "ab", "abc", "user:pa$$:word"}) EXPECT_EQ(images::base64_decode(images::base64_encode(s)), s);
  EXPECT_EQ(images::base64_decode("not base64!"), std::nullopt);
}

}  // namespace
}  // namespace dockerfix
