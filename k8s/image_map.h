// Which Dockerfile of the repository builds a container's image.
#pragma once

#include <yaml-cpp/yaml.h>

#include <map>
#include <string>
#include <vector>

#include "k8s/inventory.h"

namespace dockerfix::k8s {

// The `kubernetes:` section of .dockerfix.yaml:
//   kubernetes:
//     images:
//       ghcr.io/org/app: docker/app/Dockerfile
struct Config {
  std::map<std::string, std::string> images;  // image (with or without tag) -> repository-relative Dockerfile
};
// Throws std::runtime_error("<origin>:<line>: ...") on bad input.
Config parse_config(const YAML::Node& kubernetes, const std::string& origin);

enum class MapMethod {
  Config,  // kubernetes.images names the Dockerfile
  Name,    // the image's name matches the Dockerfile's place (app/Dockerfile, Dockerfile.worker)
  Single,  // the repository builds one Dockerfile and the image is not a known public one (assumed)
  None,    // unmapped: `reason` says why
};
const char* to_string(MapMethod);

struct ImageMapping {
  size_t workload = 0;   // index into Inventory::workloads
  size_t container = 0;  // index into its containers
  std::string dockerfile;  // repository-relative; empty when unmapped
  MapMethod method = MapMethod::None;
  bool assumed = false;    // say so in the finding
  bool public_image = false;
  std::string reason;      // how it was mapped, or why not
};

// One mapping per container of every workload, in order.
std::vector<ImageMapping> map_images(const Inventory& inventory, const Config& config);

// Docker Hub official images (`nginx`, `docker.io/library/redis:7`) and the
// images of a few registries that only publish other people's software
// (registry.k8s.io, k8s.gcr.io, mcr.microsoft.com, gcr.io/distroless,
// cgr.dev/chainguard, public.ecr.aws/docker/library, quay.io/prometheus ...).
bool is_public_image(const std::string& image, std::string* why = nullptr);

// `ghcr.io/org/app:1.2` -> `ghcr.io/org/app`; `nginx:1` -> `nginx`.
std::string image_name(const std::string& image);

}  // namespace dockerfix::k8s
