// The checks against the seed's shape (openabdev/openab#73): node's uid
// 1000, agent created with -u 1000, pod runAsNonRoot + runAsUser +
// fsGroup 1000 pass; without runAsUser the named USER cannot be verified;
// 1001 disagrees with the image. Also the image users from dockerfix's
// model, CRLF manifests, and the cases that get no fix (and why).
#include <gtest/gtest.h>

#include "tests/k8s_support.h"

namespace dockerfix {
namespace {

using test::TempRepo;

k8s::ImageUser user_of(const std::string& dockerfile) {
  Dockerfile parsed = parse(dockerfile, "Dockerfile");
  return k8s::image_user_of(parsed, model::analyze(parsed, model::KnowledgeBase::builtin()));
}

TEST(K8sImageUser, FromTheDockerfileModel) {
  auto agent = user_of("FROM debian:bookworm-slim\nRUN useradd -m -s /bin/bash -u 1000 agent\nUSER agent\nCMD [\"x\"]\n");
  EXPECT_EQ(agent.name, "agent");
  EXPECT_EQ(agent.uid, 1000u);
  EXPECT_FALSE(agent.numeric_in_user_instruction);
  EXPECT_EQ(agent.user_line, 3);
  auto node = user_of("FROM node:22-bookworm-slim\nUSER node\n");
  EXPECT_EQ(node.name, "node");
  EXPECT_EQ(node.uid, 1000u);
  EXPECT_EQ(node.gid, 1000u);
  auto numeric = user_of("FROM node:22\nUSER 1000:1000\n");
  EXPECT_TRUE(numeric.numeric_in_user_instruction);
  EXPECT_EQ(numeric.uid, 1000u);
  EXPECT_EQ(numeric.gid, 1000u);
  auto unpinned = user_of("FROM debian:bookworm-slim\nRUN useradd -m agent\nUSER agent\n");
  EXPECT_EQ(unpinned.name, "agent");
  EXPECT_FALSE(unpinned.uid.has_value());
  auto root = user_of("FROM debian:bookworm-slim\nCMD [\"x\"]\n");
  EXPECT_TRUE(root.is_root());
  EXPECT_EQ(root.user_line, 0);
}

// The seed's repository with one change.
test::K8sRun seed_with(const std::string& file, const std::string& from, const std::string& to) {
  TempRepo repo;
  repo.copy_from(test::k8s_fixtures() / "seed002" / "repo");
  repo.replace(file, from, to);
  return test::k8s_run(repo.root());
}

TEST(K8sSeed002, AgreeingManifestsAndImagesHaveNoFinding) {
  auto run = test::k8s_run(test::k8s_fixtures() / "seed002" / "repo");
  EXPECT_TRUE(run.findings.empty()) << run.report;
  EXPECT_TRUE(run.inventory.problems.empty());
}

TEST(K8sSeed002, WithoutRunAsUserTheNamedUserCannotBeVerified) {
  auto run = seed_with("charts/agent-broker/values.yaml", "  runAsUser: 1000\n", "");
  ASSERT_EQ(run.findings.size(), 1u) << run.report;
  const auto& f = run.findings[0];
  EXPECT_EQ(f.rule, k8s::kRuleNonRootVerifiable);
  EXPECT_EQ(f.where.file, "charts/agent-broker/values.yaml");
  EXPECT_EQ(f.where.line, 12);
  EXPECT_EQ(f.where.column, 3);
  EXPECT_NE(f.message.find("\"container has runAsNonRoot and image has non-numeric user (agent), cannot verify user is "
                           "non-root\""),
            std::string::npos);
  EXPECT_EQ(f.dockerfile, "Dockerfile");
  // k8s/deployment.yaml sets runAsUser: the repository uses the manifest side.
  EXPECT_EQ(f.preferred, k8s::Side::Manifest);
  ASSERT_TRUE(f.dockerfile_fix);
  EXPECT_EQ(f.dockerfile_fix->kind, k8s::DockerfileFix::Kind::NumericUser);
  EXPECT_EQ(f.dockerfile_fix->uid, 1000u);
  EXPECT_EQ(f.dockerfile_fix->line, 10);
  EXPECT_TRUE(f.fix_safe);
  ASSERT_EQ(run.applied.files.size(), 1u);
  const auto& c = run.applied.files[0];
  EXPECT_EQ(c.path, "charts/agent-broker/values.yaml");
  std::string want = c.before;
  want.insert(want.find("  runAsGroup: 1000\n"), "  runAsUser: 1000\n");
  EXPECT_EQ(c.after, want);
}

TEST(K8sSeed002, RunAsUser1001DisagreesWithTheImage) {
  auto run = seed_with("k8s/deployment.yaml", "        runAsUser: 1000\n", "        runAsUser: 1001\n");
  ASSERT_EQ(run.findings.size(), 1u) << run.report;
  const auto& f = run.findings[0];
  EXPECT_EQ(f.rule, k8s::kRuleIdsMatchImage);
  EXPECT_EQ(f.where.file, "k8s/deployment.yaml");
  EXPECT_EQ(f.where.line, 18);
  EXPECT_EQ(f.where.column, 9);
  EXPECT_EQ(f.workload, "Deployment/agent-broker");
  EXPECT_NE(f.message.find("runAsUser 1001 of container agent-broker (Deployment/agent-broker) is not the uid 1000 of the "
                           "image's user agent (uid 1000), USER at Dockerfile:10"),
            std::string::npos);
  EXPECT_TRUE(f.fix.empty());
  EXPECT_NE(f.no_fix_reason.find("persistent volumes"), std::string::npos);
  ASSERT_EQ(f.related.size(), 1u);
  EXPECT_EQ(f.related[0].file, "Dockerfile");
  EXPECT_EQ(f.related[0].line, 10);
}

TEST(K8sSeed002, UseraddWithoutUidIsPinnedToTheManifestsUid) {
  // The reviewers' first comment: useradd picks 1000 only when it is free.
  auto run = seed_with("Dockerfile", "useradd -m -s /bin/bash -u 1000 agent", "useradd -m -s /bin/bash agent");
  std::vector<const k8s::Finding*> pins;
  for (const auto& f : run.findings)
    if (f.dockerfile_fix && f.dockerfile_fix->kind == k8s::DockerfileFix::Kind::PinUid) pins.push_back(&f);
  ASSERT_EQ(pins.size(), 2u) << run.report;  // the manifest and the chart
  for (const auto* f : pins) {
    EXPECT_EQ(f->rule, k8s::kRuleIdsMatchImage);
    EXPECT_EQ(f->dockerfile_fix->uid, 1000u);
    EXPECT_EQ(f->dockerfile_fix->gid, 1000u);
    EXPECT_EQ(f->preferred, k8s::Side::Dockerfile);
  }
}

TEST(K8sChecks, PodLevelRunAsUserGoesToTheContainerWhenOtherImagesShareThePod) {
  // Two Dockerfiles: the proxy's image is nobody's here, so it is unmapped.
  TempRepo repo({{"Dockerfile", "FROM debian:bookworm-slim\nRUN useradd -u 1000 app\nUSER app\n"},
                 {"tools/Dockerfile.lint", "FROM alpine\n"},
                 {"k8s/pod.yaml", R"(apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  securityContext:
    runAsNonRoot: true
  containers:
  - name: app
    image: acme/app
  - name: proxy
    image: envoyproxy/envoy:v1.30
)"}});
  k8s::Config config;
  config.images["acme/app"] = "Dockerfile";
  auto run = test::k8s_run(repo.root(), config);
  ASSERT_EQ(run.applied.files.size(), 1u) << run.report;
  EXPECT_EQ(run.applied.files[0].after, R"(apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  securityContext:
    runAsNonRoot: true
  containers:
  - name: app
    image: acme/app
    securityContext:
      runAsUser: 1000
      allowPrivilegeEscalation: false
      capabilities:
        drop:
        - ALL
  - name: proxy
    image: envoyproxy/envoy:v1.30
)");
}

TEST(K8sChecks, RootImagesPrivilegedContainersAndTemplatesGetNoFix) {
  TempRepo repo({{"Dockerfile", "FROM debian:bookworm-slim\nCMD [\"x\"]\n"},
                 {"k8s/pod.yaml", R"(apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  securityContext: {runAsNonRoot: true}
  containers:
  - name: app
    image: acme/app
    securityContext: {privileged: true}
)"}});
  auto run = test::k8s_run(repo.root());
  ASSERT_EQ(run.findings.size(), 2u) << run.report;
  EXPECT_EQ(run.findings[0].rule, k8s::kRuleNonRootVerifiable);
  EXPECT_NE(run.findings[0].message.find("image will run as root"), std::string::npos);
  EXPECT_TRUE(run.findings[0].fix.empty());
  EXPECT_EQ(run.findings[1].rule, k8s::kRuleContainerHardening);
  EXPECT_TRUE(run.findings[1].fix.empty());
  EXPECT_NE(run.findings[1].no_fix_reason.find("privileged"), std::string::npos);
  EXPECT_TRUE(run.applied.files.empty());
}

TEST(K8sChecks, UnmappedContainersAreNotChecked) {
  TempRepo repo({{"k8s/pod.yaml", "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  securityContext: "
                                  "{runAsNonRoot: true}\n  containers: [{name: a, image: nginx}]\n"},
                 {"Dockerfile", "FROM debian\nRUN useradd -u 1000 a\nUSER a\n"}});
  auto run = test::k8s_run(repo.root());
  EXPECT_TRUE(run.findings.empty()) << run.report;
  ASSERT_EQ(run.mappings.size(), 1u);
  EXPECT_TRUE(run.mappings[0].public_image);
}

TEST(K8sChecks, CrlfManifestGetsTheSameFindingsAndCrlfFixes) {
  TempRepo repo;
  repo.copy_from(test::k8s_fixtures() / "statefulset" / "repo");
  auto crlf = [](std::string s) {
    std::string out;
    for (char c : s) out += c == '\n' ? std::string("\r\n") : std::string(1, c);
    return out;
  };
  repo.write("manifests/statefulset.yaml", crlf(repo.read("manifests/statefulset.yaml")));
  auto run = test::k8s_run(repo.root());
  EXPECT_EQ(run.report, test::read_file(test::k8s_fixtures() / "statefulset" / "findings.txt"));
  ASSERT_EQ(run.applied.files.size(), 1u);
  EXPECT_EQ(run.applied.files[0].after,
            crlf(test::read_file(test::k8s_fixtures() / "statefulset" / "fixed" / "manifests" / "statefulset.yaml")));
}

TEST(K8sChecks, ApplyMakesASharedValuesEditOnceAndRejectsWhatDoesNotVerify) {
  auto run = test::k8s_run(test::k8s_fixtures() / "helm-create" / "repo");
  ASSERT_EQ(run.findings.size(), 1u);
  auto twice = run.findings;
  twice.push_back(run.findings[0]);  // a second container through the same values key
  auto r = k8s::apply(run.inventory, twice);
  ASSERT_EQ(r.files.size(), 1u);
  EXPECT_EQ(r.files[0].after, run.applied.files[0].after);
  EXPECT_EQ(r.files[0].findings.size(), 2u);
  auto broken = run.findings;
  broken[0].expect[0].value = k8s::NewValue::map({{"allowPrivilegeEscalation", k8s::NewValue::text("true")}});
  auto rejected = k8s::apply(run.inventory, broken);
  EXPECT_TRUE(rejected.files.empty());
  ASSERT_EQ(rejected.rejected.size(), 1u);
  EXPECT_NE(rejected.rejected[0].find("chart/values.yaml: k8s-container-hardening"), std::string::npos);
}

}  // namespace
}  // namespace dockerfix
