// Before/after cases per rule: plain, multi-stage, alpine, non-root base,
// CRLF or lower-case keywords, and a case the rule must refuse to fix.
#include <gtest/gtest.h>

#include "dockerfix/fix.h"
#include "tests/test_support.h"
#include "transforms/rules.h"
#include "transforms/text.h"

namespace dockerfix::fix {
namespace {

std::string apply_rule(const std::string& src, const std::string& rule, Options o = {}) {
  Selection s;
  s.only = {rule};
  return fix(src, "Dockerfile", model::KnowledgeBase::builtin(), o, s).text;
}

std::vector<Finding> findings(const std::string& src, const std::string& rule) {
  Selection s;
  s.only = {rule};
  return check(parse(src), model::KnowledgeBase::builtin(), {}, s);
}

void expect_fix(const std::string& rule, const std::string& before, const std::string& after, Options o = {}) {
  std::string once = apply_rule(before, rule, o);
  EXPECT_EQ(once, after);
  EXPECT_EQ(apply_rule(once, rule, o), once) << "not idempotent";
  for (const auto& f : findings(once, rule)) EXPECT_TRUE(f.fix.empty()) << "fixable finding left: " << f.message;
}

// ---------------------------------------------------------------- root-for-privileged-steps
const char* kRoot = "root-for-privileged-steps";

TEST(RootForPrivilegedSteps, Plain) {
  expect_fix(kRoot, "FROM nginxinc/nginx-unprivileged:1.27\nRUN apt-get update\nCMD [\"nginx\"]\n",
             "FROM nginxinc/nginx-unprivileged:1.27\nUSER root\nRUN apt-get update\nUSER nginx\nCMD [\"nginx\"]\n");
}

TEST(RootForPrivilegedSteps, RestoresTheUserAsWrittenAfterTheBlock) {
  expect_fix(kRoot,
             "FROM node:22\nUSER node\nRUN npm ci\nRUN apt-get install -y jq\nRUN echo x > /etc/motd\nCMD [\"node\"]\n",
             "FROM node:22\nUSER node\nRUN npm ci\nUSER root\nRUN apt-get install -y jq\nRUN echo x > /etc/motd\nUSER node\nCMD [\"node\"]\n");
}

TEST(RootForPrivilegedSteps, MultiStageOnlyTheNonRootStage) {
  expect_fix(kRoot,
             "FROM golang:1.22 AS build\nRUN apt-get update\nFROM bitnami/redis:7.2\nRUN apt-get install -y curl\n",
             "FROM golang:1.22 AS build\nRUN apt-get update\nFROM bitnami/redis:7.2\nUSER root\nRUN apt-get install -y curl\nUSER 1001\n");
}

TEST(RootForPrivilegedSteps, AlpineAndIndentation) {
  expect_fix(kRoot, "FROM alpine:3.20\nUSER nobody\n  RUN apk add --no-cache curl\n",
             "FROM alpine:3.20\nUSER nobody\n  USER root\n  RUN apk add --no-cache curl\n  USER nobody\n");
}

TEST(RootForPrivilegedSteps, CrlfAndLowercase) {
  expect_fix(kRoot, "from nginxinc/nginx-unprivileged:1.27\r\nrun apt-get update\r\n",
             "from nginxinc/nginx-unprivileged:1.27\r\nuser root\r\nrun apt-get update\r\nuser nginx\r\n");
}

TEST(RootForPrivilegedSteps, RootBaseAndUnknownBaseAreLeftAlone) {
  std::string root = "FROM debian:12\nRUN apt-get update\n";
  EXPECT_EQ(apply_rule(root, kRoot), root);
  std::string unknown = "FROM example.com/team/base:1\nRUN apt-get update\n";
  EXPECT_EQ(apply_rule(unknown, kRoot), unknown);
  std::string sudo = "FROM node:22\nUSER node\nRUN sudo apt-get update\n";
  EXPECT_EQ(apply_rule(sudo, kRoot), sudo);
}

TEST(RootForPrivilegedSteps, NoFinalNewline) {
  expect_fix(kRoot, "FROM nginxinc/nginx-unprivileged:1.27\nRUN apt-get update",
             "FROM nginxinc/nginx-unprivileged:1.27\nUSER root\nRUN apt-get update\nUSER nginx");
}

// ---------------------------------------------------------------- nonroot-final-user
const char* kNonroot = "nonroot-final-user";

TEST(NonrootFinalUser, CreatesAgentOnDebian) {
  expect_fix(kNonroot, "FROM debian:bookworm-slim\nRUN apt-get update\nCOPY app /usr/local/bin/app\nENTRYPOINT [\"app\"]\n",
             "FROM debian:bookworm-slim\nRUN apt-get update\nCOPY app /usr/local/bin/app\n"
             "RUN groupadd -g 1000 agent && useradd -m -u 1000 -g agent -s /bin/bash agent\nUSER agent\nENTRYPOINT [\"app\"]\n");
}

TEST(NonrootFinalUser, ReusesTheNodeUser) {
  expect_fix(kNonroot, "FROM rust:1 AS build\nRUN cargo build\nFROM node:22-bookworm-slim\nCOPY --from=build /x /usr/local/bin/x\nCMD [\"x\"]\n",
             "FROM rust:1 AS build\nRUN cargo build\nFROM node:22-bookworm-slim\nCOPY --from=build /x /usr/local/bin/x\nUSER node\nCMD [\"x\"]\n");
}

TEST(NonrootFinalUser, ReusesUbuntuOn2404ButCreatesOn2204) {
  expect_fix(kNonroot, "FROM ubuntu:24.04\nCMD [\"bash\"]\n", "FROM ubuntu:24.04\nUSER ubuntu\nCMD [\"bash\"]\n");
  expect_fix(kNonroot, "FROM ubuntu:22.04\nCMD [\"bash\"]\n",
             "FROM ubuntu:22.04\nRUN groupadd -g 1000 agent && useradd -m -u 1000 -g agent -s /bin/bash agent\nUSER agent\nCMD [\"bash\"]\n");
}

TEST(NonrootFinalUser, AlpineUsesBusyboxAdduser) {
  expect_fix(kNonroot, "FROM alpine:3.20\nRUN apk add --no-cache curl\n",
             "FROM alpine:3.20\nRUN apk add --no-cache curl\n"
             "RUN addgroup -g 1000 agent && adduser -D -u 1000 -G agent -h /home/agent -s /bin/sh agent\nUSER agent\n");
}

TEST(NonrootFinalUser, NoShellGetsNumericUser) {
  expect_fix(kNonroot, "FROM gcr.io/distroless/static-debian12\nCOPY app /app\nENTRYPOINT [\"/app\"]\n",
             "FROM gcr.io/distroless/static-debian12\nCOPY app /app\nUSER 65532:65532\nENTRYPOINT [\"/app\"]\n");
}

TEST(NonrootFinalUser, NumericUserOptionAndLowercase) {
  Options o;
  o.numeric_user = true;
  expect_fix(kNonroot, "from node:22\ncmd [\"node\"]\n", "from node:22\nuser 1000:1000\ncmd [\"node\"]\n", o);
}

TEST(NonrootFinalUser, RefusesExplicitRootUnknownBaseAndNonRootImages) {
  for (std::string src : {"FROM node:22\nUSER root\nCMD [\"x\"]\n", "FROM example.com/base:1\nCMD [\"x\"]\n",
                          "FROM nginxinc/nginx-unprivileged:1.27\nCMD [\"nginx\"]\n", "FROM node:22\nUSER node\n"}) {
    EXPECT_EQ(apply_rule(src, kNonroot), src) << src;
  }
  auto f = findings("FROM node:22\nUSER root\nCMD [\"x\"]\n", kNonroot);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_FALSE(f[0].no_fix_reason.empty());
}

// ---------------------------------------------------------------- explicit-uid
const char* kUid = "explicit-uid";

TEST(ExplicitUid, Useradd) {
  expect_fix(kUid, "FROM debian:12\nRUN useradd -m -s /bin/bash agent\n",
             "FROM debian:12\nRUN useradd -u 1000 -m -s /bin/bash agent\n");
}

TEST(ExplicitUid, GroupThenUserInOneRun) {
  expect_fix(kUid, "FROM debian:12\nRUN groupadd app && \\\n    useradd -g app -m app\n",
             "FROM debian:12\nRUN groupadd -g 1000 app && \\\n    useradd -u 1000 -g app -m app\n");
}

TEST(ExplicitUid, AlpineBusyboxAndDebianAdduser) {
  expect_fix(kUid, "FROM alpine:3.20\nRUN addgroup app && adduser -D -G app app\n",
             "FROM alpine:3.20\nRUN addgroup -g 1000 app && adduser -u 1000 -D -G app app\n");
  expect_fix(kUid, "FROM debian:12\nRUN adduser --disabled-password --gecos '' app\n",
             "FROM debian:12\nRUN adduser --uid 1000 --disabled-password --gecos '' app\n");
}

TEST(ExplicitUid, ConfiguredIds) {
  Options o;
  o.uid = 10001;
  expect_fix(kUid, "from debian:12\r\nrun useradd app\r\n", "from debian:12\r\nrun useradd -u 10001 app\r\n", o);
}

TEST(ExplicitUid, MultiStageEachStageItsOwnId) {
  expect_fix(kUid, "FROM debian:12 AS a\nRUN useradd x\nFROM debian:12\nRUN useradd y\n",
             "FROM debian:12 AS a\nRUN useradd -u 1000 x\nFROM debian:12\nRUN useradd -u 1000 y\n");
}

TEST(ExplicitUid, RefusesWhenTheImageAlreadyUsesTheId) {
  std::string src = "FROM node:22\nRUN useradd -m agent\n";
  EXPECT_EQ(apply_rule(src, kUid), src);
  auto f = findings(src, kUid);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_NE(f[0].no_fix_reason.find("node"), std::string::npos);
  std::string system = "FROM debian:12\nRUN useradd -r svc && useradd -u 2000 app && adduser app sudo\n";
  EXPECT_TRUE(findings(system, kUid).empty());
}

}  // namespace
}  // namespace dockerfix::fix

namespace dockerfix::fix {
namespace {

// ---------------------------------------------------------------- network-retry
const char* kRetry = "network-retry";

TEST(NetworkRetry, CurlAptNpmPip) {
  expect_fix(kRetry,
             "FROM debian:12\nRUN apt-get update && apt-get install -y curl\nRUN curl -fsSL https://x -o /tmp/x\n"
             "RUN npm ci && pip install -r r.txt && python3 -m pip install x\n",
             "FROM debian:12\nRUN apt-get -o Acquire::Retries=3 update && apt-get -o Acquire::Retries=3 install -y curl\n"
             "RUN curl --retry 3 --retry-delay 5 -fsSL https://x -o /tmp/x\n"
             "RUN npm --fetch-retries=3 ci && pip --retries 5 install -r r.txt && python3 -m pip --retries 5 install x\n");
}

TEST(NetworkRetry, GnuWgetOnlyAndConfiguredCounts) {
  Options o;
  o.retries = 5;
  expect_fix(kRetry, "FROM ubuntu:22.04\nRUN wget -q https://x\n", "FROM ubuntu:22.04\nRUN wget --tries=5 -q https://x\n", o);
  std::string busybox = "FROM alpine:3.20\nRUN wget -q https://x\n";  // busybox wget has no retry option
  EXPECT_EQ(apply_rule(busybox, kRetry), busybox);
}

TEST(NetworkRetry, ContinuationsAndCrlfKeepTheirBytes) {
  expect_fix(kRetry, "from node:22\r\nrun curl \\\r\n  -o /tmp/a https://a\r\n",
             "from node:22\r\nrun curl --retry 3 --retry-delay 5 \\\r\n  -o /tmp/a https://a\r\n");
}

TEST(NetworkRetry, ExistingRetriesAndNonNetworkCommandsAreLeftAlone) {
  std::string src = "FROM debian:12\nRUN curl --retry 5 https://x && apt-get -o Acquire::Retries=2 install -y x && apt-get clean && npm run build\n";
  EXPECT_EQ(apply_rule(src, kRetry), src);
}

// ---------------------------------------------------------------- healthcheck
const char* kHealth = "healthcheck";

TEST(Healthcheck, ProcessCheckAddsProcpsToTheInstallLine) {
  expect_fix(kHealth,
             "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y ca-certificates && rm -rf /var/lib/apt/lists/*\n"
             "COPY app /usr/local/bin/app\nENTRYPOINT [\"app\"]\n",
             "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y ca-certificates procps && rm -rf /var/lib/apt/lists/*\n"
             "COPY app /usr/local/bin/app\n"
             "HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 CMD pgrep -x app || exit 1\nENTRYPOINT [\"app\"]\n");
}

TEST(Healthcheck, HttpProbeWithBusyboxWgetOnAlpine) {
  expect_fix(kHealth, "FROM alpine:3.20\nEXPOSE 8080\nCMD [\"/srv/web\"]\n",
             "FROM alpine:3.20\nEXPOSE 8080\n"
             "HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 CMD wget -q --spider http://localhost:8080/ || exit 1\n"
             "CMD [\"/srv/web\"]\n");
}

TEST(Healthcheck, HttpProbeWithInstalledCurl) {
  expect_fix(kHealth, "FROM node:22\nRUN apt-get update && apt-get install -y curl\nEXPOSE 3000\nCMD [\"node\", \"server.js\"]\n",
             "FROM node:22\nRUN apt-get update && apt-get install -y curl\nEXPOSE 3000\n"
             "HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 CMD curl -fsS http://localhost:3000/ || exit 1\n"
             "CMD [\"node\", \"server.js\"]\n");
}

TEST(Healthcheck, RefusesWhenTheToolCannotBeInstalled) {
  std::string src = "FROM debian:12\nCOPY app /app\nCMD [\"/app\"]\n";  // no install line to add procps to
  EXPECT_EQ(apply_rule(src, kHealth), src);
  auto f = findings(src, kHealth);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_NE(f[0].no_fix_reason.find("procps"), std::string::npos);
  std::string has = "FROM alpine:3.20\nHEALTHCHECK CMD true\nCMD [\"x\"]\n";
  EXPECT_TRUE(findings(has, kHealth).empty());
  std::string shell_less = "FROM gcr.io/distroless/static-debian12\nCMD [\"/app\"]\n";
  EXPECT_EQ(apply_rule(shell_less, kHealth), shell_less);
}

// ---------------------------------------------------------------- copy-chown
const char* kChown = "copy-chown";

TEST(CopyChown, IntoTheHomeOfAnExistingUser) {
  expect_fix(kChown, "FROM node:22\nWORKDIR /home/node/app\nCOPY . .\nCOPY --link dist/ /usr/local/lib/app/\nUSER node\n",
             "FROM node:22\nWORKDIR /home/node/app\nCOPY --chown=node:node . .\nCOPY --link dist/ /usr/local/lib/app/\nUSER node\n");
}

TEST(CopyChown, NumericIdsBeforeTheUserExists) {
  expect_fix(kChown,
             "FROM debian:12\nWORKDIR /srv/app\nCOPY --from=build /out ./\nRUN useradd -m -u 1001 app\nUSER app\n",
             "FROM debian:12\nWORKDIR /srv/app\nCOPY --from=build --chown=1001:1001 /out ./\nRUN useradd -m -u 1001 app\nUSER app\n");
}

TEST(CopyChown, LeavesRootImagesAndReadOnlyPathsAlone) {
  std::string root = "FROM debian:12\nWORKDIR /app\nCOPY . .\n";
  EXPECT_EQ(apply_rule(root, kChown), root);
  std::string bin = "FROM node:22\nCOPY app /usr/local/bin/app\nUSER node\n";
  EXPECT_EQ(apply_rule(bin, kChown), bin);
  std::string owned = "FROM node:22\nCOPY --chown=node . /home/node/\nUSER node\n";
  EXPECT_EQ(apply_rule(owned, kChown), owned);
}

// ---------------------------------------------------------------- seeds end to end
TEST(Seeds, Seed002OpenabNodeDockerfile) {
  std::string before = test::read_file(test::corpus_dir() / "openabdev__openab" / "before-pr73__Dockerfile.claude");
  std::string after = fix(before, "Dockerfile.claude", model::KnowledgeBase::builtin(), {}, {}).text;
  EXPECT_NE(after.find("\nUSER node\n"), std::string::npos);
  EXPECT_NE(after.find("HEALTHCHECK"), std::string::npos);
  EXPECT_NE(after.find("procps"), std::string::npos);  // pgrep's package, or the check fails forever
  EXPECT_NE(after.find("npm --fetch-retries=3 install"), std::string::npos);
  EXPECT_EQ(after.find("useradd"), std::string::npos);  // node (uid 1000) is reused, not duplicated
  EXPECT_LT(after.find("USER node"), after.find("ENTRYPOINT"));
}

TEST(Seeds, Seed002OpenabDebianDockerfile) {
  std::string before = test::read_file(test::corpus_dir() / "openabdev__openab" / "before-pr73__Dockerfile");
  std::string after = fix(before, "Dockerfile", model::KnowledgeBase::builtin(), {}, {}).text;
  EXPECT_NE(after.find("useradd -m -u 1000"), std::string::npos);
  EXPECT_NE(after.find("\nUSER agent\n"), std::string::npos);
  EXPECT_NE(after.find("curl --retry 3 --retry-delay 5"), std::string::npos);
  EXPECT_NE(after.find("HEALTHCHECK"), std::string::npos);
}

TEST(Seeds, Seed000PixelArchScripts) {
  auto dir = std::filesystem::path(DOCKERFIX_SOURCE_DIR) / "corpus" / "seed000-pixelarch";
  Options o;
  o.model.context = dir;
  Selection s;
  s.only = {"root-for-privileged-steps"};
  std::string before = test::read_file(dir / "Dockerfile");
  std::string after = fix(before, "Dockerfile", model::KnowledgeBase::builtin(), o, s).text;
  auto root = after.find("USER root\nRUN /bin/bash /tmp/desktop_install.sh");
  ASSERT_NE(root, std::string::npos) << after;
  EXPECT_NE(after.find("rm -f /tmp/desktop_install.sh /tmp/desktop_setup.sh\nUSER midori-ai\n"), std::string::npos) << after;
}

}  // namespace
}  // namespace dockerfix::fix

namespace dockerfix::fix {
namespace {

// ---------------------------------------------------------------- workdir-owner
const char* kWorkdir = "workdir-owner";

TEST(WorkdirOwner, CreatesTheWorkdirOwnedByTheUser) {
  expect_fix(kWorkdir, "FROM node:22\nWORKDIR /app\nCOPY . .\nUSER node\nCMD [\"node\", \"a.js\"]\n",
             "FROM node:22\nRUN mkdir -p /app && chown 1000:1000 /app\nWORKDIR /app\nCOPY . .\nUSER node\nCMD [\"node\", \"a.js\"]\n");
}

TEST(WorkdirOwner, RecursiveWhenEarlierStepsPutThingsThere) {
  expect_fix(kWorkdir,
             "FROM debian:12\nRUN mkdir -p /home/agent/.kiro\nWORKDIR /home/agent\nRUN useradd -m -u 1000 agent\nUSER agent\n",
             "FROM debian:12\nRUN mkdir -p /home/agent/.kiro\nRUN mkdir -p /home/agent && chown -R 1000:1000 /home/agent\n"
             "WORKDIR /home/agent\nRUN useradd -m -u 1000 agent\nUSER agent\n");
}

TEST(WorkdirOwner, AlreadyChownedOrTheUsersOwnHomeOrRoot) {
  for (std::string src : {"FROM node:22\nRUN mkdir -p /home/agent && chown node:node /home/agent\nWORKDIR /home/agent\nUSER node\n",
                          "FROM node:22\nWORKDIR /home/node\nUSER node\n", "FROM node:22\nUSER node\nWORKDIR /app\n",
                          "FROM debian:12\nWORKDIR /app\n"}) {
    EXPECT_EQ(apply_rule(src, kWorkdir), src) << src;
    EXPECT_TRUE(findings(src, kWorkdir).empty()) << src;
  }
}

TEST(WorkdirOwner, LowercaseCrlf) {
  expect_fix(kWorkdir, "from node:22\r\nworkdir /srv\r\nuser node\r\n",
             "from node:22\r\nrun mkdir -p /srv && chown 1000:1000 /srv\r\nworkdir /srv\r\nuser node\r\n");
}

// ---------------------------------------------------------------- docker-socket-group
const char* kSocket = "docker-socket-group";

// The RUN the rule writes: the gid is a build argument, so which group to
// join is decided at build time (a gid the image already has is joined, not
// given to the docker group; 0 stops the build).
std::string socket_run(const std::string& user, const std::string& make_group, bool busybox = false) {
  std::string guard =
      "RUN if [ \"${DOCKER_GID}\" = 0 ]; then echo 'DOCKER_GID=0 is the root group, not a docker group: "
      "see dockerfix doctor socket' >&2; exit 1; fi \\\n";
  if (busybox)
    return guard + "    && group=$(awk -F: -v gid=\"${DOCKER_GID}\" '$3 == gid { print $1; exit }' /etc/group) \\\n" +
           "    && if [ -z \"$group\" ]; then addgroup -g \"${DOCKER_GID}\" docker && group=docker; fi \\\n" +
           "    && addgroup " + user + " \"$group\"\n";
  return guard + "    && group=$(getent group \"${DOCKER_GID}\" | cut -d: -f1) \\\n" + "    && if [ -z \"$group\" ]; then " +
         make_group + " -g \"${DOCKER_GID}\" docker && group=docker; fi \\\n" + "    && usermod -aG \"$group\" " + user +
         "\n";
}

TEST(DockerSocketGroup, MovesThePackagesGroup) {
  expect_fix(kSocket, "FROM debian:12\nRUN apt-get install -y docker.io && useradd -m -u 1000 app\nUSER app\n",
             "FROM debian:12\nRUN apt-get install -y docker.io && useradd -m -u 1000 app\nARG DOCKER_GID=999\n" +
                 socket_run("app", "groupmod") + "USER app\n");
}

TEST(DockerSocketGroup, CreatesTheGroupForTheSdkOrCliOnly) {
  expect_fix(kSocket, "FROM python:3.12-slim\nRUN pip install docker && useradd -m appuser\nUSER appuser\nCMD [\"python\", \"s.py\"]\n",
             "FROM python:3.12-slim\nRUN pip install docker && useradd -m appuser\nARG DOCKER_GID=999\n" +
                 socket_run("appuser", "groupadd") + "USER appuser\nCMD [\"python\", \"s.py\"]\n");
  expect_fix(kSocket, "FROM alpine:3.20\nRUN apk add docker-cli && adduser -D app\nUSER app\n",
             "FROM alpine:3.20\nRUN apk add docker-cli && adduser -D app\nARG DOCKER_GID=999\n" +
                 socket_run("app", "", true) + "USER app\n");
}

TEST(DockerSocketGroup, LeavesAloneWhenAlreadyInTheGroupOrRootOrNoDocker) {
  for (std::string src : {"FROM debian:12\nRUN apt-get install -y docker.io && useradd -m app && usermod -aG docker app\nUSER app\n",
                          "FROM debian:12\nRUN apt-get install -y docker.io\n", "FROM debian:12\nRUN useradd app\nUSER app\n"}) {
    EXPECT_TRUE(findings(src, kSocket).empty()) << src;
  }
  std::string alpine_pkg = "FROM alpine:3.20\nRUN apk add docker && adduser -D app\nUSER app\n";
  EXPECT_EQ(apply_rule(alpine_pkg, kSocket), alpine_pkg);  // busybox cannot move a group's gid
  EXPECT_EQ(findings(alpine_pkg, kSocket).size(), 1u);
}

}  // namespace
}  // namespace dockerfix::fix

// More cases so every rule has its plain, multi-stage, alpine, non-root
// base, CRLF/lower-case and refusal case.
namespace dockerfix::fix {
namespace {

TEST(NetworkRetry, MultiStageAlpineAndNonRootBase) {
  expect_fix("network-retry", "FROM golang:1.22 AS b\nRUN curl -o x https://x\nFROM alpine:3.20\nRUN apk add curl && curl -O https://y\n",
             "FROM golang:1.22 AS b\nRUN curl --retry 3 --retry-delay 5 -o x https://x\nFROM alpine:3.20\n"
             "RUN apk add curl && curl --retry 3 --retry-delay 5 -O https://y\n");
  expect_fix("network-retry", "FROM nginxinc/nginx-unprivileged:1.27\nRUN curl -fsS https://x\n",
             "FROM nginxinc/nginx-unprivileged:1.27\nRUN curl --retry 3 --retry-delay 5 -fsS https://x\n");
}

TEST(Healthcheck, MultiStageOnlyFinalAndNonRootBaseAndLowercase) {
  expect_fix("healthcheck", "FROM node:22 AS build\nRUN npm ci\nFROM nginx:1.27-alpine\nEXPOSE 80\nCMD [\"nginx\"]\n",
             "FROM node:22 AS build\nRUN npm ci\nFROM nginx:1.27-alpine\nEXPOSE 80\n"
             "HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 CMD wget -q --spider http://localhost:80/ || exit 1\n"
             "CMD [\"nginx\"]\n");
  expect_fix("healthcheck", "from alpine:3.20\r\nentrypoint [\"/bin/server\"]\r\n",
             "from alpine:3.20\r\nhealthcheck --interval=30s --timeout=5s --start-period=10s --retries=3 cmd pgrep -x server || exit 1\r\n"
             "entrypoint [\"/bin/server\"]\r\n");
}

TEST(CopyChown, AlpineMultiStageAndCrlf) {
  expect_fix("copy-chown",
             "FROM golang:1.22 AS b\nRUN go build -o /x\nFROM alpine:3.20\nRUN adduser -D -u 1000 app\nWORKDIR /home/app\n"
             "COPY --from=b /x ./x\nUSER app\n",
             "FROM golang:1.22 AS b\nRUN go build -o /x\nFROM alpine:3.20\nRUN adduser -D -u 1000 app\nWORKDIR /home/app\n"
             "COPY --from=b --chown=app /x ./x\nUSER app\n");
  expect_fix("copy-chown", "from node:22\r\ncopy . /home/node/app/\r\nuser node\r\n",
             "from node:22\r\ncopy --chown=node:node . /home/node/app/\r\nuser node\r\n");
}

TEST(WorkdirOwner, AlpineAndMultiStage) {
  expect_fix("workdir-owner",
             "FROM golang:1.22 AS b\nWORKDIR /src\nFROM alpine:3.20\nRUN adduser -D -u 1000 app\nWORKDIR /data\nUSER app\n",
             "FROM golang:1.22 AS b\nWORKDIR /src\nFROM alpine:3.20\nRUN adduser -D -u 1000 app\n"
             "RUN mkdir -p /data && chown 1000:1000 /data\nWORKDIR /data\nUSER app\n");
}

TEST(DockerSocketGroup, MultiStageCrlfAndNonRootBase) {
  expect_fix("docker-socket-group",
             "FROM golang:1.22 AS b\nRUN go build\r\nFROM debian:12\r\nRUN apt-get install -y docker-ce-cli && useradd -m app\r\nUSER app\r\n",
             "FROM golang:1.22 AS b\nRUN go build\r\nFROM debian:12\r\nRUN apt-get install -y docker-ce-cli && useradd -m app\r\n"
             "ARG DOCKER_GID=999\n" + socket_run("app", "groupadd") + "USER app\r\n");
  // A base that already runs non-root, with no USER to put the group before: reported only.
  std::string src = "FROM nginxinc/nginx-unprivileged:1.27\nVOLUME /var/run/docker.sock\n";
  EXPECT_EQ(apply_rule(src, "docker-socket-group"), src);
}

}  // namespace
}  // namespace dockerfix::fix

// Issue 11: words dockerfix writes into shell are quoted, ids that earlier
// instructions take are not given again, and a fix that does not converge is
// dropped, never written.
namespace dockerfix::fix {
namespace {

TEST(WorkdirOwner, APathWithASpaceIsOneQuotedWordAndTheFixSettles) {
  // Unquoted, this was `chown -R 1000:1000 / srv` (a chown of /), added again on every run.
  expect_fix("workdir-owner", "FROM node:22\nWORKDIR / srv\nUSER node\n",
             "FROM node:22\nRUN mkdir -p '/ srv' && chown 1000:1000 '/ srv'\nWORKDIR / srv\nUSER node\n");
  expect_fix("workdir-owner", "FROM node:22\nWORKDIR \"/srv/it's;here\"\nUSER node\n",
             "FROM node:22\nRUN mkdir -p '/srv/it'\\''s;here' && chown 1000:1000 '/srv/it'\\''s;here'\n"
             "WORKDIR \"/srv/it's;here\"\nUSER node\n");
}

TEST(WorkdirOwner, AWorkdirWithVariablesKeepsThemInDoubleQuotes) {
  expect_fix("workdir-owner", "FROM node:22\nARG APP=/srv/app\nWORKDIR ${APP}/data\nUSER node\n",
             "FROM node:22\nARG APP=/srv/app\nRUN mkdir -p \"${APP}/data\" && chown 1000:1000 \"${APP}/data\"\n"
             "WORKDIR ${APP}/data\nUSER node\n");
  // Other expansions are not rewritten into shell.
  std::string src = "FROM node:22\nARG APP=/srv/app\nWORKDIR ${APP:-/x}\nUSER node\n";
  EXPECT_EQ(apply_rule(src, "workdir-owner"), src);
}

TEST(ExplicitUid, UseraddsGroupTakesTheGidSoGroupaddGetsTheNextOne) {
  // useradd creates a group testuser with gid 1000; `groupadd -g 1000` would fail the build.
  expect_fix(kUid, "FROM debian:12\nRUN useradd testuser\nRUN groupadd testgroup\n",
             "FROM debian:12\nRUN useradd -u 1000 testuser\nRUN groupadd -g 1001 testgroup\n");
  expect_fix(kUid, "FROM debian:12\nRUN useradd -u 1000 a\nRUN groupadd g && useradd b\n",
             "FROM debian:12\nRUN useradd -u 1000 a\nRUN groupadd -g 1001 g && useradd -u 1001 b\n");
  // A user put in an existing group creates none.
  expect_fix(kUid, "FROM debian:12\nRUN groupadd app && useradd -g app app && groupadd other\n",
             "FROM debian:12\nRUN groupadd -g 1000 app && useradd -u 1000 -g app app && groupadd -g 1001 other\n");
  // busybox adduser without -G makes its own group too.
  expect_fix(kUid, "FROM alpine:3.20\nRUN adduser -D app && addgroup data\n",
             "FROM alpine:3.20\nRUN adduser -u 1000 -D app && addgroup -g 1001 data\n");
}

// A rule that inserts a comment on every run: it never reaches a fixed point.
class NeverSettles : public Rule {
 public:
  std::string_view id() const override { return "never-settles"; }
  std::string_view summary() const override { return "test rule"; }
  std::vector<Finding> check(const Context& ctx) const override {
    Finding f = make_finding(ctx.file, id(), "again", ctx.file.instructions.front().keyword_span);
    f.fix.push_back(append_line(ctx.file, "# once more", ctx.style));
    return {f};
  }
};

TEST(Engine, AFixThatDoesNotConvergeIsDroppedAndReported) {
  std::vector<std::unique_ptr<Rule>> rules;
  rules.push_back(std::make_unique<NeverSettles>());
  rules.push_back(make_network_retry());
  std::string src = "FROM debian:12\nRUN curl -o x https://x\n";
  auto r = fix(parse(src), model::KnowledgeBase::builtin(), {}, {}, rules);
  EXPECT_EQ(r.text.find("# once more"), std::string::npos) << r.text;
  EXPECT_NE(r.text.find("curl --retry 3"), std::string::npos) << "the rule that settles is still applied";
  ASSERT_EQ(r.rejected.size(), 1u);
  EXPECT_EQ(r.rejected[0].rfind("never-settles: ", 0), 0u) << r.rejected[0];
  EXPECT_NE(r.rejected[0].find("converge"), std::string::npos) << r.rejected[0];
}

TEST(Edits, ManyEditsOverlapChecksAndOrder) {
  Edits e;
  EXPECT_TRUE(e.add({{10, 20}, "a"}));
  EXPECT_FALSE(e.add({{15, 25}, "b"}));  // overlaps
  EXPECT_FALSE(e.add({{12, 12}, "c"}));  // insertion inside a replacement
  EXPECT_FALSE(e.add({{5, 30}, "d"}));   // swallows it
  EXPECT_TRUE(e.add({{10, 10}, "<"}));   // at either end is fine
  EXPECT_TRUE(e.add({{20, 20}, ">"}));
  EXPECT_TRUE(e.add({{20, 20}, ">>"}));  // two at one offset keep their order
  EXPECT_FALSE(e.add_all({{{0, 0}, "x"}, {{18, 22}, "y"}}));
  EXPECT_TRUE(e.add_all({{{0, 0}, "x"}, {{25, 26}, "y"}}));
  std::string original(30, '.');
  EXPECT_EQ(e.apply(original), "x..........<a>>>.....y....");
}

}  // namespace
}  // namespace dockerfix::fix
