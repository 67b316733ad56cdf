// Containers to Dockerfiles: config, names against the layout, the single
// Dockerfile assumption, public images, and what stays unmapped (with why).
#include <gtest/gtest.h>

#include "tests/k8s_support.h"

namespace dockerfix {
namespace {

using test::TempRepo;

std::string deployment(const std::vector<std::string>& images) {
  std::string out = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  template:\n    spec:\n      containers:\n";
  for (size_t i = 0; i < images.size(); ++i)
    out += "      - name: c" + std::to_string(i) + "\n        image: " + images[i] + "\n";
  return out;
}

// "<container> -> <dockerfile>|- <method>[ assumed]" per container.
std::vector<std::string> mapped(const TempRepo& repo, const k8s::Config& config = {}) {
  auto inv = k8s::scan(repo.root(), {.helm = {"none"}, .files = {}});
  std::vector<std::string> out;
  for (const auto& m : k8s::map_images(inv, config))
    out.push_back(inv.workloads[m.workload].containers[m.container].name + " -> " +
                  (m.dockerfile.empty() ? "-" : m.dockerfile) + " " + k8s::to_string(m.method) +
                  (m.assumed ? " assumed" : ""));
  return out;
}

TEST(K8sMapping, ImageNamesMatchTheLayout) {
  TempRepo repo({{"k8s/d.yaml", deployment({"ghcr.io/org/app:1.0", "org/app-worker", "org/app-cron@sha256:0123",
                                            "org/app-migrate:2"})},
                 {"app/Dockerfile", "FROM alpine\n"},
                 {"docker/worker/Dockerfile", "FROM alpine\n"},
                 {"Dockerfile.cron", "FROM alpine\n"},
                 {"tools/migrate.Dockerfile", "FROM alpine\n"}});
  EXPECT_EQ(mapped(repo), (std::vector<std::string>{"c0 -> app/Dockerfile name", "c1 -> docker/worker/Dockerfile name",
                                                    "c2 -> Dockerfile.cron name", "c3 -> tools/migrate.Dockerfile name"}));
}

TEST(K8sMapping, ConfigWinsAndAMissingFileIsSaid) {
  TempRepo repo({{"k8s/d.yaml", deployment({"ghcr.io/org/app:1.0", "nginx:1.25", "org/other"})},
                 {"app/Dockerfile", "FROM alpine\n"},
                 {"build/Containerfile", "FROM alpine\n"}});
  k8s::Config config;
  config.images["ghcr.io/org/app"] = "build/Containerfile";
  config.images["nginx"] = "build/Containerfile";
  config.images["org/other:9"] = "missing/Dockerfile";
  EXPECT_EQ(mapped(repo, config), (std::vector<std::string>{"c0 -> build/Containerfile config",
                                                            "c1 -> build/Containerfile config", "c2 -> - none"}));
  auto inv = k8s::scan(repo.root(), {.helm = {"none"}, .files = {}});
  auto m = k8s::map_images(inv, config);
  EXPECT_NE(m[2].reason.find("does not exist"), std::string::npos);
}

TEST(K8sMapping, OneDockerfileBuildsEveryImageThatIsNotPublic) {
  TempRepo repo({{"k8s/d.yaml", deployment({"registry.example.com/team/api:3", "redis:7", "registry.k8s.io/pause:3.9",
                                            "\"{{ .Values.image }}\""})},
                 {"Dockerfile", "FROM alpine\n"}});
  EXPECT_EQ(mapped(repo), (std::vector<std::string>{"c0 -> Dockerfile single-dockerfile assumed", "c1 -> - none",
                                                    "c2 -> - none", "c3 -> Dockerfile single-dockerfile assumed"}));
  auto inv = k8s::scan(repo.root(), {.helm = {"none"}, .files = {}});
  auto m = k8s::map_images(inv, {});
  EXPECT_NE(m[0].reason.find("assumed: Dockerfile is the repository's only Dockerfile"), std::string::npos);
  EXPECT_EQ(m[1].reason, "redis is a Docker Hub official image; not built here");
  EXPECT_TRUE(m[2].public_image);
}

TEST(K8sMapping, AmbiguousAndUnknownImagesAreSaidNotGuessed) {
  TempRepo repo({{"k8s/d.yaml", deployment({"org/api", "org/unknown"})},
                 {"api/Dockerfile", "FROM alpine\n"},
                 {"Dockerfile.api", "FROM alpine\n"}});
  EXPECT_EQ(mapped(repo), (std::vector<std::string>{"c0 -> - none", "c1 -> - none"}));
  auto inv = k8s::scan(repo.root(), {.helm = {"none"}, .files = {}});
  auto m = k8s::map_images(inv, {});
  EXPECT_EQ(m[0].reason, "the image org/api matches Dockerfile.api, api/Dockerfile; set kubernetes.images to choose");
  EXPECT_EQ(m[1].reason, "no Dockerfile is named after the image org/unknown; set kubernetes.images");
}

TEST(K8sMapping, ThePlainDockerfileBesideItsVariantsBuildsThePlainImage) {
  auto inv = k8s::scan(test::k8s_fixtures() / "seed002" / "repo", {.helm = {"none"}, .files = {}});
  auto m = k8s::map_images(inv, {});
  ASSERT_EQ(m.size(), 3u);
  EXPECT_EQ(m[0].dockerfile, "Dockerfile");
  EXPECT_EQ(m[0].reason, "Dockerfile.claude builds the claude variant, so Dockerfile builds agent-broker");
  EXPECT_EQ(m[1].dockerfile, "Dockerfile.claude");
}

TEST(K8sMapping, PublicImageRule) {
  std::string why;
  EXPECT_TRUE(k8s::is_public_image("postgres:16", &why));
  EXPECT_EQ(why, "postgres is a Docker Hub official image");
  EXPECT_TRUE(k8s::is_public_image("docker.io/library/busybox"));
  EXPECT_TRUE(k8s::is_public_image("gcr.io/distroless/static-debian12:nonroot"));
  EXPECT_TRUE(k8s::is_public_image("mcr.microsoft.com/dotnet/aspnet:8.0"));
  EXPECT_FALSE(k8s::is_public_image("ghcr.io/org/app"));
  EXPECT_FALSE(k8s::is_public_image("org/app"));
  EXPECT_FALSE(k8s::is_public_image("localhost:5000/app"));
  EXPECT_EQ(k8s::image_name("localhost:5000/app:1"), "localhost:5000/app");
  EXPECT_EQ(k8s::image_name("nginx@sha256:abc"), "nginx");
}

TEST(K8sMapping, ConfigSectionIsCheckedWithLines) {
  auto cfg = k8s::parse_config(YAML::Load("images:\n  ghcr.io/org/app: app/Dockerfile\n"), "c.yaml");
  EXPECT_EQ(cfg.images.at("ghcr.io/org/app"), "app/Dockerfile");
  auto fails = [](const char* text) {
    try {
      k8s::parse_config(YAML::Load(text), ".dockerfix.yaml");
    } catch (const std::runtime_error& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  EXPECT_EQ(fails("imgs: {}\n"), ".dockerfix.yaml:1: unknown key kubernetes.imgs (known: images)");
  EXPECT_EQ(fails("images:\n  a: [x]\n"), ".dockerfix.yaml:2: kubernetes.images.a must be a Dockerfile path");
  EXPECT_EQ(fails("images: [a]\n"), ".dockerfix.yaml:1: kubernetes.images must map image names to Dockerfiles");
  EXPECT_EQ(fails("images:\n  a: x\n  a: y\n"), ".dockerfix.yaml:3: kubernetes.images.a is given twice");
}

}  // namespace
}  // namespace dockerfix
