// The lock file as a knowledge source: reading and writing dockerfix.lock,
// and the knowledge schema's view of what an image told about itself.
#include "dockerfix/lock.h"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>
#include <tuple>

#include <yaml-cpp/yaml.h>

namespace dockerfix::model {

namespace fs = std::filesystem;

const std::vector<std::string>& probed_tools() {
  static const std::vector<std::string> tools = {"addgroup", "adduser", "apk",   "apt-get", "bash",
                                                 "curl",     "dnf",     "groupadd", "microdnf", "pgrep",
                                                 "useradd",  "wget",    "yum"};
  return tools;
}

bool same_facts(const LearnedFacts& a, const LearnedFacts& b) {
  auto user = [](const KnownUser& u) { return std::tie(u.name, u.uid, u.gid, u.home, u.shell); };
  auto group = [](const KnownGroup& g) { return std::tie(g.name, g.gid); };
  return a.config == b.config && a.os_release == b.os_release && a.shell == b.shell && a.busybox == b.busybox &&
         a.tools == b.tools &&
         std::equal(a.users.begin(), a.users.end(), b.users.begin(), b.users.end(),
                    [&](const auto& x, const auto& y) { return user(x) == user(y); }) &&
         std::equal(a.groups.begin(), a.groups.end(), b.groups.begin(), b.groups.end(),
                    [&](const auto& x, const auto& y) { return group(x) == group(y); });
}

std::string lock_key(const ImageRef& ref) {
  ImageRef r = ref;
  if (!r.tag.empty()) r.digest.clear();
  return r.familiar();
}

namespace {

constexpr int kLockVersion = 1;

[[noreturn]] void fail(const std::string& origin, const YAML::Node& node, const std::string& what) {
  throw std::runtime_error(origin + ":" + std::to_string(node.Mark().line + 1) + ": " + what);
}

std::string scalar(const YAML::Node& n, const std::string& origin, const std::string& what) {
  if (!n.IsScalar()) fail(origin, n, what + " must be a string");
  return n.as<std::string>();
}

std::vector<std::string> string_list(const YAML::Node& n, const std::string& origin, const std::string& what) {
  std::vector<std::string> out;
  if (!n || n.IsNull()) return out;
  if (!n.IsSequence()) fail(origin, n, what + " must be a list of strings");
  for (const auto& s : n) out.push_back(scalar(s, origin, what));
  return out;
}

std::map<std::string, std::string> string_map(const YAML::Node& n, const std::string& origin, const std::string& what) {
  std::map<std::string, std::string> out;
  if (!n || n.IsNull()) return out;
  if (!n.IsMap()) fail(origin, n, what + " must be a map of strings");
  for (const auto& kv : n) out[scalar(kv.first, origin, what)] = scalar(kv.second, origin, what);
  return out;
}

std::optional<uint32_t> id_number(const YAML::Node& n, const std::string& origin) {
  if (!n || n.IsNull()) return std::nullopt;
  try {
    return n.as<uint32_t>();
  } catch (const YAML::Exception&) {
    fail(origin, n, "an id must be a number");
  }
}

// Rejects keys the lock does not have: a typo must not pass for a fact.
void known_keys(const YAML::Node& map, std::initializer_list<const char*> keys, const std::string& origin,
                const std::string& what) {
  if (!map.IsMap()) fail(origin, map, what + " must be a map");
  for (const auto& kv : map) {
    auto key = kv.first.as<std::string>();
    if (std::none_of(keys.begin(), keys.end(), [&](const char* k) { return key == k; }))
      fail(origin, kv.first, "unknown " + what + " key '" + key + "'");
  }
}

ImageConfig config_from(const YAML::Node& n, const std::string& origin) {
  ImageConfig c;
  if (!n || n.IsNull()) return c;
  known_keys(n, {"user", "working_dir", "entrypoint", "cmd", "env", "exposed_ports", "healthcheck", "labels"}, origin,
             "config");
  if (n["user"]) c.user = scalar(n["user"], origin, "user");
  if (n["working_dir"]) c.working_dir = scalar(n["working_dir"], origin, "working_dir");
  c.entrypoint = string_list(n["entrypoint"], origin, "entrypoint");
  c.cmd = string_list(n["cmd"], origin, "cmd");
  c.env = string_list(n["env"], origin, "env");
  c.exposed_ports = string_list(n["exposed_ports"], origin, "exposed_ports");
  c.healthcheck = string_list(n["healthcheck"], origin, "healthcheck");
  c.labels = string_map(n["labels"], origin, "labels");
  return c;
}

LockedImage image_from(const std::string& reference, const YAML::Node& n, const std::string& origin) {
  known_keys(n,
             {"digest", "manifest", "platform", "learned_at", "source", "config", "os_release", "shell", "busybox",
              "tools", "users", "groups"},
             origin, "image");
  LockedImage e;
  e.reference = reference;
  for (const char* required : {"digest", "platform"})
    if (!n[required]) fail(origin, n, reference + ": '" + required + "' is missing");
  e.digest = scalar(n["digest"], origin, "digest");
  if (e.digest.rfind("sha256:", 0) != 0 || e.digest.size() != 71) fail(origin, n["digest"], "digest must be sha256:<64 hex>");
  if (n["manifest"]) e.manifest = scalar(n["manifest"], origin, "manifest");
  e.platform = scalar(n["platform"], origin, "platform");
  if (n["learned_at"]) e.learned_at = scalar(n["learned_at"], origin, "learned_at");
  if (n["source"]) e.source = scalar(n["source"], origin, "source");
  LearnedFacts& f = e.facts;
  f.config = config_from(n["config"], origin);
  f.os_release = string_map(n["os_release"], origin, "os_release");
  if (n["shell"] && !n["shell"].IsNull()) f.shell = scalar(n["shell"], origin, "shell");
  if (n["busybox"]) {
    try {
      f.busybox = n["busybox"].as<bool>();
    } catch (const YAML::Exception&) {
      fail(origin, n["busybox"], "busybox must be true or false");
    }
  }
  f.tools = string_map(n["tools"], origin, "tools");
  if (const auto& users = n["users"]; users && !users.IsNull()) {
    if (!users.IsSequence()) fail(origin, users, "users must be a list");
    for (const auto& u : users) {
      known_keys(u, {"name", "uid", "gid", "home", "shell"}, origin, "user");
      KnownUser k;
      k.name = scalar(u["name"], origin, "name");
      k.uid = id_number(u["uid"], origin);
      k.gid = id_number(u["gid"], origin);
      if (u["home"]) k.home = scalar(u["home"], origin, "home");
      if (u["shell"]) k.shell = scalar(u["shell"], origin, "shell");
      f.users.push_back(std::move(k));
    }
  }
  if (const auto& groups = n["groups"]; groups && !groups.IsNull()) {
    if (!groups.IsSequence()) fail(origin, groups, "groups must be a list");
    for (const auto& g : groups) {
      known_keys(g, {"name", "gid"}, origin, "group");
      f.groups.push_back({scalar(g["name"], origin, "name"), id_number(g["gid"], origin)});
    }
  }
  return e;
}

void emit_list(YAML::Emitter& out, const char* key, const std::vector<std::string>& v) {
  if (v.empty()) return;
  out << YAML::Key << key << YAML::Value << YAML::Flow << YAML::BeginSeq;
  for (const auto& s : v) out << s;
  out << YAML::EndSeq;
}

void emit_map(YAML::Emitter& out, const char* key, const std::map<std::string, std::string>& m, bool flow) {
  if (m.empty()) return;
  out << YAML::Key << key << YAML::Value;
  if (flow) out << YAML::Flow;
  out << YAML::BeginMap;
  for (const auto& [k, v] : m) out << YAML::Key << k << YAML::Value << v;
  out << YAML::EndMap;
}

void emit_image(YAML::Emitter& out, const LockedImage& e) {
  const LearnedFacts& f = e.facts;
  // Keys in alphabetical order, so that a reviewer finds each in one place.
  out << YAML::BeginMap;
  out << YAML::Key << "busybox" << YAML::Value << f.busybox;
  const ImageConfig& c = f.config;
  if (!(c == ImageConfig{})) {
    out << YAML::Key << "config" << YAML::Value << YAML::BeginMap;
    emit_list(out, "cmd", c.cmd);
    emit_list(out, "entrypoint", c.entrypoint);
    emit_list(out, "env", c.env);
    emit_list(out, "exposed_ports", c.exposed_ports);
    emit_list(out, "healthcheck", c.healthcheck);
    emit_map(out, "labels", c.labels, false);
    if (!c.user.empty()) out << YAML::Key << "user" << YAML::Value << c.user;
    if (!c.working_dir.empty()) out << YAML::Key << "working_dir" << YAML::Value << c.working_dir;
    out << YAML::EndMap;
  }
  out << YAML::Key << "digest" << YAML::Value << e.digest;
  if (!f.groups.empty()) {
    out << YAML::Key << "groups" << YAML::Value << YAML::BeginSeq;
    for (const auto& g : f.groups) {
      out << YAML::Flow << YAML::BeginMap << YAML::Key << "gid" << YAML::Value;
      if (g.gid) out << *g.gid;
      else out << YAML::Null;
      out << YAML::Key << "name" << YAML::Value << g.name << YAML::EndMap;
    }
    out << YAML::EndSeq;
  }
  if (!e.learned_at.empty()) out << YAML::Key << "learned_at" << YAML::Value << e.learned_at;
  if (!e.manifest.empty()) out << YAML::Key << "manifest" << YAML::Value << e.manifest;
  emit_map(out, "os_release", f.os_release, false);
  out << YAML::Key << "platform" << YAML::Value << e.platform;
  out << YAML::Key << "shell" << YAML::Value;
  if (f.shell) out << *f.shell;
  else out << YAML::Null;
  if (!e.source.empty()) out << YAML::Key << "source" << YAML::Value << e.source;
  emit_map(out, "tools", f.tools, false);
  if (!f.users.empty()) {
    out << YAML::Key << "users" << YAML::Value << YAML::BeginSeq;
    for (const auto& u : f.users) {
      out << YAML::Flow << YAML::BeginMap;
      if (u.gid) out << YAML::Key << "gid" << YAML::Value << *u.gid;
      if (!u.home.empty()) out << YAML::Key << "home" << YAML::Value << u.home;
      out << YAML::Key << "name" << YAML::Value << u.name;
      if (!u.shell.empty()) out << YAML::Key << "shell" << YAML::Value << u.shell;
      if (u.uid) out << YAML::Key << "uid" << YAML::Value << *u.uid;
      out << YAML::EndMap;
    }
    out << YAML::EndSeq;
  }
  out << YAML::EndMap;
}

bool has(const LearnedFacts& f, const std::string& tool) { return f.tools.count(tool) > 0; }

std::string family_of(const LearnedFacts& f) {
  auto get = [&](const char* k) {
    auto it = f.os_release.find(k);
    return it == f.os_release.end() ? std::string() : it->second;
  };
  const std::string id = get("id"), like = get("id_like"), pretty = get("pretty_name");
  if (pretty.find("Distroless") != std::string::npos) return "distroless";
  auto known = [](const std::string& word) -> std::string {
    if (word == "debian" || word == "ubuntu" || word == "alpine" || word == "fedora" || word == "arch" ||
        word == "wolfi")
      return word;
    if (word == "chainguard") return "wolfi";
    if (word == "amzn") return "amazonlinux";
    if (word == "rhel" || word == "centos" || word == "rocky" || word == "almalinux" || word == "ol") return "rhel";
    return {};
  };
  if (auto k = known(id); !k.empty()) return k;
  std::istringstream words(like);
  for (std::string w; words >> w;)
    if (auto k = known(w); !k.empty()) return k == "ubuntu" ? "debian" : k;
  if (!id.empty()) return id;
  if (f.busybox) return "busybox";
  if (!f.shell && f.users.empty() && f.tools.empty()) return "scratch";
  return {};
}

}  // namespace

Lock parse_lock(const std::string& text, const std::string& origin) {
  Lock lock;
  YAML::Node root;
  try {
    root = YAML::Load(text);
    if (!root || root.IsNull()) return lock;
    known_keys(root, {"lock_version", "images"}, origin, "lock");
    if (root["lock_version"]) {
      int v = root["lock_version"].as<int>();
      if (v != kLockVersion)
        fail(origin, root["lock_version"], "lock_version " + std::to_string(v) + " is not one this dockerfix reads (" +
                                               std::to_string(kLockVersion) + ")");
    }
    const YAML::Node& images = root["images"];
    if (!images || images.IsNull()) return lock;
    if (!images.IsMap()) fail(origin, images, "images must be a map from reference to image");
    for (const auto& kv : images) {
      std::string written = scalar(kv.first, origin, "a reference");
      ImageRef ref = parse_image_ref(written);
      if (!ref.valid) fail(origin, kv.first, "'" + written + "' is not an image reference");
      std::string key = lock_key(ref);
      if (lock.images.count(key)) fail(origin, kv.first, "'" + written + "' is locked twice");
      lock.images[key] = image_from(key, kv.second, origin);
    }
  } catch (const YAML::Exception& e) {
    throw std::runtime_error(origin + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg);
  }
  return lock;
}

Lock read_lock(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(path.string() + ": cannot read the lock file");
  std::stringstream ss;
  ss << in.rdbuf();
  return parse_lock(ss.str(), path.string());
}

std::string lock_text(const Lock& lock) {
  YAML::Emitter out;
  out << YAML::BeginMap;
  out << YAML::Key << "images" << YAML::Value;
  if (lock.images.empty()) {
    out << YAML::Flow << YAML::BeginMap << YAML::EndMap;
  } else {
    out << YAML::BeginMap;
    for (const auto& [key, e] : lock.images) {
      out << YAML::Key << key << YAML::Value;
      emit_image(out, e);
    }
    out << YAML::EndMap;
  }
  out << YAML::Key << "lock_version" << YAML::Value << kLockVersion;
  out << YAML::EndMap;
  return "# dockerfix.lock: what `dockerfix images learn` read from each base image (its config and\n"
         "# its files), by the digest its reference had then. Review changes like code;\n"
         "# `dockerfix images learn` rewrites it, `dockerfix images check` reports moved tags.\n" +
         std::string(out.c_str()) + "\n";
}

ImageFacts knowledge_facts(const LockedImage& image) {
  const LearnedFacts& f = image.facts;
  ImageFacts k;
  k.id = "dockerfix.lock " + (image.manifest.empty() ? image.digest : image.manifest).substr(0, 19);
  k.family = family_of(f);
  for (const char* pm : {"apt-get", "apk", "dnf", "microdnf", "yum"})
    if (has(f, pm)) k.package_managers.push_back(pm);
  k.shell = f.shell.has_value();
  for (const auto& u : f.users)
    if (u.uid != 0u) k.users.push_back(u);
  for (const auto& g : f.groups)
    if (g.gid != 0u) k.groups.push_back(g);
  auto busybox_tool = [&](const char* t) {
    auto it = f.tools.find(t);
    return it != f.tools.end() && it->second == "busybox";
  };
  if (!f.shell) k.user_tool = "none";
  else if (has(f, "useradd") && has(f, "groupadd")) k.user_tool = "useradd";
  else if (busybox_tool("adduser") && busybox_tool("addgroup")) k.user_tool = "adduser-busybox";
  else k.user_tool = "none";
  // What learn found on PATH is the whole list: an image without curl has
  // none, whatever its family usually ships (healthcheck picks its probe from it).
  k.tools.emplace();
  for (const auto& [tool, _] : f.tools) k.tools->push_back(tool);
  if (has(f, "wget")) k.wget = busybox_tool("wget") ? "busybox" : "gnu";
  if (busybox_tool("adduser")) k.adduser = "busybox";
  fill_capabilities(k);

  // What the image runs and where, from its config: known, so empty means none.
  k.runtime.entrypoint = f.config.entrypoint;
  k.runtime.cmd = f.config.cmd;
  for (const auto& p : f.config.exposed_ports) {
    // "8080/tcp": the number before the protocol; a malformed one says nothing.
    char* end = nullptr;
    unsigned long port = std::strtoul(p.c_str(), &end, 10);
    if (end != p.c_str() && (*end == '\0' || *end == '/') && port >= 1 && port <= 65535)
      k.runtime.expose.push_back(static_cast<uint32_t>(port));
  }
  if (!f.config.working_dir.empty() && f.config.working_dir[0] == '/' && f.config.working_dir != "/")
    k.runtime.working_dir = f.config.working_dir;
  if (auto it = f.os_release.find("version_codename"); it != f.os_release.end() && !it->second.empty())
    k.runtime.release = it->second;

  // The config's USER, resolved against /etc/passwd as the runtime does.
  std::string spec = f.config.user;
  std::string name = spec.substr(0, spec.find(':'));
  KnownUser d;
  if (name.empty() || name == "root" || name == "0") {
    d.name = "root";
    d.uid = 0;
  } else {
    bool numeric = std::all_of(name.begin(), name.end(), [](unsigned char c) { return std::isdigit(c); });
    d.name = name;
    if (numeric && name.size() < 10) d.uid = static_cast<uint32_t>(std::stoul(name));
    for (const auto& u : f.users)
      if (numeric ? u.uid == d.uid : u.name == name) {
        d.name = u.name;
        d.uid = u.uid;
        d.gid = u.gid;
        d.home = u.home;
        d.shell = u.shell;
        break;
      }
  }
  k.default_user = d;
  k.env = f.config.env;
  // An index's digest differs from the manifest read: the image has other platforms too.
  bool single = !image.manifest.empty() && (image.digest.empty() || image.digest == image.manifest);
  if (single || image.source == "engine-local") k.platform = image.platform;
  k.source = image.reference + "@" + (image.manifest.empty() ? image.digest : image.manifest) + " (" + image.platform +
             (image.learned_at.empty() ? "" : ", learned " + image.learned_at) +
             (image.source.empty() ? "" : " from the " + image.source) + ")";
  return k;
}

KnowledgeBase lock_knowledge(const Lock& lock) {
  // The knowledge file's own schema and loader, so that lock entries and
  // shipped entries are matched the same way.
  YAML::Emitter out;
  out << YAML::BeginMap << YAML::Key << "images" << YAML::Value << YAML::BeginSeq;
  for (const auto& [key, e] : lock.images) {
    ImageRef ref = parse_image_ref(key);
    ImageFacts k = knowledge_facts(e);
    auto user = [&](const KnownUser& u) {
      out << YAML::Flow << YAML::BeginMap << YAML::Key << "name" << YAML::Value << u.name;
      if (u.uid) out << YAML::Key << "uid" << YAML::Value << *u.uid;
      if (u.gid) out << YAML::Key << "gid" << YAML::Value << *u.gid;
      if (!u.home.empty()) out << YAML::Key << "home" << YAML::Value << u.home;
      if (!u.shell.empty()) out << YAML::Key << "shell" << YAML::Value << u.shell;
      out << YAML::EndMap;
    };
    out << YAML::BeginMap;
    out << YAML::Key << "name" << YAML::Value << k.id;
    out << YAML::Key << "match" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "repository" << YAML::Value
        << (ref.registry == "docker.io" ? ref.repository : ref.registry + "/" + ref.repository);
    // A digest-only reference has no tag; the loader compares "" then.
    out << YAML::Key << "tags" << YAML::Value << YAML::Flow << YAML::BeginSeq << ref.tag << YAML::EndSeq;
    out << YAML::EndMap;
    if (!k.family.empty()) out << YAML::Key << "family" << YAML::Value << k.family;
    out << YAML::Key << "package_managers" << YAML::Value << YAML::Flow << YAML::BeginSeq;
    for (const auto& p : k.package_managers) out << p;
    out << YAML::EndSeq;
    out << YAML::Key << "shell" << YAML::Value << (*k.shell ? "true" : "false");
    out << YAML::Key << "user" << YAML::Value;
    user(*k.default_user);
    out << YAML::Key << "users" << YAML::Value << YAML::BeginSeq;
    for (const auto& u : k.users) user(u);
    out << YAML::EndSeq;
    out << YAML::Key << "groups" << YAML::Value << YAML::BeginSeq;
    for (const auto& g : k.groups) {
      out << YAML::Flow << YAML::BeginMap << YAML::Key << "name" << YAML::Value << g.name;
      if (g.gid) out << YAML::Key << "gid" << YAML::Value << *g.gid;
      out << YAML::EndMap;
    }
    out << YAML::EndSeq;
    out << YAML::Key << "user_tool" << YAML::Value << k.user_tool;
    auto list = [&](const char* key, const std::vector<std::string>& items) {
      out << YAML::Key << key << YAML::Value << YAML::Flow << YAML::BeginSeq;
      for (const auto& i : items) out << YAML::DoubleQuoted << i;
      out << YAML::EndSeq;
    };
    list("tools", *k.tools);
    if (!k.wget.empty()) out << YAML::Key << "wget" << YAML::Value << k.wget;
    if (!k.adduser.empty()) out << YAML::Key << "adduser" << YAML::Value << k.adduser;
    list("entrypoint", *k.runtime.entrypoint);
    list("cmd", *k.runtime.cmd);
    out << YAML::Key << "expose" << YAML::Value << YAML::Flow << YAML::BeginSeq;
    for (auto port : k.runtime.expose) out << port;
    out << YAML::EndSeq;
    if (k.runtime.working_dir) out << YAML::Key << "working_dir" << YAML::Value << YAML::DoubleQuoted << *k.runtime.working_dir;
    if (!k.runtime.release.empty()) out << YAML::Key << "release" << YAML::Value << k.runtime.release;
    if (k.env) {
      out << YAML::Key << "env" << YAML::Value << YAML::BeginSeq;
      for (const auto& v : *k.env) out << YAML::DoubleQuoted << v;
      out << YAML::EndSeq;
    }
    if (!k.platform.empty()) out << YAML::Key << "platform" << YAML::Value << k.platform;
    out << YAML::Key << "source" << YAML::Value << k.source;
    out << YAML::EndMap;
  }
  out << YAML::EndSeq << YAML::EndMap;
  return KnowledgeBase::from_yaml(out.c_str(), "dockerfix.lock");
}

const LockedImage* find_locked(const Lock& lock, const ImageRef& ref) {
  if (!ref.valid) return nullptr;
  auto it = lock.images.find(lock_key(ref));
  if (it == lock.images.end()) return nullptr;
  const LockedImage& e = it->second;
  if (!ref.digest.empty() && ref.digest != e.digest && ref.digest != e.manifest) return nullptr;
  return &e;
}

std::optional<std::string> locked_digest(const Lock& lock, const ImageRef& ref) {
  const LockedImage* e = find_locked(lock, ref);
  // A local build's digest is its image ID, which no registry serves.
  if (!e || e->source == "engine-local") return std::nullopt;
  return e->digest;
}

std::optional<fs::path> find_lock(const fs::path& config_file, const fs::path& start) {
  std::error_code ec;
  if (!config_file.empty()) {
    fs::path beside = fs::absolute(config_file, ec).parent_path() / "dockerfix.lock";
    if (fs::is_regular_file(beside, ec)) return beside;
    return std::nullopt;
  }
  fs::path dir = fs::absolute(start, ec);
  for (;;) {
    fs::path candidate = dir / "dockerfix.lock";
    if (fs::is_regular_file(candidate, ec)) return candidate;
    if (!dir.has_parent_path() || dir.parent_path() == dir) return std::nullopt;
    dir = dir.parent_path();
  }
}

fs::path lock_path_for(const fs::path& config_file, const fs::path& start) {
  std::error_code ec;
  if (!config_file.empty()) return fs::absolute(config_file, ec).parent_path() / "dockerfix.lock";
  if (auto found = find_lock({}, start)) return *found;
  return fs::absolute(start, ec) / "dockerfix.lock";
}

std::optional<fs::path> prepend_lock(KnowledgeBase& kb, const fs::path& config_file, const fs::path& start) {
  auto path = find_lock(config_file, start);
  if (!path) return std::nullopt;
  Lock lock = read_lock(*path);
  try {
    kb.prepend(lock_knowledge(lock));
  } catch (const std::exception& e) {
    throw std::runtime_error(path->string() + ": " + e.what());
  }
  return path;
}

}  // namespace dockerfix::model
