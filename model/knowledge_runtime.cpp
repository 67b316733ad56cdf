// Runtime facts of knowledge entries (entrypoint, cmd, drops_privileges,
// expose, volumes, writes, release, apt_retries_default) and the OS releases.
#include "model/knowledge_runtime.h"

#include <stdexcept>

namespace dockerfix::model {

namespace {

[[noreturn]] void fail(const std::string& origin, const YAML::Node& node, const std::string& what) {
  throw std::runtime_error(origin + ":" + std::to_string(node.Mark().line + 1) + ": " + what);
}

std::vector<std::string> string_list(const YAML::Node& n, const std::string& origin, const std::string& key) {
  if (n.IsNull()) return {};
  if (!n.IsSequence()) fail(origin, n, key + " must be a list (exec form: [\"nginx\", \"-g\", \"daemon off;\"])");
  std::vector<std::string> out;
  for (const auto& s : n) out.push_back(s.as<std::string>());
  return out;
}

std::vector<int> parts(const std::string& v) {
  std::vector<int> out;
  size_t i = 0;
  while (i < v.size() && std::isdigit(static_cast<unsigned char>(v[i]))) {
    int n = 0;
    while (i < v.size() && std::isdigit(static_cast<unsigned char>(v[i])) && n < 100000000) n = n * 10 + (v[i++] - '0');
    out.push_back(n);
    if (i < v.size() && v[i] == '.') ++i;
    else break;
  }
  return out;
}

}  // namespace

bool version_less(const std::string& a, const std::string& b) { return parts(a) < parts(b); }

int OsRelease::apt_retries_default() const { return version_less(apt, "2.3.2") ? 0 : 3; }

bool read_runtime_key(const std::string& key, const YAML::Node& v, ImageRuntime& out, const std::string& origin) {
  if (key == "entrypoint") {
    out.entrypoint = string_list(v, origin, key);
  } else if (key == "cmd") {
    out.cmd = string_list(v, origin, key);
  } else if (key == "drops_privileges") {
    if (!v.IsMap() || !v["how"] || !v["source"])
      fail(origin, v, "drops_privileges must be a map with how, source (and optionally user)");
    KnownPrivilegeDrop d;
    for (const auto& kv : v) {
      auto k = kv.first.as<std::string>();
      if (k == "how") d.how = kv.second.as<std::string>();
      else if (k == "user") d.user = kv.second.as<std::string>();
      else if (k == "source") d.source = kv.second.as<std::string>();
      else fail(origin, kv.first, "unknown drops_privileges key '" + k + "'");
    }
    out.drops_privileges = d;
  } else if (key == "expose") {
    if (!v.IsSequence()) fail(origin, v, "expose must be a list of port numbers");
    for (const auto& p : v) {
      auto port = p.as<uint32_t>();
      if (port == 0 || port > 65535) fail(origin, p, "expose: a port is 1-65535");
      out.expose.push_back(port);
    }
  } else if (key == "volumes") {
    out.volumes = string_list(v, origin, key);
  } else if (key == "writes") {
    out.writes = string_list(v, origin, key);
  } else if (key == "working_dir") {
    auto dir = v.as<std::string>();
    if (dir.empty() || dir[0] != '/') fail(origin, v, "working_dir must be an absolute path");
    out.working_dir = dir;
  } else if (key == "release") {
    out.release = v.as<std::string>();
  } else if (key == "release_from_version") {
    out.release_from_version = v.as<bool>();
  } else if (key == "apt_retries_default") {
    out.apt_retries_default = v.as<int>();
  } else {
    return false;
  }
  return true;
}

std::vector<OsRelease> read_releases(const YAML::Node& list, const std::string& origin) {
  if (!list.IsSequence()) fail(origin, list, "releases must be a list");
  std::vector<OsRelease> out;
  for (const auto& n : list) {
    if (!n.IsMap()) fail(origin, n, "a release must be a map with name, family, version, apt, source");
    OsRelease r;
    for (const auto& kv : n) {
      auto k = kv.first.as<std::string>();
      if (k == "name") r.name = kv.second.as<std::string>();
      else if (k == "family") r.family = kv.second.as<std::string>();
      else if (k == "version") r.version = kv.second.as<std::string>();
      else if (k == "apt") r.apt = kv.second.as<std::string>();
      else if (k == "source") r.source = kv.second.as<std::string>();
      else fail(origin, kv.first, "unknown release key '" + k + "'");
    }
    if (r.name.empty() || r.family.empty() || r.apt.empty()) fail(origin, n, "a release needs name, family and apt");
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace dockerfix::model
