// Reads a base-image knowledge file (schema in data/README.md) and matches
// image references against what it read.
#include <fnmatch.h>

#include <algorithm>
#include <stdexcept>
#include <string_view>

#include <yaml-cpp/yaml.h>

#include "dockerfix/model.h"
#include "model/knowledge_loader.h"
#include "model/knowledge_runtime.h"

namespace dockerfix::model {

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
        else if (mk == "max_version") e->max_version = m.second.as<std::string>();
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
    else if (key == "wget") e->facts.wget = v.as<std::string>();
    else if (key == "adduser") e->facts.adduser = v.as<std::string>();
    else if (key == "tools") e->facts.tools = strings(v, origin, "tools");
    else if (key == "apt_release") e->facts.apt_release = v.as<std::string>();
    else if (key == "env") e->facts.env = strings(v, origin, "env");
    else if (key == "platform") e->facts.platform = v.as<std::string>();
    else if (key == "source" || key == "sources") {
      auto s = strings(v, origin, "source");
      for (size_t i = 0; i < s.size(); ++i) e->facts.source += (i ? " " : "") + s[i];
    } else if (key == "notes" || key == "note") {
      continue;
    } else if (read_runtime_key(key, v, e->facts.runtime, origin)) {
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

Families families_from(const YAML::Node& root, const std::string& origin) {
  Families out;
  YAML::Node fam = root.IsMap() ? root["families"] : YAML::Node();
  if (!fam) return out;
  if (!fam.IsMap()) fail(origin, fam, "'families' must be a map from family to its capabilities");
  for (const auto& kv : fam) {
    Capabilities c;
    for (const auto& f : kv.second) {
      auto key = f.first.as<std::string>();
      if (key == "wget") c.wget = f.second.as<std::string>();
      else if (key == "adduser") c.adduser = f.second.as<std::string>();
      else if (key == "apt_release") c.apt_release = f.second.as<std::string>();
      else if (key == "tools") c.tools = strings(f.second, origin, "tools");
      else fail(origin, f.first, "unknown family key '" + key + "'");
    }
    out[kv.first.as<std::string>()] = c;
  }
  return out;
}

}  // namespace

// The bytes before the pattern's first special char are compared one by one
// as they are read (most entries differ from the image in the first few).
bool glob_match(const std::string& pattern, const std::string& s) {
  const char* p = pattern.c_str();
  const char* t = s.c_str();
  for (size_t i = 0;; ++i) {
    const char c = p[i];
    if (c == '\0') return t[i] == '\0';
    if (c == '*' || c == '?' || c == '[' || c == '\\') return fnmatch(p, t, 0) == 0;
    if (c != t[i]) return false;
  }
}

bool ImageFacts::has_tool(std::string_view program) const {
  return tools && std::find(tools->begin(), tools->end(), program) != tools->end();
}

void fill_capabilities(ImageFacts& facts, const Families& families) {
  if (facts.adduser.empty() && facts.user_tool == "adduser-busybox") facts.adduser = "busybox";
  auto it = families.find(facts.family);
  if (it == families.end()) return;
  const Capabilities& c = it->second;
  if (facts.wget.empty()) facts.wget = c.wget;
  if (facts.adduser.empty()) facts.adduser = c.adduser;
  if (facts.apt_release.empty()) facts.apt_release = c.apt_release;
  if (!facts.tools) facts.tools = c.tools;
}

Knowledge read_knowledge(const std::string& text, const std::string& origin, const Families& defaults) {
  Knowledge k;
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    throw std::runtime_error(origin + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg);
  }
  YAML::Node images = root.IsMap() ? root["images"] : root;
  if (!images || !images.IsSequence()) throw std::runtime_error(origin + ": expected a list under 'images'");
  try {
    k.families = families_from(root, origin);
    Families families = k.families;
    families.insert(defaults.begin(), defaults.end());  // this file's win
    auto& entries = KnowledgeAccess::entries(k.base);
    for (const auto& n : images) {
      entries.push_back(entry_from(n, origin));
      fill_capabilities(entries.back()->facts, families);
    }
    if (root.IsMap() && root["releases"]) KnowledgeAccess::releases(k.base) = read_releases(root["releases"], origin);
  } catch (const YAML::Exception& e) {
    throw std::runtime_error(origin + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg);
  }
  return k;
}

void KnowledgeBase::prepend(const KnowledgeBase& overrides) {
  entries_.insert(entries_.begin(), overrides.entries_.begin(), overrides.entries_.end());
  releases_.insert(releases_.begin(), overrides.releases_.begin(), overrides.releases_.end());
}

const ImageFacts* KnowledgeBase::lookup(const ImageRef& ref) const {
  if (!ref.valid) return nullptr;
  const std::string key = ref_key(ref);
  // arm32v7/node and Hub mirrors match as the library image they stand for.
  const std::string& alias = ref.match_repository;
  for (const auto& e : entries_) {
    bool repo = false;
    for (const auto& r : e->repositories) repo = repo || glob_match(r, key) || (!alias.empty() && glob_match(r, alias));
    if (!repo) continue;
    if (!e->tags.empty()) {
      bool tag = false;
      for (const auto& t : e->tags) tag = tag || glob_match(t, ref.tag);
      if (!tag) continue;
    }
    bool excluded = false;
    for (const auto& t : e->exclude_tags) excluded = excluded || glob_match(t, ref.tag);
    if (excluded) continue;
    if (e->min_version) {
      auto have = version_prefix(ref.tag);
      auto want = version_prefix(*e->min_version);
      if (!have || !want || *have < *want) continue;
    }
    if (e->max_version) {
      auto have = version_prefix(ref.tag);
      auto most = version_prefix(*e->max_version);
      if (!have || !most) continue;
      if (have->size() > most->size()) have->resize(most->size());
      if (*have > *most) continue;
    }
    return &e->facts;
  }
  return nullptr;
}

std::optional<ReleaseMatch> KnowledgeBase::release_of(const ImageRef& ref, const ImageFacts* facts) const {
  if (!facts || (facts->family != "debian" && facts->family != "ubuntu")) return std::nullopt;
  // A codename anywhere in the tag: python:3.12-slim-bookworm, ubuntu:jammy-20240111.
  std::string token;
  for (size_t i = 0; i <= ref.tag.size(); ++i) {
    char c = i < ref.tag.size() ? ref.tag[i] : '-';
    if (std::isalpha(static_cast<unsigned char>(c))) {
      token += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      continue;
    }
    for (const auto& r : releases_)
      if (!token.empty() && r.name == token) return ReleaseMatch{r, "the tag " + ref.tag + " names " + r.name};
    token.clear();
  }
  if (facts->runtime.release_from_version) {
    if (auto have = version_prefix(ref.tag))
      for (const auto& r : releases_) {
        auto want = version_prefix(r.version);
        if (r.family == facts->family && want && have->size() >= want->size() &&
            std::equal(want->begin(), want->end(), have->begin()))
          return ReleaseMatch{r, ref.familiar() + " is " + r.family + " " + r.version + " (" + r.name + ")"};
      }
  }
  if (!facts->runtime.release.empty())
    for (const auto& r : releases_)
      if (r.name == facts->runtime.release)
        return ReleaseMatch{r, "every " + facts->id + " tag is built on " + r.name};
  return std::nullopt;
}

}  // namespace dockerfix::model
