// Loads the base-image knowledge file (data/base-images.yaml; schema in
// data/README.md) and matches image references against it.
#include <fnmatch.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

#include <yaml-cpp/yaml.h>

#include "dockerfix/model.h"

namespace dockerfix::model {

struct KnowledgeBase::Entry {
  std::vector<std::string> repositories;  // normalised: "library/node", "gcr.io/distroless/static-debian12"
  std::vector<std::string> tags;          // globs; empty: any tag
  std::vector<std::string> exclude_tags;  // globs
  std::optional<std::string> min_version; // tag's leading version must be >= this ("24.04")
  ImageFacts facts;
};

namespace {

// The same normalisation parse_image_ref applies, for patterns.
std::string normalize_repository(std::string p) {
  if (p.rfind("docker.io/", 0) == 0) p = p.substr(10);
  auto slash = p.find('/');
  std::string first = p.substr(0, slash);
  bool has_registry = slash != std::string::npos &&
                      (first.find('.') != std::string::npos || first.find(':') != std::string::npos || first == "localhost");
  if (!has_registry && slash == std::string::npos) p = "library/" + p;
  return p;
}

std::string ref_key(const ImageRef& ref) {
  return ref.registry == "docker.io" ? ref.repository : ref.registry + "/" + ref.repository;
}

bool glob(const std::string& pattern, const std::string& s) { return fnmatch(pattern.c_str(), s.c_str(), 0) == 0; }

// Compares dotted numeric prefixes: "24.04" vs "22.10"; tags without a
// numeric prefix (codenames) never satisfy a minimum unless listed by name.
std::optional<std::vector<int>> version_prefix(const std::string& tag) {
  std::vector<int> parts;
  size_t i = 0;
  while (i < tag.size() && std::isdigit(static_cast<unsigned char>(tag[i]))) {
    size_t b = i;
    while (i < tag.size() && std::isdigit(static_cast<unsigned char>(tag[i]))) ++i;
    if (i - b > 8) return std::nullopt;
    parts.push_back(std::stoi(tag.substr(b, i - b)));
    if (i < tag.size() && tag[i] == '.') ++i;
    else break;
  }
  if (parts.empty()) return std::nullopt;
  return parts;
}

[[noreturn]] void fail(const std::string& origin, const YAML::Node& node, const std::string& what) {
  throw std::runtime_error(origin + ":" + std::to_string(node.Mark().line + 1) + ": " + what);
}

std::vector<std::string> strings(const YAML::Node& n, const std::string& origin, const char* what) {
  std::vector<std::string> out;
  if (!n) return out;
  if (n.IsScalar()) return {n.as<std::string>()};
  if (!n.IsSequence()) fail(origin, n, std::string(what) + " must be a string or a list of strings");
  for (const auto& s : n) out.push_back(s.as<std::string>());
  return out;
}

std::optional<uint32_t> opt_uint(const YAML::Node& n) {
  if (!n || n.IsNull()) return std::nullopt;
  return n.as<uint32_t>();
}

KnownUser user_from(const YAML::Node& n, const std::string& origin) {
  if (!n.IsMap()) fail(origin, n, "a user must be a map with name, uid, gid, home, shell");
  KnownUser u;
  for (const auto& kv : n) {
    auto key = kv.first.as<std::string>();
    if (key == "name") u.name = kv.second.as<std::string>();
    else if (key == "uid") u.uid = opt_uint(kv.second);
    else if (key == "gid") u.gid = opt_uint(kv.second);
    else if (key == "home") u.home = kv.second.as<std::string>();
    else if (key == "shell") u.shell = kv.second.as<std::string>();
    else fail(origin, kv.first, "unknown user key '" + key + "'");
  }
  return u;
}

std::shared_ptr<KnowledgeBase::Entry> entry_from(const YAML::Node& n, const std::string& origin) {
  if (!n.IsMap()) fail(origin, n, "each image entry must be a map");
  auto e = std::make_shared<KnowledgeBase::Entry>();
  for (const auto& kv : n) {
    auto key = kv.first.as<std::string>();
    const YAML::Node& v = kv.second;
    if (key == "name") e->facts.id = v.as<std::string>();
    else if (key == "match") {
      if (v.IsScalar() || v.IsSequence()) {
        for (auto& r : strings(v, origin, "match")) e->repositories.push_back(normalize_repository(r));
        continue;
      }
      for (const auto& m : v) {
        auto mk = m.first.as<std::string>();
        if (mk == "repository" || mk == "repositories")
          for (auto& r : strings(m.second, origin, "repository")) e->repositories.push_back(normalize_repository(r));
        else if (mk == "tags") e->tags = strings(m.second, origin, "tags");
        else if (mk == "exclude_tags") e->exclude_tags = strings(m.second, origin, "exclude_tags");
        else if (mk == "min_version") e->min_version = m.second.as<std::string>();
        else fail(origin, m.first, "unknown match key '" + mk + "'");
      }
    } else if (key == "family") e->facts.family = v.as<std::string>();
    else if (key == "package_manager" || key == "package_managers") {
      for (auto& p : strings(v, origin, key.c_str()))
        if (p != "none") e->facts.package_managers.push_back(p);
    } else if (key == "shell") {
      if (v.IsNull()) continue;
      std::string s = v.as<std::string>();
      e->facts.shell = !(s == "false" || s == "no" || s == "none");
    } else if (key == "user") e->facts.default_user = user_from(v, origin);
    else if (key == "users") {
      for (const auto& u : v) e->facts.users.push_back(user_from(u, origin));
    } else if (key == "groups") {
      for (const auto& g : v) e->facts.groups.push_back({g["name"].as<std::string>(), opt_uint(g["gid"])});
    } else if (key == "useradd" || key == "user_tool") e->facts.user_tool = v.as<std::string>();
    else if (key == "source" || key == "sources") {
      auto s = strings(v, origin, "source");
      for (size_t i = 0; i < s.size(); ++i) e->facts.source += (i ? " " : "") + s[i];
    } else if (key == "notes" || key == "note") {
      continue;
    } else {
      fail(origin, kv.first, "unknown image key '" + key + "'");
    }
  }
  if (e->repositories.empty()) fail(origin, n, "an image entry needs match repositories");
  if (e->facts.id.empty()) e->facts.id = e->repositories.front();
  // The default user is also a user that exists.
  if (e->facts.default_user) {
    const auto& d = *e->facts.default_user;
    bool listed = false;
    for (auto& u : e->facts.users)
      if (u.name == d.name) {
        listed = true;
        if (!e->facts.default_user->uid) e->facts.default_user->uid = u.uid;
      }
    if (!listed && d.name != "root") e->facts.users.push_back(d);
  }
  return e;
}

}  // namespace

KnowledgeBase KnowledgeBase::from_yaml(const std::string& text, const std::string& origin) {
  KnowledgeBase kb;
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    throw std::runtime_error(origin + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg);
  }
  YAML::Node images = root.IsMap() ? root["images"] : root;
  if (!images || !images.IsSequence()) throw std::runtime_error(origin + ": expected a list under 'images'");
  try {
    for (const auto& n : images) kb.entries_.push_back(entry_from(n, origin));
  } catch (const YAML::Exception& e) {
    throw std::runtime_error(origin + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg);
  }
  return kb;
}

KnowledgeBase KnowledgeBase::from_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(path.string() + ": cannot read the base-image knowledge file");
  std::stringstream ss;
  ss << in.rdbuf();
  return from_yaml(ss.str(), path.string());
}

const KnowledgeBase& KnowledgeBase::builtin() {
  static const KnowledgeBase kb = [] {
    if (const char* env = std::getenv("DOCKERFIX_DATA_DIR"); env && *env) return from_file(std::filesystem::path(env) / "base-images.yaml");
    return from_file(std::filesystem::path(DOCKERFIX_DATA_DIR) / "base-images.yaml");
  }();
  return kb;
}

void KnowledgeBase::prepend(const KnowledgeBase& overrides) {
  entries_.insert(entries_.begin(), overrides.entries_.begin(), overrides.entries_.end());
}

const ImageFacts* KnowledgeBase::lookup(const ImageRef& ref) const {
  if (!ref.valid) return nullptr;
  const std::string key = ref_key(ref);
  for (const auto& e : entries_) {
    bool repo = false;
    for (const auto& r : e->repositories) repo = repo || glob(r, key);
    if (!repo) continue;
    if (!e->tags.empty()) {
      bool tag = false;
      for (const auto& t : e->tags) tag = tag || glob(t, ref.tag);
      if (!tag) continue;
    }
    bool excluded = false;
    for (const auto& t : e->exclude_tags) excluded = excluded || glob(t, ref.tag);
    if (excluded) continue;
    if (e->min_version) {
      auto have = version_prefix(ref.tag);
      auto want = version_prefix(*e->min_version);
      if (!have || !want || *have < *want) continue;
    }
    return &e->facts;
  }
  return nullptr;
}

}  // namespace dockerfix::model
