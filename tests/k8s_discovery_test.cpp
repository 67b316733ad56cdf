// Discovery of manifests and the workload model: kinds, multi-document
// files, Lists, kustomize patches, broken files, symlinks, and where each
// securityContext key is (line, column, bytes).
#include <gtest/gtest.h>

#include "tests/k8s_support.h"

namespace dockerfix {
namespace {

using test::TempRepo;

const char* kPodKinds = R"(apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers: [{name: a, image: x/a}]
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: d}
spec:
  template:
    spec:
      containers: [{name: a, image: x/a}]
---
apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: r}
spec:
  template:
    spec:
      containers: [{name: a, image: x/a}]
---
apiVersion: batch/v1
kind: Job
metadata: {name: j}
spec:
  template:
    spec:
      containers: [{name: a, image: x/a}]
---
apiVersion: v1
kind: ConfigMap
metadata: {name: c}
data: {kind: Deployment}
)";

TEST(K8sDiscovery, WorkloadKindsInAMultiDocumentFile) {
  TempRepo repo({{"all.yaml", kPodKinds}});
  auto inv = k8s::scan(repo.root(), {.helm = {"none"}, .files = {}});
  ASSERT_EQ(inv.workloads.size(), 4u);
  std::vector<std::string> labels;
  for (const auto& w : inv.workloads) labels.push_back(w.label() + "@" + std::to_string(w.document));
  EXPECT_EQ(labels, (std::vector<std::string>{"Pod/p@0", "DaemonSet/d@1", "ReplicaSet/r@2", "Job/j@3"}));
  ASSERT_EQ(inv.files.size(), 1u);
  EXPECT_EQ(inv.workloads[3].where.line, 24);
}

TEST(K8sDiscovery, ListItemsAndInitContainers) {
  TempRepo repo({{"list.yml", R"(apiVersion: v1
kind: List
items:
- apiVersion: apps/v1
  kind: StatefulSet
  metadata:
    name: db
  spec:
    template:
      spec:
        initContainers:
        - name: init
          image: busybox
        containers:
        - name: db
          image: acme/db
)"}});
  auto inv = k8s::scan(repo.root(), {.helm = {"none"}, .files = {}});
  ASSERT_EQ(inv.workloads.size(), 1u);
  const auto& w = inv.workloads[0];
  EXPECT_EQ(w.label(), "StatefulSet/db");
  ASSERT_EQ(w.containers.size(), 2u);
  EXPECT_EQ(w.containers[0].name, "db");
  EXPECT_FALSE(w.containers[0].init);
  EXPECT_EQ(w.containers[1].name, "init");
  EXPECT_TRUE(w.containers[1].init);
  EXPECT_EQ(k8s::to_string(w.containers[0].path), "items[0].spec.template.spec.containers[0]");
}

TEST(K8sDiscovery, FieldsCarryTheirLineColumnAndBytes) {
  std::string text = R"(apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      securityContext:
        runAsNonRoot: true  # policy
        fsGroup: 2000
      containers:
      - name: web
        image: acme/web
        securityContext: {runAsUser: 1001, capabilities: {drop: ["ALL"]}}
)";
  TempRepo repo({{"deploy/web.yaml", text}});
  auto inv = k8s::scan(repo.root(), {.helm = {"none"}, .files = {}});
  ASSERT_EQ(inv.workloads.size(), 1u);
  const auto& w = inv.workloads[0];
  ASSERT_TRUE(w.pod.run_as_non_root);
  const auto& f = *w.pod.run_as_non_root;
  EXPECT_EQ(f.where.file, "deploy/web.yaml");
  EXPECT_EQ(f.where.line, 9);
  EXPECT_EQ(f.where.column, 9);
  EXPECT_EQ(text.substr(f.where.begin, f.where.end - f.where.begin), "runAsNonRoot: true");
  EXPECT_EQ(f.as_bool(), true);
  EXPECT_EQ(f.level, k8s::Level::Pod);
  const auto& c = w.containers[0];
  ASSERT_TRUE(c.own.run_as_user);
  EXPECT_EQ(text.substr(c.own.run_as_user->where.begin, c.own.run_as_user->where.end - c.own.run_as_user->where.begin),
            "runAsUser: 1001");
  ASSERT_TRUE(c.own.drop);
  EXPECT_EQ(c.own.drop->items, std::vector<std::string>{"ALL"});
  EXPECT_EQ(c.own.drop->where.line, 14);
  // The container's runAsUser wins over none at pod level; fsGroup comes from the pod.
  auto e = k8s::effective(w, c);
  EXPECT_EQ(e.run_as_user->as_int(), 1001);
  EXPECT_EQ(e.fs_group->as_int(), 2000);
  EXPECT_EQ(e.run_as_non_root->level, k8s::Level::Pod);
  EXPECT_EQ(k8s::to_string(c.target.path), "spec.template.spec.containers[0].securityContext");
  EXPECT_EQ(c.target.near.line, 14);
}

TEST(K8sDiscovery, ContainerKeysWinOverThePods) {
  k8s::Workload w;
  k8s::Container c;
  k8s::Field pod_user{"1000"}, own_user{"2000"}, pod_nonroot{"true"}, own_nonroot{"false"};
  w.pod.run_as_user = pod_user;
  w.pod.run_as_non_root = pod_nonroot;
  c.own.run_as_non_root = own_nonroot;
  auto e = k8s::effective(w, c);
  EXPECT_EQ(e.run_as_user->value, "1000");
  EXPECT_EQ(e.run_as_non_root->value, "false");
  c.own.run_as_user = own_user;
  EXPECT_EQ(k8s::effective(w, c).run_as_user->value, "2000");
}

TEST(K8sDiscovery, BrokenManifestIsAProblemOtherYamlIsIgnored) {
  TempRepo repo({{"k8s/bad.yaml", "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: a\n   image: b\n"},
                 {".github/workflows/ci.yml", "on: [push\njobs: {kind: x}\n"},
                 {"deploy/tpl.yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ .name }}\n  x: {{ a: b }\n"}});
  auto inv = k8s::scan(repo.root(), {.helm = {"none"}, .files = {}});
  ASSERT_EQ(inv.problems.size(), 1u);
  EXPECT_EQ(inv.problems[0].file, "k8s/bad.yaml");
  EXPECT_EQ(inv.problems[0].line, 6);
  ASSERT_EQ(inv.notes.size(), 1u);
  EXPECT_NE(inv.notes[0].find("deploy/tpl.yaml"), std::string::npos);
}

TEST(K8sDiscovery, KustomizePatchesAreNotWorkloadsAndImagesAreRenamed) {
  auto inv = k8s::scan(test::k8s_fixtures() / "kustomize" / "repo", {.helm = {"none"}, .files = {}});
  ASSERT_EQ(inv.workloads.size(), 1u);
  EXPECT_EQ(inv.workloads[0].file, "base/deployment.yaml");
  ASSERT_EQ(inv.notes.size(), 1u);
  EXPECT_NE(inv.notes[0].find("overlays/prod/replicas.yaml"), std::string::npos);
  EXPECT_EQ(inv.image_names.at("app"), "ghcr.io/acme/api");
  EXPECT_EQ(inv.dockerfiles, (std::vector<std::string>{"services/api/Dockerfile", "services/worker/Dockerfile"}));
}

TEST(K8sDiscovery, SkipsGitAndSymlinkedDirectoriesAndHonoursAFileList) {
  TempRepo repo({{"a/pod.yaml", "apiVersion: v1\nkind: Pod\nspec:\n  containers: [{name: a, image: x}]\n"},
                 {".git/pod.yaml", "apiVersion: v1\nkind: Pod\nspec:\n  containers: [{name: a, image: x}]\n"},
                 {"b/Dockerfile.worker", "FROM alpine\n"}});
  std::filesystem::create_directory_symlink(repo.root() / "a", repo.root() / "link");
  auto inv = k8s::scan(repo.root(), {.helm = {"none"}, .files = {}});
  ASSERT_EQ(inv.workloads.size(), 1u);
  EXPECT_EQ(inv.workloads[0].file, "a/pod.yaml");
  EXPECT_EQ(inv.dockerfiles, std::vector<std::string>{"b/Dockerfile.worker"});
  auto listed = k8s::scan(repo.root(), {.helm = {"none"}, .files = {"b/Dockerfile.worker"}});
  EXPECT_TRUE(listed.workloads.empty());
  EXPECT_EQ(listed.dockerfiles.size(), 1u);
}

TEST(K8sDiscovery, RunAsUserAnywhereMeansTheRepositoryUsesTheManifestSide) {
  TempRepo with({{"p.yaml", "apiVersion: v1\nkind: Pod\nspec:\n  securityContext: {runAsUser: 1}\n  containers: []\n"}});
  EXPECT_TRUE(k8s::scan(with.root(), {.helm = {"none"}, .files = {}}).sets_run_as_user());
  TempRepo without({{"p.yaml", "apiVersion: v1\nkind: Pod\nspec:\n  containers: [{name: a, image: b}]\n"}});
  EXPECT_FALSE(k8s::scan(without.root(), {.helm = {"none"}, .files = {}}).sets_run_as_user());
}

}  // namespace
}  // namespace dockerfix
