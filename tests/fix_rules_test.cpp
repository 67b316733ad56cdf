// Before/after cases per rule: plain, multi-stage, alpine, non-root base,
// CRLF or lower-case keywords, and a case the rule must refuse to fix.
#include <gtest/gtest.h>

#include "dockerfix/fix.h"

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
