// Helm charts: templates read without rendering (actions set aside,
// toYaml includes tied to the keys they fill, values.yaml locations), and
// `helm template` output used when helm runs (a stand-in script plays helm:
// Debian 12 has no helm package).
#include <gtest/gtest.h>
#include <sys/stat.h>

#include "tests/k8s_support.h"

namespace dockerfix {
namespace {

using test::TempRepo;

TEST(K8sHelm, SanitizedTemplateKeepsEveryByteOffset) {
  std::string t =
      "spec:\n  {{- with .Values.pod }}\n  securityContext:\n    {{- toYaml . | nindent 4 }}\n  {{- end }}\n"
      "  image: \"{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}\"\n"
      "  resources: {{- toYaml .Values.resources | nindent 4 }}\n  {{/* a\n  comment */}}\n";
  auto st = k8s::sanitize_template(t);
  ASSERT_EQ(st.yaml.size(), t.size());
  for (size_t i = 0; i < t.size(); ++i)
    if (t[i] == '\n') EXPECT_EQ(st.yaml[i], '\n') << i;
  EXPECT_EQ(st.yaml.find("{{"), std::string::npos);
  auto docs = YAML::LoadAll(st.yaml);
  ASSERT_EQ(docs.size(), 1u);
  EXPECT_TRUE(docs[0]["spec"]["securityContext"].IsNull());
  EXPECT_TRUE(docs[0]["spec"]["resources"].IsNull());
  ASSERT_EQ(st.actions.size(), 7u);
  // `toYaml .` under `with .Values.pod` reads .Values.pod.
  EXPECT_TRUE(st.actions[1].emits_yaml);
  EXPECT_EQ(st.actions[1].values_ref, std::vector<std::string>{"pod"});
  EXPECT_EQ(st.actions[1].indent, 4);
  EXPECT_TRUE(st.actions[1].standalone);
  EXPECT_EQ(st.actions[3].values_ref, (std::vector<std::string>{"image", "repository"}));
  EXPECT_FALSE(st.actions[3].standalone);
  EXPECT_EQ(st.actions[5].values_ref, std::vector<std::string>{"resources"});
}

TEST(K8sHelm, EvaluatesTheImagePipelinesChartsUse) {
  YAML::Node values = YAML::Load("image: {repository: ghcr.io/acme/app, tag: ''}\nname: x\nn: 3\n");
  k8s::Chart chart;
  chart.name = "app";
  chart.app_version = "1.2.3";
  EXPECT_EQ(k8s::evaluate_action(".Values.image.repository", values, chart), "ghcr.io/acme/app");
  EXPECT_EQ(k8s::evaluate_action(".Values.image.tag | default .Chart.AppVersion", values, chart), "1.2.3");
  EXPECT_EQ(k8s::evaluate_action("default \"latest\" .Values.missing", values, chart), "latest");
  EXPECT_EQ(k8s::evaluate_action(".Values.name | quote", values, chart), "\"x\"");
  EXPECT_EQ(k8s::evaluate_action("printf \"%s:%s\" .Values.image.repository .Chart.AppVersion", values, chart),
            "ghcr.io/acme/app:1.2.3");
  EXPECT_EQ(k8s::evaluate_action(".repository", values, chart, {"image"}), "ghcr.io/acme/app");
  EXPECT_FALSE(k8s::evaluate_action("include \"app.image\" .", values, chart).has_value());
  EXPECT_FALSE(k8s::evaluate_action(".Values.image", values, chart).has_value());
}

TEST(K8sHelm, HelmCreateChartReadsValuesThroughToYaml) {
  auto inv = k8s::scan(test::k8s_fixtures() / "helm-create" / "repo", {.helm = {"none"}, .files = {}});
  ASSERT_EQ(inv.charts.size(), 1u);
  EXPECT_EQ(inv.charts[0].name, "shop");
  EXPECT_FALSE(inv.charts[0].rendered);
  ASSERT_EQ(inv.workloads.size(), 2u);  // the Deployment and the test Pod; the Service is no workload
  const auto& d = inv.workloads[0];
  EXPECT_EQ(d.kind, "Deployment");
  EXPECT_EQ(d.chart, "chart");
  ASSERT_EQ(d.containers.size(), 1u);
  const auto& c = d.containers[0];
  EXPECT_EQ(c.name, "shop");
  EXPECT_EQ(c.image, "ghcr.io/acme/shop:1.16.0");
  EXPECT_EQ(c.image_text, "\"{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}\"");
  ASSERT_TRUE(c.target.valid());
  EXPECT_EQ(inv.files[c.target.file].path, "chart/values.yaml");
  EXPECT_EQ(k8s::to_string(c.target.path), "securityContext");
  EXPECT_EQ(c.target.near.line, 31);
  ASSERT_TRUE(d.pod_target.valid());
  EXPECT_EQ(k8s::to_string(d.pod_target.path), "podSecurityContext");
  EXPECT_EQ(c.where.file, "chart/templates/deployment.yaml");
  EXPECT_EQ(c.where.line, 31);
}

TEST(K8sHelm, SeedFormWithWithBlocksAndValuesLocations) {
  auto inv = k8s::scan(test::k8s_fixtures() / "seed002" / "repo", {.helm = {"none"}, .files = {}});
  const k8s::Workload* helm = nullptr;
  for (const auto& w : inv.workloads)
    if (!w.chart.empty()) helm = &w;
  ASSERT_NE(helm, nullptr);
  ASSERT_TRUE(helm->pod.run_as_user);
  EXPECT_EQ(helm->pod.run_as_user->origin, k8s::Origin::Values);
  EXPECT_EQ(helm->pod.run_as_user->where.file, "charts/agent-broker/values.yaml");
  EXPECT_EQ(helm->pod.run_as_user->where.line, 13);
  EXPECT_EQ(helm->pod.fs_group->value, "1000");
  EXPECT_TRUE(helm->volume_claims);
  const auto& c = helm->containers[0];
  EXPECT_EQ(c.image, "ghcr.io/openabdev/agent-broker:0.3.0");
  ASSERT_TRUE(c.own.drop);
  EXPECT_EQ(c.own.drop->items, std::vector<std::string>{"ALL"});
  EXPECT_EQ(k8s::to_string(c.target.path), "containerSecurityContext");
}

TEST(K8sHelm, TemplateTextIsNeverTheFixTarget) {
  TempRepo repo({{"c/Chart.yaml", "apiVersion: v2\nname: c\nversion: 1.0.0\n"},
                 {"c/values.yaml", "uid: 1001\n"},
                 {"c/templates/job.yaml", R"(apiVersion: batch/v1
kind: Job
metadata:
  name: {{ .Release.Name }}
spec:
  template:
    spec:
      securityContext:
        runAsNonRoot: true
        runAsUser: {{ .Values.uid }}
      containers:
        - name: job
          image: acme/job
)"}});
  auto inv = k8s::scan(repo.root(), {.helm = {"none"}, .files = {}});
  ASSERT_EQ(inv.workloads.size(), 1u);
  const auto& w = inv.workloads[0];
  EXPECT_EQ(w.pod.run_as_non_root->origin, k8s::Origin::Template);
  EXPECT_EQ(w.pod.run_as_non_root->file, -1);
  // `runAsUser: {{ .Values.uid }}` is the values key.
  EXPECT_EQ(w.pod.run_as_user->origin, k8s::Origin::Values);
  EXPECT_EQ(w.pod.run_as_user->value, "1001");
  EXPECT_EQ(w.pod.run_as_user->where.file, "c/values.yaml");
  EXPECT_FALSE(w.pod_target.valid());
  EXPECT_NE(w.pod_target.why_not.find("c/templates/job.yaml:8"), std::string::npos);
  EXPECT_FALSE(w.containers[0].target.valid());
  EXPECT_NE(w.containers[0].target.why_not.find("toYaml .Values.securityContext | nindent 12"), std::string::npos);
}

TEST(K8sHelm, InlineAndOmitIncludesFillTheKeyTheyFollow) {
  TempRepo repo;
  repo.copy_from(test::k8s_fixtures() / "helm-create" / "repo");
  repo.replace("chart/templates/deployment.yaml", "securityContext:\n            {{- toYaml .Values.securityContext | nindent 12 }}",
               "securityContext: {{- omit .Values.containerSecurityContext \"enabled\" | toYaml | nindent 12 }}");
  repo.replace("chart/values.yaml", "podAnnotations: {}\n",
               "podAnnotations: {}\ncontainerSecurityContext:\n  enabled: true\n  allowPrivilegeEscalation: false\n");
  auto inv = k8s::scan(repo.root(), {.helm = {"none"}, .files = {}});
  const auto& c = inv.workloads[0].containers[0];
  ASSERT_TRUE(c.target.valid()) << c.target.why_not;
  EXPECT_EQ(k8s::to_string(c.target.path), "containerSecurityContext");
  ASSERT_TRUE(c.own.allow_privilege_escalation);
  EXPECT_EQ(c.own.allow_privilege_escalation->where.file, "chart/values.yaml");
  EXPECT_EQ(c.own.allow_privilege_escalation->where.line, 29);
}

// A stand-in for helm: prints a rendering and records its arguments.
void fake_helm(const TempRepo& bin, const std::string& output, int status = 0) {
  bin.write("rendered.yaml", output);
  bin.write("helm", "#!/bin/sh\necho \"$@\" > \"$(dirname \"$0\")/args\"\ncat \"$(dirname \"$0\")/rendered.yaml\"\n"
                    "echo 'Error: chart has missing dependencies' >&2\nexit " + std::to_string(status) + "\n");
  ::chmod((bin.root() / "helm").c_str(), 0755);
}

const char* kRendered = R"(---
# Source: shop/templates/service.yaml
apiVersion: v1
kind: Service
metadata:
  name: release-shop
---
# Source: shop/templates/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: release-shop
spec:
  template:
    spec:
      securityContext:
        runAsNonRoot: true
      containers:
        - name: shop
          securityContext:
            allowPrivilegeEscalation: true
          image: "ghcr.io/acme/shop:9.9"
)";

TEST(K8sHelm, RenderedOutputSuppliesTheValues) {
  TempRepo bin;
  fake_helm(bin, kRendered);
  auto root = test::k8s_fixtures() / "helm-create" / "repo";
  auto inv = k8s::scan(root, {.helm = {(bin.root() / "helm").string()}, .files = {}});
  ASSERT_TRUE(inv.charts[0].rendered) << inv.charts[0].render_note;
  EXPECT_EQ(bin.read("args"), "template dockerfix " + (root / "chart").lexically_normal().string() + "\n");
  const auto& w = inv.workloads[0];
  EXPECT_TRUE(w.rendered);
  EXPECT_EQ(w.name, "release-shop");
  const auto& c = w.containers[0];
  EXPECT_EQ(c.image, "ghcr.io/acme/shop:9.9");
  // Only the output has these keys: they point at the securityContext they come through.
  ASSERT_TRUE(w.pod.run_as_non_root);
  EXPECT_EQ(w.pod.run_as_non_root->origin, k8s::Origin::Rendered);
  EXPECT_EQ(w.pod.run_as_non_root->where.file, "chart/values.yaml");
  ASSERT_TRUE(c.own.allow_privilege_escalation);
  EXPECT_EQ(c.own.allow_privilege_escalation->value, "true");
  // The test Pod was not rendered (helm leaves hooks out of this output): read as written.
  EXPECT_FALSE(inv.workloads[1].rendered);
}

TEST(K8sHelm, FailedRenderFallsBackToTheTextAndSaysWhy) {
  TempRepo bin;
  fake_helm(bin, "", 1);
  auto inv = k8s::scan(test::k8s_fixtures() / "helm-create" / "repo", {.helm = {(bin.root() / "helm").string()}, .files = {}});
  EXPECT_FALSE(inv.charts[0].rendered);
  EXPECT_EQ(inv.charts[0].render_note, "helm template failed: Error: chart has missing dependencies");
  EXPECT_EQ(inv.workloads[0].containers[0].image, "ghcr.io/acme/shop:1.16.0");
  ASSERT_EQ(inv.notes.size(), 1u);
  EXPECT_NE(inv.notes[0].find("helm template failed"), std::string::npos);
}

TEST(K8sHelm, HelmIsLookedUpOnPath) {
  TempRepo bin;
  fake_helm(bin, kRendered);
  std::string old = std::getenv("PATH") ? std::getenv("PATH") : "";
  ::setenv("PATH", (bin.root().string() + ":" + old).c_str(), 1);
  EXPECT_EQ(k8s::find_helm({}), (bin.root() / "helm").string());
  EXPECT_EQ(k8s::find_helm({"none"}), "");
  ::setenv("PATH", "/nonexistent", 1);
  EXPECT_EQ(k8s::find_helm({}), "");
  ::setenv("PATH", old.c_str(), 1);
}

}  // namespace
}  // namespace dockerfix
