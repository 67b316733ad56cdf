#include <algorithm>
#include <array>

#include "dockerfix/model.h"

namespace dockerfix::model {

namespace {

// Docker Hub's per-architecture copies of the library images
// (https://github.com/docker-library/official-images#architectures-other-than-amd64;
// `armhf` is the namespace arm32v7 replaced, `windows-amd64` the name the
// official-images README gives winamd64).
constexpr std::array<std::string_view, 13> kArchNamespaces = {
    "amd64", "arm32v5", "arm32v6", "arm32v7", "arm64v8", "armhf", "i386",
    "mips64le", "ppc64le", "riscv64", "s390x", "winamd64", "windows-amd64"};

// Registries that serve Docker Hub images under another name: the prefix of
// the repository that stands for Docker Hub's root. mirror.gcr.io serves
// library images with and without `library/` (moby's CI pulls
// mirror.gcr.io/busybox).
struct HubMirror {
  std::string_view registry;
  std::string_view prefix;
};
constexpr std::array<HubMirror, 3> kHubMirrors = {{
    {"public.ecr.aws", "docker/library/"},  // https://gallery.ecr.aws/docker (library images only)
    {"mirror.gcr.io", ""},                  // https://cloud.google.com/artifact-registry/docs/pull-cached-dockerhub-images
    {"registry.hub.docker.com", ""},
}};

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// The library image a repository stands for, or empty: `arm32v7/node` and
// the mirrors above name Docker Hub's `library/node`.
void set_match(ImageRef& ref) {
  std::string_view repo = ref.repository;
  const std::string registry = lower(ref.registry);
  std::string hub_repo;  // the repository on Docker Hub
  if (registry == "docker.io") {
    hub_repo = ref.repository;
  } else {
    for (const auto& m : kHubMirrors) {
      if (registry != m.registry || repo.substr(0, m.prefix.size()) != m.prefix) continue;
      std::string rest(repo.substr(m.prefix.size()));
      if (rest.empty()) return;
      // Only the library is mirrored under public.ecr.aws/docker/library/.
      hub_repo = rest.find('/') == std::string::npos ? "library/" + rest : rest;
      ref.match_reason = "Docker Hub mirror " + ref.registry + " of " + hub_repo;
      break;
    }
    if (hub_repo.empty()) return;
  }
  auto slash = hub_repo.find('/');
  std::string ns = hub_repo.substr(0, slash), name = hub_repo.substr(slash + 1);
  if (name.find('/') == std::string::npos &&
      std::find(kArchNamespaces.begin(), kArchNamespaces.end(), ns) != kArchNamespaces.end()) {
    ref.match_reason = (ref.match_reason.empty() ? "" : ref.match_reason + ", ") + "the " + ns +
                       " build of the Docker Hub image " + name;
    hub_repo = "library/" + name;
  }
  if (ref.registry != "docker.io" || hub_repo != ref.repository) ref.match_repository = hub_repo;
}

}  // namespace

// Docker's reference grammar, reduced to what matching needs: the first
// path component is a registry when it has a dot or a port, or is localhost.
ImageRef parse_image_ref(std::string_view text) {
  ImageRef ref;
  ref.raw = std::string(text);
  if (text.empty() || text.find_first_of(" \t$") != std::string_view::npos) return ref;
  std::string s(text);
  if (auto at = s.find('@'); at != std::string::npos) {
    ref.digest = s.substr(at + 1);
    s.resize(at);
  }
  auto slash = s.find('/');
  std::string first = s.substr(0, slash);
  if (slash != std::string::npos &&
      (first.find('.') != std::string::npos || first.find(':') != std::string::npos || first == "localhost")) {
    ref.registry = first;
    s = s.substr(slash + 1);
  } else {
    ref.registry = "docker.io";
  }
  if (ref.registry == "index.docker.io" || ref.registry == "registry-1.docker.io") ref.registry = "docker.io";
  auto colon = s.rfind(':');
  if (colon != std::string::npos && s.find('/', colon) == std::string::npos) {
    ref.tag = s.substr(colon + 1);
    s.resize(colon);
  }
  if (ref.tag.empty() && ref.digest.empty()) ref.tag = "latest";
  if (ref.registry == "docker.io" && s.find('/') == std::string::npos) s = "library/" + s;
  ref.repository = lower(s);
  ref.valid = !s.empty() && s != "library/";
  if (ref.valid) set_match(ref);
  return ref;
}

std::string ImageRef::familiar() const {
  std::string repo = repository;
  if (registry == "docker.io" && repo.rfind("library/", 0) == 0) repo = repo.substr(8);
  std::string out = registry == "docker.io" ? repo : registry + "/" + repo;
  if (!tag.empty()) out += ":" + tag;
  if (!digest.empty()) out += "@" + digest;
  return out;
}

}  // namespace dockerfix::model
