// The shipped knowledge (data/base-images.yaml) where real files showed it
// wrong or missing (issue 13): openjdk and tomcat tags by their history,
// arch-prefixed names and Docker Hub mirrors, linuxserver and phusion bases,
// images that drop privileges themselves, OS releases and apt's retry
// default; and the schema of the new keys.
#include <fnmatch.h>
#include <gtest/gtest.h>

#include <set>

#include "dockerfix/explain.h"
#include "dockerfix/model.h"
#include "model/knowledge_loader.h"
#include "tests/test_support.h"

namespace dockerfix::model {
namespace {

const ImageFacts* lookup(const std::string& image) { return KnowledgeBase::builtin().lookup(parse_image_ref(image)); }

std::string id_of(const std::string& image) {
  const ImageFacts* f = lookup(image);
  return f ? f->id : "(unknown)";
}

bool has_user(const ImageFacts* f, const std::string& name) {
  if (!f) return false;
  for (const auto& u : f->users)
    if (u.name == name) return true;
  return false;
}

std::optional<ReleaseMatch> release(const std::string& image) {
  auto ref = parse_image_ref(image);
  return KnowledgeBase::builtin().release_of(ref, KnowledgeBase::builtin().lookup(ref));
}

TEST(KnowledgeFacts, OpenjdkTagsFollowTheirHistory) {
  // openjdk:8-alpine and 8-jre were taken for Oracle Linux.
  ASSERT_NE(lookup("openjdk:8-alpine"), nullptr);
  EXPECT_EQ(lookup("openjdk:8-alpine")->family, "alpine");
  EXPECT_EQ(lookup("openjdk:8-jdk-alpine")->family, "alpine");
  EXPECT_EQ(lookup("openjdk:8u151-jre-alpine")->family, "alpine");
  for (const char* debian : {"openjdk:8-jre", "openjdk:8", "openjdk:8-jdk", "openjdk:8u212", "openjdk:11", "openjdk:11-jre",
                             "openjdk:11.0.3-jdk", "openjdk:7-jdk", "openjdk:jre", "openjdk:11-jre-slim",
                             "openjdk:17-jdk-slim", "openjdk:8-jdk-buster"}) {
    ASSERT_NE(lookup(debian), nullptr) << debian;
    EXPECT_EQ(lookup(debian)->family, "debian") << debian;
  }
  EXPECT_EQ(lookup("openjdk:12")->family, "rhel");
  EXPECT_EQ(lookup("openjdk:12")->package_managers.front(), "yum");  // oraclelinux:7-slim
  EXPECT_EQ(lookup("openjdk:17")->package_managers.front(), "microdnf");
  EXPECT_EQ(lookup("openjdk:21-jdk")->family, "rhel");
  EXPECT_EQ(lookup("openjdk:17-oraclelinux7")->package_managers.front(), "yum");
  EXPECT_EQ(lookup("openjdk:11-oraclelinux8")->family, "rhel");
  // Debian until 2019, Oracle Linux after: not guessed.
  EXPECT_EQ(lookup("openjdk:latest"), nullptr);
  EXPECT_EQ(lookup("openjdk:jdk"), nullptr);
  // Every Debian build of 8 and 11 was on jessie..bullseye: apt without retries.
  EXPECT_EQ(lookup("openjdk:8-jre")->runtime.apt_retries_default, 0);
}

TEST(KnowledgeFacts, TomcatTagsFollowTheirHistory) {
  // tomcat:8.0 was taken for Ubuntu noble: it is Debian (openjdk) without the ubuntu user.
  const ImageFacts* t80 = lookup("tomcat:8.0");
  ASSERT_NE(t80, nullptr);
  EXPECT_EQ(t80->family, "debian");
  EXPECT_FALSE(has_user(t80, "ubuntu"));
  EXPECT_EQ(t80->runtime.apt_retries_default, 0);
  for (const char* old : {"tomcat:8.0-jre8", "tomcat:7", "tomcat:8.5.50", "tomcat:9.0.50", "tomcat:9.0.50-jdk11-openjdk",
                          "tomcat:10.0.10", "tomcat:9.0-jdk11-openjdk-buster"}) {
    ASSERT_NE(lookup(old), nullptr) << old;
    EXPECT_EQ(lookup(old)->family, "debian") << old;
    EXPECT_FALSE(has_user(lookup(old), "ubuntu")) << old;
  }
  for (const char* jammy : {"tomcat:8.5", "tomcat:8.5.90", "tomcat:9.0.70", "tomcat:10.1.20", "tomcat:10.0",
                            "tomcat:9.0-jdk17-temurin-jammy"}) {
    ASSERT_NE(lookup(jammy), nullptr) << jammy;
    EXPECT_EQ(lookup(jammy)->family, "ubuntu") << jammy;
    EXPECT_FALSE(has_user(lookup(jammy), "ubuntu")) << jammy;
  }
  for (const char* noble : {"tomcat:9", "tomcat:9.0", "tomcat:9.0.100", "tomcat:10.1.30", "tomcat:11.0.2", "tomcat",
                            "tomcat:10.1-jdk21-temurin-noble"})
    EXPECT_TRUE(has_user(lookup(noble), "ubuntu")) << noble;
  // Built both ways: left unknown.
  EXPECT_EQ(lookup("tomcat:9.0.91"), nullptr);
  EXPECT_EQ(lookup("tomcat:8.0-alpine")->family, "alpine");
  EXPECT_EQ(*lookup("tomcat:8.0")->runtime.cmd, (std::vector<std::string>{"catalina.sh", "run"}));
}

TEST(KnowledgeFacts, ArchPrefixesAndHubMirrorsMatchTheLibraryImage) {
  for (const char* node : {"arm32v7/node:20", "arm64v8/node", "amd64/node:18-bookworm", "mirror.gcr.io/library/node:20",
                           "docker.io/library/node:20", "public.ecr.aws/docker/library/node:20", "index.docker.io/library/node"})
    EXPECT_EQ(id_of(node), "node") << node;
  EXPECT_EQ(id_of("public.ecr.aws/docker/library/python:3.12"), "python");
  EXPECT_EQ(id_of("amd64/python:3.12-alpine"), "python-alpine");
  EXPECT_EQ(id_of("mirror.gcr.io/busybox"), "busybox");
  EXPECT_EQ(id_of("i386/ubuntu:24.04"), "ubuntu-24.04-and-later");
  EXPECT_EQ(id_of("arm32v7/buildpack-deps:bookworm"), "buildpack-deps");
  EXPECT_EQ(id_of("registry.hub.docker.com/library/alpine:3.20"), "alpine");
  // Only Docker Hub's library is mirrored there, and other namespaces are not arch builds.
  EXPECT_EQ(lookup("public.ecr.aws/nginx/nginx:1.27"), nullptr);
  EXPECT_EQ(lookup("myorg/node:20"), nullptr);
}

TEST(KnowledgeFacts, MatchingKeepsTheWrittenReference) {
  auto a = parse_image_ref("arm32v7/node:20");
  EXPECT_EQ(a.repository, "arm32v7/node");
  EXPECT_EQ(a.familiar(), "arm32v7/node:20");
  EXPECT_EQ(a.match_repository, "library/node");
  EXPECT_NE(a.match_reason.find("arm32v7"), std::string::npos);
  auto m = parse_image_ref("public.ecr.aws/docker/library/python:3.12");
  EXPECT_EQ(m.registry, "public.ecr.aws");
  EXPECT_EQ(m.familiar(), "public.ecr.aws/docker/library/python:3.12");
  EXPECT_EQ(m.match_repository, "library/python");
  EXPECT_EQ(parse_image_ref("mirror.gcr.io/library/node:20").match_repository, "library/node");
  EXPECT_EQ(parse_image_ref("node:20").match_repository, "");
  EXPECT_EQ(parse_image_ref("docker.io/library/node:20").match_repository, "");
  EXPECT_EQ(parse_image_ref("ghcr.io/arm32v7/node").match_repository, "");
  // explain says how the image was matched.
  auto file = parse("FROM public.ecr.aws/docker/library/python:3.12\n");
  auto text = explain_text(file, analyze(file, KnowledgeBase::builtin()));
  EXPECT_NE(text.find("matched as library/python: Docker Hub mirror public.ecr.aws"), std::string::npos) << text;
}

TEST(KnowledgeFacts, LinuxserverAndPhusionBases) {
  for (const char* ls : {"ghcr.io/linuxserver/baseimage-alpine:3.20", "lscr.io/linuxserver/nginx:latest",
                         "linuxserver/plex", "ghcr.io/linuxserver/baseimage-ubuntu:noble"}) {
    const ImageFacts* f = lookup(ls);
    ASSERT_NE(f, nullptr) << ls;
    ASSERT_TRUE(has_user(f, "abc")) << ls;
    for (const auto& u : f->users)
      if (u.name == "abc") EXPECT_EQ(u.uid, 911u);
    ASSERT_TRUE(f->runtime.drops_privileges) << ls;
    EXPECT_EQ(*f->runtime.entrypoint, std::vector<std::string>{"/init"});
  }
  EXPECT_EQ(lookup("ghcr.io/linuxserver/baseimage-alpine:3.20")->user_tool, "useradd");  // shadow is installed
  EXPECT_FALSE(has_user(lookup("ghcr.io/linuxserver/baseimage-ubuntu:noble"), "ubuntu"));  // userdel ubuntu
  const ImageFacts* p = lookup("phusion/baseimage:0.11");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->family, "ubuntu");
  EXPECT_EQ(*p->runtime.cmd, std::vector<std::string>{"/sbin/my_init"});
  EXPECT_TRUE(p->runtime.drops_privileges);
  EXPECT_EQ(release("phusion/baseimage:0.11")->release.name, "bionic");
  EXPECT_EQ(release("phusion/baseimage:0.9.18")->release.name, "trusty");
  EXPECT_EQ(release("phusion/baseimage:noble-1.0.0")->release.name, "noble");
  EXPECT_TRUE(has_user(lookup("phusion/baseimage:noble-1.0.0"), "ubuntu"));
  EXPECT_FALSE(has_user(lookup("phusion/baseimage:jammy-1.0.4"), "ubuntu"));
}

TEST(KnowledgeFacts, OfficialImagesThatDropPrivilegesSayHow) {
  for (const char* image : {"postgres:16", "postgres:16-alpine", "mysql:8.4", "mariadb:11", "mongo:7", "redis:7",
                            "redis:7-alpine", "rabbitmq:3-management", "rabbitmq:3-alpine", "nginx:1.27",
                            "nginx:alpine", "httpd:2.4", "cassandra:5", "couchdb:3", "zookeeper:3.9", "influxdb:2.7",
                            "percona:5.7", "php:8.3-apache", "php:8.3-fpm", "php:8.3-fpm-alpine", "wordpress:6"}) {
    const ImageFacts* f = lookup(image);
    ASSERT_NE(f, nullptr) << image;
    ASSERT_TRUE(f->runtime.drops_privileges) << image;
    EXPECT_FALSE(f->runtime.drops_privileges->how.empty()) << image;
    EXPECT_EQ(f->runtime.drops_privileges->source.rfind("https://", 0), 0u) << image;
    ASSERT_TRUE(f->default_user) << image;
    EXPECT_EQ(f->default_user->name, "root") << image;  // they start as root
  }
  // These run as their own user already: nothing to drop.
  for (const char* image : {"memcached:1", "solr:9", "docker.elastic.co/elasticsearch/elasticsearch:8.15.0",
                            "wordpress:cli", "nginxinc/nginx-unprivileged:1.27"}) {
    const ImageFacts* f = lookup(image);
    ASSERT_NE(f, nullptr) << image;
    EXPECT_FALSE(f->runtime.drops_privileges) << image;
    EXPECT_NE(f->default_user->name, "root") << image;
  }
  EXPECT_EQ(lookup("postgres:16")->runtime.volumes, std::vector<std::string>{"/var/lib/postgresql/data"});
  EXPECT_EQ(lookup("nginx:1.27")->runtime.expose, std::vector<uint32_t>{80});
  // percona is docker-library/percona (Debian stretch), not Oracle Linux.
  EXPECT_EQ(lookup("percona:5.7")->family, "debian");
  EXPECT_EQ(lookup("mysql:8.4")->family, "rhel");
}

TEST(KnowledgeFacts, ReleasesGiveAptsRetryDefault) {
  struct Case {
    const char* image;
    const char* release;
    int retries;
  };
  for (const Case& c : {Case{"debian:bookworm", "bookworm", 3}, Case{"debian:12-slim", "bookworm", 3},
                        Case{"debian:11", "bullseye", 0}, Case{"debian:trixie", "trixie", 3},
                        Case{"ubuntu:22.04", "jammy", 3}, Case{"ubuntu:jammy-20240111", "jammy", 3},
                        Case{"ubuntu:20.04", "focal", 0}, Case{"ubuntu:noble", "noble", 3},
                        Case{"python:3.12-slim-bookworm", "bookworm", 3}, Case{"node:18-bullseye", "bullseye", 0},
                        Case{"golang:1.20-buster", "buster", 0}, Case{"buildpack-deps:focal", "focal", 0},
                        Case{"eclipse-temurin:21-jammy", "jammy", 3}, Case{"zookeeper:3.9", "jammy", 3}}) {
    auto r = release(c.image);
    ASSERT_TRUE(r) << c.image;
    EXPECT_EQ(r->release.name, c.release) << c.image;
    EXPECT_EQ(r->release.apt_retries_default(), c.retries) << c.image << " apt " << r->release.apt;
    EXPECT_FALSE(r->reason.empty());
  }
  // A moving tag names no release: not guessed.
  EXPECT_FALSE(release("node:20"));
  EXPECT_FALSE(release("debian:stable"));
  EXPECT_FALSE(release("alpine:3.20"));
}

TEST(KnowledgeFacts, RuntimeKeysAreValidated) {
  auto kb = KnowledgeBase::from_yaml(R"(
releases:
  - {name: bookworm, family: debian, version: "12", apt: "2.6.1", source: x}
images:
  - name: svc
    match: {repository: svc}
    family: debian
    entrypoint: ["docker-entrypoint.sh"]
    cmd: ["svc", "-f"]
    drops_privileges: {how: gosu, user: svc, source: "https://example.com/entrypoint"}
    expose: [80, 443]
    volumes: [/data]
    writes: [/var/run/svc.pid]
    release_from_version: true
)", "t.yaml");
  auto ref = parse_image_ref("svc:12");
  const ImageFacts* f = kb.lookup(ref);
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->runtime.drops_privileges->user, "svc");
  EXPECT_EQ(f->runtime.expose, (std::vector<uint32_t>{80, 443}));
  EXPECT_EQ(kb.release_of(ref, f)->release.name, "bookworm");
  EXPECT_FALSE(kb.lookup(parse_image_ref("other"))) << "unknown images stay unknown";
  auto error = [](const std::string& yaml) {
    try {
      KnowledgeBase::from_yaml(yaml, "bad.yaml");
    } catch (const std::runtime_error& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  EXPECT_NE(error("images:\n  - name: a\n    match: {repository: a}\n    drops_privileges: {how: x}\n").find("bad.yaml:4"),
            std::string::npos);
  EXPECT_NE(error("images:\n  - name: a\n    match: {repository: a}\n    drops_privileges: {how: x, source: y, why: z}\n")
                .find("unknown drops_privileges key 'why'"),
            std::string::npos);
  EXPECT_NE(error("images:\n  - name: a\n    match: {repository: a}\n    expose: [0]\n").find("1-65535"), std::string::npos);
  EXPECT_NE(error("images:\n  - name: a\n    match: {repository: a}\n    cmd: nginx\n").find("must be a list"), std::string::npos);
  EXPECT_NE(error("releases:\n  - {name: x, family: debian}\nimages: []\n").find("needs name, family and apt"), std::string::npos);
}

TEST(KnowledgeFacts, MaxVersionCutsToItsOwnLength) {
  auto kb = KnowledgeBase::from_yaml(R"(
images:
  - name: old
    match: {repository: t, tags: ["9.0.[0-9]*"], max_version: "9.0.63"}
  - name: new
    match: {repository: t, min_version: "9.0.93", max_version: "9.0"}
  - name: major
    match: {repository: j, max_version: "11"}
)", "t.yaml");
  EXPECT_EQ(kb.lookup(parse_image_ref("t:9.0.63"))->id, "old");
  EXPECT_EQ(kb.lookup(parse_image_ref("t:9.0.100"))->id, "new");
  EXPECT_EQ(kb.lookup(parse_image_ref("t:9.0.70")), nullptr);
  EXPECT_EQ(kb.lookup(parse_image_ref("t:10.0.1")), nullptr);
  EXPECT_EQ(kb.lookup(parse_image_ref("j:11.0.3-jdk"))->id, "major");
  EXPECT_EQ(kb.lookup(parse_image_ref("j:8u212"))->id, "major");
  EXPECT_EQ(kb.lookup(parse_image_ref("j:17")), nullptr);
}

// Entries match every repository and tag the corpus's FROMs name (and the
// patterns themselves, their prefixes and longer strings) as fnmatch does.
TEST(KnowledgeFacts, GlobMatchIsFnmatch) {
  std::set<std::string> names{"", "library/", "a\\b"};
  for (const auto& path : test::corpus_files()) {
    const Dockerfile f = parse(test::read_file(path), path.string());
    for (const auto& st : analyze(f, KnowledgeBase::builtin(), {}).stages) {
      if (!st.base.valid) continue;
      names.insert(st.base.registry == "docker.io" ? st.base.repository : st.base.registry + "/" + st.base.repository);
      names.insert(st.base.match_repository);
      names.insert(st.base.tag);
    }
  }
  ASSERT_GT(names.size(), 1000u) << "corpus missing at " << test::corpus_dir();
  std::set<std::string> patterns;
  for (const auto& e : KnowledgeAccess::entries(KnowledgeBase::builtin())) {
    patterns.insert(e->repositories.begin(), e->repositories.end());
    patterns.insert(e->tags.begin(), e->tags.end());
    patterns.insert(e->exclude_tags.begin(), e->exclude_tags.end());
  }
  for (const auto& p : patterns) {
    names.insert(p);
    names.insert(p + "x");
    names.insert(p.substr(0, p.size() / 2));
  }
  size_t matched = 0;
  for (const auto& p : patterns)
    for (const auto& n : names) {
      const bool want = fnmatch(p.c_str(), n.c_str(), 0) == 0;
      ASSERT_EQ(glob_match(p, n), want) << p << " " << n;
      matched += want;
    }
  EXPECT_GT(matched, patterns.size());
}

}  // namespace
}  // namespace dockerfix::model
