// Discovery: the Kubernetes manifests, Helm charts and Dockerfiles of a
// repository, read into workloads.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "k8s/helm.h"
#include "k8s/location.h"
#include "k8s/workload.h"
#include "k8s/yaml_file.h"

namespace dockerfix::k8s {

struct ScanOptions {
  HelmOptions helm;
  // Repository-relative files to consider; empty: walk the tree (skipping
  // .git and symlinked directories).
  std::vector<std::string> files;
};

struct Inventory {
  std::filesystem::path root;
  std::vector<YamlFile> files;      // the YAML fixes may edit: manifests with workloads, charts' values.yaml
  std::vector<Chart> charts;
  std::vector<Workload> workloads;
  std::vector<std::string> dockerfiles;           // repository-relative, sorted
  std::map<std::string, std::string> image_names;  // kustomization `images:` name -> newName
  std::vector<Problem> problems;  // manifests that do not parse: report them, exit 2
  std::vector<std::string> notes; // what was set aside (patches, templates not read, helm not run)

  int file_index(const std::string& path) const;  // -1 when not held
  // Does any manifest or values file set runAsUser? Fixes then prefer the manifest side.
  bool sets_run_as_user() const;
};

Inventory scan(const std::filesystem::path& root, const ScanOptions& options = {});

// Dockerfile, Containerfile, Dockerfile.<name>, <name>.Dockerfile.
bool is_dockerfile_name(const std::string& filename);

}  // namespace dockerfix::k8s
