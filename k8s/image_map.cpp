#include "k8s/image_map.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <stdexcept>

#include "dockerfix/model.h"

namespace dockerfix::k8s {

const char* to_string(MapMethod m) {
  switch (m) {
    case MapMethod::Config: return "config";
    case MapMethod::Name: return "name";
    case MapMethod::Single: return "single-dockerfile";
    case MapMethod::None: return "none";
  }
  return "";
}

Config parse_config(const YAML::Node& k, const std::string& origin) {
  Config c;
  auto fail = [&](const YAML::Node& at, const std::string& what) {
    throw std::runtime_error(fmt::format("{}:{}: {}", origin, at.Mark().line + 1, what));
  };
  if (!k.IsDefined() || k.IsNull()) return c;
  if (!k.IsMap()) fail(k, "kubernetes: must be a mapping");
  for (auto it = k.begin(); it != k.end(); ++it) {
    std::string key = scalar_of(it->first);
    if (key != "images") fail(it->first, fmt::format("unknown key kubernetes.{} (known: images)", key));
    const YAML::Node images = it->second;  // a copy: it-> is a yaml-cpp proxy temporary
    if (images.IsNull()) continue;
    if (!images.IsMap()) fail(images, "kubernetes.images must map image names to Dockerfiles");
    for (auto i = images.begin(); i != images.end(); ++i) {
      if (!i->second.IsScalar() || i->second.Scalar().empty())
        fail(i->second, fmt::format("kubernetes.images.{} must be a Dockerfile path", scalar_of(i->first)));
      std::string image = scalar_of(i->first);
      if (c.images.count(image)) fail(i->first, fmt::format("kubernetes.images.{} is given twice", image));
      c.images[image] = i->second.Scalar();
    }
  }
  return c;
}

std::string image_name(const std::string& image) {
  model::ImageRef ref = model::parse_image_ref(image);
  if (!ref.valid) {
    std::string s = image.substr(0, image.find('@'));
    auto colon = s.rfind(':');
    if (colon != std::string::npos && s.find('/', colon) == std::string::npos) s = s.substr(0, colon);
    return s;
  }
  std::string repo = ref.repository;
  if (ref.registry == "docker.io") {
    if (repo.rfind("library/", 0) == 0) repo = repo.substr(8);
    return repo;
  }
  return ref.registry + "/" + repo;
}

bool is_public_image(const std::string& image, std::string* why) {
  if (!model::parse_image_ref(image).valid) return false;
  std::string name = image_name(image);
  if (name.empty()) return false;
  auto say = [&](std::string s) {
    if (why) *why = std::move(s);
    return true;
  };
  if (name.find('/') == std::string::npos) return say(fmt::format("{} is a Docker Hub official image", name));
  static const char* prefixes[] = {
      "registry.k8s.io/", "k8s.gcr.io/", "mcr.microsoft.com/", "gcr.io/distroless/", "cgr.dev/chainguard/",
      "public.ecr.aws/docker/library/", "quay.io/prometheus/", "quay.io/jetstack/", "docker.io/bitnami/",
      "bitnami/", "quay.io/coreos/", "ghcr.io/fluxcd/", "quay.io/argoproj/", "docker.elastic.co/",
  };
  for (const char* p : prefixes)
    if (name.rfind(p, 0) == 0) return say(fmt::format("{} is a public image of {}", name, std::string(p, std::strlen(p) - 1)));
  return false;
}

namespace {

bool templated(const std::string& image) { return image.find("{{") != std::string::npos; }

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

// The names a Dockerfile's place gives it: app/Dockerfile -> app,
// Dockerfile.worker -> worker, worker.Dockerfile -> worker; a Dockerfile at
// the root (or in docker/, build/ ...) is named after the repository.
std::vector<std::string> names_of(const std::string& dockerfile, const std::string& repo) {
  std::filesystem::path p(dockerfile);
  std::string file = p.filename().string();
  std::vector<std::string> out;
  std::string lf = lower(file);
  if (lf.rfind("dockerfile.", 0) == 0) out.push_back(lower(file.substr(11)));
  else if (lf.size() > 11 && lf.compare(lf.size() - 11, 11, ".dockerfile") == 0) out.push_back(lower(file.substr(0, file.size() - 11)));
  if (!out.empty()) return out;
  static const char* generic[] = {"docker", "build", "deploy", ".docker", "images", "containers", "dockerfiles", "dockerfile"};
  for (std::filesystem::path dir = p.parent_path(); ; dir = dir.parent_path()) {
    std::string d = lower(dir.filename().string());
    if (d.empty()) {
      out.push_back(lower(repo));
      break;
    }
    if (std::none_of(std::begin(generic), std::end(generic), [&](const char* g) { return d == g; })) {
      out.push_back(d);
      break;
    }
  }
  return out;
}

// 3: the image's last name is the Dockerfile's name; 2: it ends in -name or _name.
int score(const std::string& image, const std::vector<std::string>& names) {
  std::string n = lower(image_name(image));
  std::string last = n.substr(n.rfind('/') == std::string::npos ? 0 : n.rfind('/') + 1);
  int best = 0;
  for (const auto& name : names) {
    if (name.empty()) continue;
    if (last == name) best = std::max(best, 3);
    else if (last.size() > name.size() + 1 && last.compare(last.size() - name.size(), name.size(), name) == 0 &&
             (last[last.size() - name.size() - 1] == '-' || last[last.size() - name.size() - 1] == '_'))
      best = std::max(best, 2);
  }
  return best;
}

// `Dockerfile.claude` builds `agent-broker-claude`, so the `Dockerfile`
// beside it builds `agent-broker`: the unsuffixed image of a family.
void beside_variants(const Inventory& inv, std::vector<ImageMapping>& maps) {
  auto last_of = [&](const ImageMapping& m) {
    std::string n = lower(image_name(inv.workloads[m.workload].containers[m.container].image));
    return n.substr(n.rfind('/') == std::string::npos ? 0 : n.rfind('/') + 1);
  };
  for (auto& m : maps) {
    if (m.method != MapMethod::None || m.public_image) continue;
    std::string last = last_of(m);
    if (last.empty()) continue;
    for (const auto& other : maps) {
      if (other.method != MapMethod::Name) continue;
      std::filesystem::path d(other.dockerfile);
      std::string file = d.filename().string();
      if (lower(file).rfind("dockerfile.", 0) != 0) continue;
      std::string variant = lower(file.substr(11));
      if (last_of(other) != last + "-" + variant && last_of(other) != last + "_" + variant) continue;
      std::string plain = (d.parent_path() / "Dockerfile").generic_string();
      if (std::find(inv.dockerfiles.begin(), inv.dockerfiles.end(), plain) == inv.dockerfiles.end()) continue;
      m.dockerfile = plain;
      m.method = MapMethod::Name;
      m.reason = fmt::format("{} builds the {} variant, so {} builds {}", other.dockerfile, variant, plain, last);
      break;
    }
  }
}

}  // namespace

std::vector<ImageMapping> map_images(const Inventory& inv, const Config& config) {
  std::vector<ImageMapping> out;
  std::string repo = std::filesystem::path(inv.root).lexically_normal().filename().string();
  if (repo.empty()) repo = std::filesystem::path(inv.root).lexically_normal().parent_path().filename().string();
  for (size_t wi = 0; wi < inv.workloads.size(); ++wi) {
    const Workload& w = inv.workloads[wi];
    for (size_t ci = 0; ci < w.containers.size(); ++ci) {
      const Container& c = w.containers[ci];
      ImageMapping m;
      m.workload = wi;
      m.container = ci;
      // The names the image goes by: as written, and kustomize's newName for it.
      std::vector<std::string> images;
      if (!c.image.empty() && !templated(c.image)) images.push_back(c.image);
      if (auto it = inv.image_names.find(image_name(c.image)); !images.empty() && it != inv.image_names.end())
        images.push_back(it->second);
      std::string shown = c.image.empty() ? c.image_text : c.image;
      // 1. kubernetes.images
      for (const auto& img : images) {
        for (const auto& [key, dockerfile] : config.images) {
          if (key == img || image_name(key) == image_name(img)) {
            m.dockerfile = dockerfile;
            m.method = MapMethod::Config;
            m.reason = fmt::format("kubernetes.images maps {} to {}", key, dockerfile);
            break;
          }
        }
        if (!m.dockerfile.empty()) break;
      }
      if (m.method == MapMethod::Config) {
        if (std::find(inv.dockerfiles.begin(), inv.dockerfiles.end(), m.dockerfile) == inv.dockerfiles.end() &&
            !std::filesystem::is_regular_file(inv.root / m.dockerfile)) {
          m.reason += ", but that file does not exist";
          m.dockerfile.clear();
          m.method = MapMethod::None;
        }
        out.push_back(m);
        continue;
      }
      std::string why;
      if (!images.empty() && std::all_of(images.begin(), images.end(), [&](const std::string& i) { return is_public_image(i, &why); })) {
        m.public_image = true;
        m.reason = why + "; not built here";
        out.push_back(m);
        continue;
      }
      if (inv.dockerfiles.empty()) {
        m.reason = "the repository has no Dockerfile";
        out.push_back(m);
        continue;
      }
      // 2. The image's name against the Dockerfiles' places.
      int best = 0;
      std::vector<std::string> at_best;
      for (const auto& d : inv.dockerfiles) {
        int s = 0;
        for (const auto& img : images) s = std::max(s, score(img, names_of(d, repo)));
        if (s > best) best = s, at_best = {d};
        else if (s == best && s > 0) at_best.push_back(d);
      }
      if (best > 0 && at_best.size() == 1) {
        m.dockerfile = at_best[0];
        m.method = MapMethod::Name;
        m.reason = fmt::format("the image {} is named after {}", shown, m.dockerfile);
      } else if (best > 0) {
        std::string list;
        for (const auto& d : at_best) list += (list.empty() ? "" : ", ") + d;
        m.reason = fmt::format("the image {} matches {}; set kubernetes.images to choose", shown, list);
      } else if (inv.dockerfiles.size() == 1) {
        // 3. One Dockerfile: it builds every image that is not someone else's.
        m.dockerfile = inv.dockerfiles[0];
        m.method = MapMethod::Single;
        m.assumed = true;
        m.reason = fmt::format("assumed: {} is the repository's only Dockerfile and {} is not a known public image",
                               m.dockerfile, shown.empty() ? "the image" : shown);
      } else if (images.empty()) {
        m.reason = templated(c.image_text) || !c.image_text.empty()
                       ? fmt::format("the image {} could not be resolved; set kubernetes.images", c.image_text)
                       : "the container names no image";
      } else {
        m.reason = fmt::format("no Dockerfile is named after the image {}; set kubernetes.images", shown);
      }
      out.push_back(m);
    }
  }
  beside_variants(inv, out);
  return out;
}

}  // namespace dockerfix::k8s
