// Runtime facts (dockerfix/runtime_facts.h) of Dockerfiles in the shapes
// real files had (issue 13): fixtures under tests/facts/, analysed with the
// shipped knowledge base.
#include <gtest/gtest.h>

#include "dockerfix/runtime_facts.h"
#include "tests/test_support.h"

namespace dockerfix::model {
namespace {

namespace fs = std::filesystem;
using Kind = EffectiveCommand::Kind;

fs::path fixture(const std::string& name) { return fs::path(DOCKERFIX_SOURCE_DIR) / "tests" / "facts" / name; }

struct Analysed {
  std::unique_ptr<Dockerfile> file;
  BuildModel model;
  RuntimeFacts facts;
};

Analysed analyse_text(const std::string& text, std::optional<fs::path> context = {}) {
  Analysed a;
  a.file = std::make_unique<Dockerfile>(parse(text));
  Options o;
  o.context = context;
  a.model = analyze(*a.file, KnowledgeBase::builtin(), o);
  a.facts = runtime_facts(*a.file, a.model, std::nullopt, context);
  return a;
}

// tests/facts/NAME/Dockerfile, or NAME/context/Dockerfile with that directory as the build context.
Analysed analyse(const std::string& name, bool with_context = true) {
  fs::path dir = fixture(name);
  if (fs::exists(dir / "context" / "Dockerfile"))
    return analyse_text(test::read_file(dir / "context" / "Dockerfile"),
                        with_context ? std::optional(dir / "context") : std::nullopt);
  return analyse_text(test::read_file(dir / "Dockerfile"));
}

template <class T>
std::vector<std::string> tools(const std::vector<T>& v) {
  std::vector<std::string> out;
  for (const auto& x : v) out.push_back(x.tool);
  return out;
}

bool has_state(const RuntimeFacts& f, const std::string& path) {
  for (const auto& s : f.root_state)
    if (s.path == path) return true;
  return false;
}

TEST(ModelFacts, PostgresBasedAppInheritsTheEntrypointThatDropsPrivileges) {
  auto a = analyse("postgres-app");
  const auto& c = a.facts.command;
  EXPECT_EQ(c.origin, EffectiveCommand::Origin::BaseImage);
  EXPECT_FALSE(c.own);
  EXPECT_FALSE(c.base_or_builder());
  EXPECT_EQ(c.argv, (std::vector<std::string>{"docker-entrypoint.sh", "postgres"}));
  EXPECT_EQ(c.process, "postgres");
  EXPECT_EQ(c.kind, Kind::Service);
  ASSERT_EQ(a.facts.privilege_drops.size(), 1u);
  const auto& d = a.facts.privilege_drops[0];
  EXPECT_EQ(d.tool, "knowledge");
  EXPECT_EQ(d.user, "postgres");
  EXPECT_NE(d.evidence.reason.find("gosu postgres"), std::string::npos) << d.evidence.reason;
  EXPECT_NE(d.evidence.source.find("https://github.com/docker-library/postgres"), std::string::npos);
  EXPECT_EQ(d.evidence.line, 2);  // the FROM
  ASSERT_FALSE(a.facts.volumes.empty());
  EXPECT_EQ(a.facts.volumes[0].path, "/var/lib/postgresql/data");
  EXPECT_FALSE(a.facts.volumes[0].instruction);  // the base image's: before every instruction
  ASSERT_TRUE(a.facts.probe_port);
  EXPECT_EQ(a.facts.probe_port->port, 5432u);
  EXPECT_EQ(a.facts.probe_port->source, PortFact::Source::BaseImage);
}

TEST(ModelFacts, OverridingTheEntrypointLosesTheBaseImagesPrivilegeDrop) {
  auto a = analyse_text("FROM postgres:16\nENTRYPOINT [\"/usr/local/bin/myapp\"]\n");
  EXPECT_TRUE(a.facts.privilege_drops.empty());
  EXPECT_TRUE(a.facts.command.cmd.empty()) << "an ENTRYPOINT resets the inherited CMD";
  EXPECT_TRUE(a.facts.command.own);
}

TEST(ModelFacts, NginxWritesRootOwnedLogsAndBindsPort80) {
  auto a = analyse("nginx-logs");
  EXPECT_EQ(a.facts.command.kind, Kind::Service);
  EXPECT_EQ(a.facts.command.process, "nginx");
  EXPECT_TRUE(has_state(a.facts, "/var/log/nginx"));
  EXPECT_TRUE(has_state(a.facts, "/var/lib/nginx"));
  EXPECT_TRUE(has_state(a.facts, "/var/log/nginx/app"));  // mkdir as root
  EXPECT_TRUE(has_state(a.facts, "/var/cache/app"));
  for (const auto& s : a.facts.root_state) EXPECT_EQ(s.evidence.line, 2) << s.path;
  auto low = a.facts.privileged_ports();
  ASSERT_EQ(low.size(), 1u);
  EXPECT_EQ(low[0]->port, 80u);
  EXPECT_EQ(low[0]->evidence.line, 7);
  EXPECT_EQ(a.facts.apt.release, "bookworm");
  EXPECT_EQ(a.facts.apt.retries_default, 3);
}

TEST(ModelFacts, NginxBaseImageWorkersDropButTheMasterNeedsRoot) {
  auto a = analyse_text("FROM nginx:1.27\nCOPY html /usr/share/nginx/html\n");
  ASSERT_EQ(a.facts.privilege_drops.size(), 1u);
  EXPECT_EQ(a.facts.privilege_drops[0].user, "nginx");
  EXPECT_TRUE(has_state(a.facts, "/var/cache/nginx"));
  ASSERT_EQ(a.facts.privileged_ports().size(), 1u);
  EXPECT_EQ(a.facts.privileged_ports()[0]->source, PortFact::Source::BaseImage);
  // Its own CMD with nginx still runs nginx; a chown of the cache removes that state path.
  auto b = analyse_text("FROM nginx:1.27\nRUN chown -R 101 /var/cache/nginx\nCMD [\"nginx\", \"-g\", \"daemon off;\"]\n");
  EXPECT_EQ(b.facts.privilege_drops.size(), 1u);
  EXPECT_FALSE(has_state(b.facts, "/var/cache/nginx"));
}

TEST(ModelFacts, PackageStateCountsWhenItsServiceMayRun) {
  const std::string base = "FROM debian:bookworm\nRUN apt-get update && apt-get install -y cron nginx\n";
  auto other = analyse_text(base + "CMD [\"gunicorn\", \"app:app\"]\n");
  EXPECT_FALSE(has_state(other.facts, "/var/spool/cron"));
  EXPECT_FALSE(has_state(other.facts, "/var/log/nginx"));
  auto supervised = analyse_text(base + "CMD [\"supervisord\", \"-n\"]\n");
  EXPECT_TRUE(has_state(supervised.facts, "/var/spool/cron"));
  EXPECT_TRUE(has_state(supervised.facts, "/var/log/nginx"));
  auto first = analyse_text(base + "CMD cron && nginx -g 'daemon off;'\n");
  EXPECT_TRUE(has_state(first.facts, "/var/spool/cron"));
  EXPECT_TRUE(has_state(first.facts, "/var/log/nginx"));
  // Removed again: no state.
  EXPECT_FALSE(has_state(analyse_text(base + "RUN apt-get purge -y nginx\nCMD [\"nginx\"]\n").facts, "/var/log/nginx"));
}

TEST(ModelFacts, VnstatStateIsAVolumeDeclaredBeforeAnyFix) {
  auto a = analyse("vnstat");
  EXPECT_TRUE(has_state(a.facts, "/var/lib/vnstat"));
  ASSERT_EQ(a.facts.volumes.size(), 1u);
  EXPECT_EQ(a.facts.volumes[0].path, "/var/lib/vnstat");
  EXPECT_EQ(a.facts.volumes[0].evidence.line, 3);
  size_t volume = *a.facts.volumes[0].instruction;
  EXPECT_NE(a.facts.volume_before("/var/lib/vnstat/vnstat.db", volume + 1), nullptr);
  EXPECT_EQ(a.facts.volume_before("/var/lib/vnstat", volume), nullptr);
  EXPECT_EQ(a.facts.volume_before("/var/lib/other", volume + 5), nullptr);
  EXPECT_EQ(a.facts.family.family, "alpine");
  EXPECT_FALSE(a.facts.apt.retries_default);  // not a Debian image
}

TEST(ModelFacts, PptpdNeedsCapabilitiesInItsEntrypointScript) {
  auto a = analyse("pptpd");
  ASSERT_GE(a.facts.capabilities.size(), 2u);
  bool iptables = false, pptpd = false;
  for (const auto& c : a.facts.capabilities) {
    if (c.program == "iptables") {
      iptables = true;
      EXPECT_EQ(c.capability, "CAP_NET_ADMIN");
      EXPECT_EQ(c.evidence.script, "entrypoint.sh");
      EXPECT_EQ(c.evidence.script_line, 4);
      EXPECT_EQ(c.evidence.line, 5);  // the ENTRYPOINT
    }
    pptpd = pptpd || c.program == "pptpd";
  }
  EXPECT_TRUE(iptables);
  EXPECT_TRUE(pptpd);
  EXPECT_EQ(a.facts.command.process, "pptpd");  // through exec "$@"
  EXPECT_EQ(a.facts.apt.release, "bullseye");
  EXPECT_EQ(a.facts.apt.retries_default, 0);
  // Without the build context the script is not read: no iptables, and the reason says so.
  auto b = analyse("pptpd", false);
  for (const auto& c : b.facts.capabilities) EXPECT_NE(c.program, "iptables");
  EXPECT_NE(b.facts.command.kind_reason.find("not read"), std::string::npos) << b.facts.command.kind_reason;
}

TEST(ModelFacts, ACommandThatExitsBeforeTheService) {
  auto a = analyse_text(
      "FROM debian:bullseye\nRUN apt-get update && apt-get install -y pptpd iptables\n"
      "CMD iptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE && pptpd --fg\n");
  EXPECT_EQ(a.facts.command.process, "pptpd");
  EXPECT_EQ(a.facts.command.exits_first, std::vector<std::string>{"iptables"});
  ASSERT_FALSE(a.facts.capabilities.empty());
  EXPECT_EQ(a.facts.capabilities[0].program, "iptables");
}

TEST(ModelFacts, GosuEntrypointScriptFromTheBuildContext) {
  auto a = analyse("gosu-entrypoint");
  ASSERT_EQ(tools(a.facts.privilege_drops), std::vector<std::string>{"gosu"});
  const auto& d = a.facts.privilege_drops[0];
  EXPECT_EQ(d.user, "app");
  EXPECT_EQ(d.evidence.script, "docker-entrypoint.sh");
  EXPECT_EQ(d.evidence.script_line, 6);
  EXPECT_EQ(d.evidence.line, 5);
  EXPECT_NE(d.evidence.reason.find("ENTRYPOINT at line 5"), std::string::npos) << d.evidence.reason;
  EXPECT_EQ(a.facts.command.process, "app-server");
  ASSERT_TRUE(a.facts.probe_port);
  EXPECT_EQ(a.facts.probe_port->port, 8080u);
  EXPECT_EQ(a.facts.probe_port->source, PortFact::Source::Argument);
  ASSERT_NE(a.facts.user("app"), nullptr);
  EXPECT_EQ(a.facts.user("app")->origin, "created");
  EXPECT_EQ(a.facts.user("app")->evidence.line, 3);
  // Not readable without the context: no drop is claimed.
  EXPECT_TRUE(analyse("gosu-entrypoint", false).facts.privilege_drops.empty());
}

TEST(ModelFacts, PrivilegeSwitchesInTheCommandItself) {
  struct Case {
    const char* cmd;
    const char* tool;
    const char* user;
  };
  for (const Case& c : {Case{R"(CMD ["su-exec", "app", "server"])", "su-exec", "app"},
                        Case{R"(CMD ["setpriv", "--reuid=app", "--regid=app", "--init-groups", "server"])", "setpriv", "app"},
                        Case{R"(CMD runuser -u app -- server)", "runuser", "app"},
                        Case{R"(CMD su app -c server)", "su", "app"},
                        Case{R"(CMD ["chroot", "--userspec=app:app", "/", "server"])", "chroot", "app"},
                        Case{R"(CMD ["supervisord", "-n"])", "supervisord", ""},
                        Case{R"(ENTRYPOINT ["/init"])", "s6-overlay's /init", ""}}) {
    auto a = analyse_text(std::string("FROM debian:bookworm\n") + c.cmd + "\n");
    ASSERT_FALSE(a.facts.privilege_drops.empty()) << c.cmd;
    EXPECT_EQ(a.facts.privilege_drops[0].tool, c.tool) << c.cmd;
    EXPECT_EQ(a.facts.privilege_drops[0].user, c.user) << c.cmd;
    EXPECT_EQ(a.facts.privilege_drops[0].evidence.line, 2) << c.cmd;
  }
  EXPECT_TRUE(analyse_text("FROM debian:bookworm\nCMD [\"server\"]\n").facts.privilege_drops.empty());
}

TEST(ModelFacts, CapabilitiesOfCommonNetworkTools) {
  auto a = analyse_text("FROM debian:bookworm\nCMD tcpdump -i any && ip route add 10.0.0.0/8 via 10.1.1.1 && ping -c1 db && ip addr show\n");
  std::vector<std::string> programs;
  for (const auto& c : a.facts.capabilities) programs.push_back(c.program + " " + c.capability);
  EXPECT_EQ(programs, (std::vector<std::string>{"tcpdump CAP_NET_RAW", "ip CAP_NET_ADMIN"}));
}

TEST(ModelFacts, LinuxserverBaseRunsS6AsRootWithUserAbc) {
  auto a = analyse("linuxserver");
  EXPECT_EQ(a.facts.command.entrypoint, std::vector<std::string>{"/init"});
  EXPECT_EQ(a.facts.command.kind, Kind::Service);
  auto t = tools(a.facts.privilege_drops);
  EXPECT_NE(std::find(t.begin(), t.end(), "s6-overlay's /init"), t.end());
  EXPECT_NE(std::find(t.begin(), t.end(), "knowledge"), t.end());
  ASSERT_NE(a.facts.user("abc"), nullptr);
  EXPECT_EQ(a.facts.user("abc")->uid, 911u);
  EXPECT_TRUE(has_state(a.facts, "/var/log/nginx"));
  EXPECT_EQ(a.facts.privileged_ports().size(), 2u);
}

TEST(ModelFacts, PhusionBaseRunsMyInit) {
  auto a = analyse("phusion");
  EXPECT_EQ(a.facts.command.kind, Kind::Service);
  EXPECT_EQ(a.facts.command.process, "my_init");
  auto t = tools(a.facts.privilege_drops);
  EXPECT_NE(std::find(t.begin(), t.end(), "my_init (runit)"), t.end());
  EXPECT_NE(std::find(t.begin(), t.end(), "knowledge"), t.end());
  EXPECT_EQ(a.facts.apt.release, "bionic");
  EXPECT_EQ(a.facts.apt.retries_default, 0);
}

TEST(ModelFacts, BuilderAndBaseImagesHaveNoCommandOfTheirOwn) {
  auto a = analyse("builder-only");
  EXPECT_FALSE(a.facts.command.own);
  EXPECT_EQ(a.facts.command.kind, Kind::Interactive);  // golang inherits debian's bash
  EXPECT_TRUE(a.facts.command.base_or_builder());
  auto s = analyse_text("FROM scratch\nCOPY app /app\n");
  EXPECT_EQ(s.facts.command.origin, EffectiveCommand::Origin::None);
  EXPECT_EQ(s.facts.command.kind, Kind::NoCommand);
  EXPECT_TRUE(s.facts.command.base_or_builder());
  auto u = analyse_text("FROM example.com/unknown:1\nRUN make\n");
  EXPECT_EQ(u.facts.command.origin, EffectiveCommand::Origin::Unknown);
  EXPECT_TRUE(u.facts.command.base_or_builder());
  // A final stage FROM an earlier stage that sets CMD has a command of the file's own.
  auto p = analyse_text("FROM debian:bookworm AS base\nCMD [\"server\"]\nFROM base\nRUN true\n");
  EXPECT_TRUE(p.facts.command.own);
  EXPECT_EQ(p.facts.command.origin, EffectiveCommand::Origin::ParentStage);
  EXPECT_FALSE(p.facts.command.base_or_builder());
  EXPECT_FALSE(analyse("nginx-logs").facts.command.base_or_builder());
  // Inheriting a service is not a base image; inheriting an unknown command is.
  EXPECT_FALSE(analyse_text("FROM nginx:1.27\nCOPY html /usr/share/nginx/html\n").facts.command.base_or_builder());
  EXPECT_TRUE(analyse_text("FROM eclipse-temurin:21\nCOPY app.jar /app.jar\n").facts.command.base_or_builder());
}

TEST(ModelFacts, GeneratedFilesAreMarked) {
  auto a = analyse("generated");
  ASSERT_TRUE(a.facts.generated);
  EXPECT_EQ(a.facts.generated->line, 2);
  for (const char* header : {"# Code generated by gen.go. DO NOT EDIT.\n", "# @generated by tools/dockerfiles\n",
                             "# AUTO-GENERATED FILE, edit Dockerfile.template\n"})
    EXPECT_TRUE(analyse_text(std::string(header) + "FROM alpine\n").facts.generated) << header;
  EXPECT_FALSE(analyse_text("# Builds the app\nFROM alpine\n").facts.generated);
  EXPECT_FALSE(analyse("nginx-logs").facts.generated);
  // Only a marker in the first 15 lines counts, after instructions or not.
  std::string lines;
  for (int i = 1; i < 15; ++i) lines += i == 1 ? "FROM alpine\n" : "RUN true\n";
  auto at15 = analyse_text(lines + "# DO NOT EDIT\n").facts.generated;
  ASSERT_TRUE(at15);
  EXPECT_EQ(at15->line, 15);
  EXPECT_FALSE(analyse_text(lines + "RUN true\n# DO NOT EDIT\n").facts.generated);
  EXPECT_FALSE(analyse_text(lines + "RUN true \\\n  # DO NOT EDIT\n  && true\n").facts.generated);
}

TEST(ModelFacts, KnowledgeLookupsReachTheModel) {
  struct Case {
    const char* from;
    const char* family;
  };
  for (const Case& c : {Case{"openjdk:8-alpine", "alpine"}, Case{"openjdk:8-jre", "debian"}, Case{"tomcat:8.0", "debian"},
                        Case{"arm32v7/node:20", "debian"}, Case{"public.ecr.aws/docker/library/python:3.12", "debian"},
                        Case{"mirror.gcr.io/library/node:20", "debian"}}) {
    auto a = analyse_text(std::string("FROM ") + c.from + "\nRUN true\n");
    EXPECT_EQ(a.facts.family.family, c.family) << c.from;
    EXPECT_FALSE(a.facts.family.inferred) << c.from;
  }
  auto t = analyse_text("FROM tomcat:8.0\nCOPY app.war /usr/local/tomcat/webapps/\n");
  EXPECT_EQ(t.facts.user("ubuntu"), nullptr);
  EXPECT_EQ(t.facts.command.process, "catalina.sh");
  EXPECT_EQ(t.facts.command.kind, Kind::Service);
  EXPECT_EQ(t.facts.apt.retries_default, 0);
  auto n = analyse_text("FROM arm32v7/node:20\nCMD [\"node\", \"index.js\"]\n");
  EXPECT_NE(n.facts.user("node"), nullptr);
  EXPECT_EQ(n.model.stages[0].base.familiar(), "arm32v7/node:20");
}

TEST(ModelFacts, ScratchWithARootFilesystemMayHaveAShell) {
  auto a = analyse("scratch-rootfs");
  EXPECT_EQ(a.facts.shell.state, ShellFact::State::Unknown);
  EXPECT_EQ(a.facts.shell.evidence.line, 2);
  EXPECT_EQ(analyse_text("FROM scratch\nCOPY app /app\nCMD [\"/app\"]\n").facts.shell.state, ShellFact::State::No);
  // A shell-form RUN after it proves the shell.
  auto r = analyse_text("FROM scratch\nADD rootfs.tar.xz /\nRUN apk add --no-cache curl\n");
  EXPECT_EQ(r.facts.shell.state, ShellFact::State::Yes);
  EXPECT_TRUE(r.facts.shell.inferred);
  EXPECT_EQ(r.facts.shell.evidence.line, 3);
}

TEST(ModelFacts, UnknownBaseFamilyIsInferredFromItsPackageManager) {
  auto a = analyse("unknown-apt");
  EXPECT_EQ(a.facts.family.family, "debian");
  EXPECT_TRUE(a.facts.family.inferred);
  EXPECT_EQ(a.facts.family.package_manager, "apt-get");
  EXPECT_EQ(a.facts.family.evidence.line, 2);
  EXPECT_NE(a.facts.family.evidence.reason.find("inferred"), std::string::npos);
  EXPECT_EQ(a.facts.shell.state, ShellFact::State::Yes);
  EXPECT_TRUE(a.facts.shell.inferred);
  EXPECT_EQ(analyse_text("FROM example.com/x\nRUN apk add --no-cache git\n").facts.family.family, "alpine");
  EXPECT_EQ(analyse_text("FROM example.com/x\nRUN microdnf install -y git\n").facts.family.family, "rhel");
  EXPECT_EQ(analyse_text("FROM example.com/x\nRUN pacman -Syu --noconfirm git\n").facts.family.family, "arch");
  auto both = analyse_text("FROM example.com/x\nRUN apk add git || apt-get install -y git\n");
  EXPECT_EQ(both.facts.family.family, "");
  EXPECT_NE(both.facts.family.evidence.reason.find("several families"), std::string::npos);
  // No RUN: nothing proves a shell.
  EXPECT_EQ(analyse_text("FROM example.com/x\nCOPY a /a\n").facts.shell.state, ShellFact::State::Unknown);
}

TEST(ModelFacts, UbiMinimalGetsUseraddFromShadowUtils) {
  auto a = analyse("ubi-shadow");
  ASSERT_EQ(a.facts.user_tools.size(), 1u);
  EXPECT_EQ(a.facts.user_tools[0].tool, "useradd");
  EXPECT_EQ(a.facts.user_tools[0].package, "shadow-utils");
  EXPECT_EQ(a.facts.user_tools[0].evidence.line, 2);
  EXPECT_EQ(a.facts.command.process, "java");
  EXPECT_EQ(a.facts.command.interpreted, "/opt/app/app.jar");
  EXPECT_TRUE(analyse_text("FROM registry.access.redhat.com/ubi9/ubi-minimal\nRUN microdnf install -y git\n").facts.user_tools.empty());
}

TEST(ModelFacts, ToolsRemovedLaterInTheStage) {
  auto a = analyse("tools-removed");
  ASSERT_NE(a.facts.removal("curl"), nullptr);
  EXPECT_NE(a.facts.removal("curl")->evidence.reason.find(".fetch"), std::string::npos);
  EXPECT_EQ(a.facts.removal("curl")->evidence.line, 2);
  ASSERT_NE(a.facts.removal("wget"), nullptr);
  EXPECT_EQ(a.facts.removal("wget")->evidence.line, 5);
  EXPECT_EQ(a.facts.removal("pgrep"), nullptr);  // procps stays
  EXPECT_EQ(a.facts.probe_port->port, 9000u);
  EXPECT_EQ(a.facts.probe_port->source, PortFact::Source::Argument);
  auto d = analyse_text("FROM debian:bookworm\nRUN apt-get install -y curl procps\nRUN apt-get purge -y --auto-remove procps\n");
  EXPECT_NE(d.facts.removal("pgrep"), nullptr);
  EXPECT_EQ(d.facts.removal("curl"), nullptr);
}

TEST(ModelFacts, UsersRenamedRenumberedAndDeleted) {
  auto a = analyse("users-renamed");
  EXPECT_EQ(a.facts.user("node"), nullptr);
  ASSERT_NE(a.facts.user("app"), nullptr);
  EXPECT_EQ(a.facts.user("app")->uid, 2000u);
  EXPECT_EQ(a.facts.user("app")->evidence.line, 2);
  auto u = analyse_text("FROM ubuntu:24.04\nRUN userdel -r ubuntu\n");
  EXPECT_EQ(u.facts.user("ubuntu"), nullptr);
  EXPECT_NE(analyse_text("FROM ubuntu:24.04\nRUN true\n").facts.user("ubuntu"), nullptr);
  // The interpreter and the init wrapper in front of it.
  EXPECT_EQ(a.facts.command.wrapper, "tini");
  EXPECT_EQ(a.facts.command.process, "node");
  EXPECT_EQ(a.facts.command.interpreted, "server.js");
  ASSERT_TRUE(a.facts.probe_port);
  EXPECT_EQ(a.facts.probe_port->port, 3000u);
  EXPECT_EQ(a.facts.probe_port->source, PortFact::Source::Env);
  EXPECT_EQ(a.facts.probe_port->evidence.line, 6);
}

TEST(ModelFacts, ShellFormServerOnAPrivilegedPort) {
  auto a = analyse("node-port");
  EXPECT_EQ(a.facts.command.process, "gunicorn");
  EXPECT_EQ(a.facts.command.kind, Kind::Service);
  auto low = a.facts.privileged_ports();
  ASSERT_EQ(low.size(), 1u);
  EXPECT_EQ(low[0]->port, 80u);
  EXPECT_EQ(low[0]->source, PortFact::Source::Argument);
  EXPECT_EQ(low[0]->evidence.line, 6);
  ASSERT_EQ(a.facts.volumes.size(), 1u);
  EXPECT_EQ(a.facts.volumes[0].evidence.line, 4);
  // The chown at line 5 comes after VOLUME /srv/data: discarded for that path.
  EXPECT_NE(a.facts.volume_before("/srv/data", 4), nullptr);
  EXPECT_EQ(a.facts.volume_before("/srv/other", 4), nullptr);
  EXPECT_EQ(a.facts.apt.release, "bookworm");
}

TEST(ModelFacts, OneShotInteractiveAndIdleCommands) {
  struct Case {
    const char* cmd;
    Kind kind;
  };
  for (const Case& c : {Case{R"(CMD ["python", "setup.py", "test"])", Kind::OneShot},
                        Case{R"(ENTRYPOINT ["docker", "ps"])", Kind::OneShot},
                        Case{R"(CMD ["pytest", "-q"])", Kind::OneShot}, Case{R"(CMD npm test)", Kind::OneShot},
                        Case{R"(ENTRYPOINT ["kubectl"])", Kind::OneShot}, Case{R"(CMD ["bash"])", Kind::Interactive},
                        Case{R"(CMD ["node"])", Kind::Interactive}, Case{R"(CMD ["sleep", "infinity"])", Kind::Idle},
                        Case{R"(CMD tail -f /dev/null)", Kind::Idle}, Case{R"(CMD ["redis-server"])", Kind::Service},
                        Case{R"(CMD ["uvicorn", "app:app", "--port", "8000"])", Kind::Service},
                        Case{R"(CMD ["./my-binary"])", Kind::Unknown}}) {
    auto a = analyse_text(std::string("FROM debian:bookworm\n") + c.cmd + "\n");
    EXPECT_EQ(a.facts.command.kind, c.kind) << c.cmd << ": " << a.facts.command.kind_reason;
    EXPECT_FALSE(a.facts.command.kind_reason.empty()) << c.cmd;
  }
  auto i = analyse_text("FROM debian:bookworm\nCMD [\"dumb-init\", \"--\", \"python3\", \"-m\", \"http.server\", \"80\"]\n");
  EXPECT_EQ(i.facts.command.wrapper, "dumb-init");
  EXPECT_EQ(i.facts.command.process, "python3");
  EXPECT_EQ(i.facts.command.kind, Kind::Service);
  ASSERT_EQ(i.facts.privileged_ports().size(), 1u);
}

TEST(ModelFacts, DownloadToolsRetryDefaults) {
  EXPECT_EQ(download_retry_default("curl")->retries, 0);
  EXPECT_EQ(download_retry_default("pip")->retries, 5);   // `--retries 5` changes nothing
  EXPECT_EQ(download_retry_default("wget")->retries, 19);  // 20 tries: `--tries=3` lowers it
  EXPECT_EQ(download_retry_default("npm")->option, "fetch-retries");
  EXPECT_FALSE(download_retry_default("apt-get"));  // per release: RuntimeFacts::apt
}

TEST(ModelFacts, NoStageNoFacts) {
  auto a = analyse_text("ARG X=1\n");
  EXPECT_EQ(a.facts.command.kind, Kind::Unknown);
  EXPECT_FALSE(a.facts.command.evidence.reason.empty());
}

}  // namespace
}  // namespace dockerfix::model
