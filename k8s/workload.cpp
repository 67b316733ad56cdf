#include "k8s/workload.h"

#include <charconv>
#include <map>

namespace dockerfix::k8s {

const char* to_string(Origin o) {
  switch (o) {
    case Origin::Manifest: return "manifest";
    case Origin::Values: return "values";
    case Origin::Template: return "template";
    case Origin::Rendered: return "rendered";
  }
  return "";
}

std::optional<bool> Field::as_bool() const {
  // sigs.k8s.io/yaml reads YAML 1.1 booleans.
  for (const char* t : {"true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON"})
    if (value == t) return true;
  for (const char* f : {"false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF"})
    if (value == f) return false;
  return std::nullopt;
}

std::optional<int64_t> Field::as_int() const {
  int64_t v = 0;
  const char* b = value.data();
  const char* e = b + value.size();
  if (b != e && *b == '+') ++b;
  auto [p, ec] = std::from_chars(b, e, v);
  if (ec != std::errc() || p != e) return std::nullopt;
  return v;
}

SecurityContext effective(const Workload& w, const Container& c) {
  SecurityContext s;
  auto pick = [](const std::optional<Field>& own, const std::optional<Field>& pod) { return own ? own : pod; };
  s.run_as_non_root = pick(c.own.run_as_non_root, w.pod.run_as_non_root);
  s.run_as_user = pick(c.own.run_as_user, w.pod.run_as_user);
  s.run_as_group = pick(c.own.run_as_group, w.pod.run_as_group);
  s.fs_group = w.pod.fs_group;
  s.allow_privilege_escalation = c.own.allow_privilege_escalation;
  s.privileged = c.own.privileged;
  s.drop = c.own.drop;
  return s;
}

const Path* pod_spec_path(const std::string& kind) {
  static const std::map<std::string, Path> paths = {
      {"Pod", {"spec"}},
      {"Deployment", {"spec", "template", "spec"}},
      {"StatefulSet", {"spec", "template", "spec"}},
      {"DaemonSet", {"spec", "template", "spec"}},
      {"ReplicaSet", {"spec", "template", "spec"}},
      {"ReplicationController", {"spec", "template", "spec"}},
      {"Job", {"spec", "template", "spec"}},
      {"CronJob", {"spec", "jobTemplate", "spec", "template", "spec"}},
  };
  auto it = paths.find(kind);
  return it == paths.end() ? nullptr : &it->second;
}

namespace {

Path plus(Path p, PathElem e) {
  p.push_back(std::move(e));
  return p;
}

struct Reader {
  const YamlFile& f;
  size_t doc;
  int file_index;
  Origin origin;

  std::optional<Field> field(const Path& map_path, const std::string& key, Level level) {
    YAML::Node map = f.at(doc, map_path);
    YAML::Node k, v;
    if (!find_entry(map, key, k, v) || !(v.IsScalar() || v.IsSequence())) return std::nullopt;
    bool flow = f.in_flow(doc, plus(map_path, key));
    auto [b, e] = f.entry(k, v, flow);
    Field out;
    out.where = f.location(b, e);
    out.level = level;
    out.origin = origin;
    out.file = file_index;
    out.document = doc;
    out.path = plus(map_path, key);
    if (v.IsScalar()) {
      out.value = v.Scalar();
    } else {
      for (const auto& i : v) {
        out.items.push_back(scalar_of(i));
        out.value += (out.value.empty() ? "" : ",") + scalar_of(i);
      }
    }
    return out;
  }

  SecurityContext security(const Path& sc, Level level) {
    SecurityContext s;
    s.run_as_non_root = field(sc, "runAsNonRoot", level);
    s.run_as_user = field(sc, "runAsUser", level);
    s.run_as_group = field(sc, "runAsGroup", level);
    if (level == Level::Pod) {
      s.fs_group = field(sc, "fsGroup", level);
    } else {
      s.allow_privilege_escalation = field(sc, "allowPrivilegeEscalation", level);
      s.privileged = field(sc, "privileged", level);
      s.drop = field(plus(sc, "capabilities"), "drop", level);
    }
    return s;
  }

  // A securityContext mapping, or the place where it would be created.
  Target target(const Path& owner, Origin o) {
    Target t;
    t.file = file_index;
    t.document = doc;
    t.path = plus(owner, "securityContext");
    t.origin = o;
    YAML::Node k, v;
    YAML::Node owner_node = f.at(doc, owner);
    if (find_entry(owner_node, "securityContext", k, v)) {
      auto [b, e] = f.entry(k, v);
      t.near = f.location(b, e);
    } else if (owner_node.IsMap() && owner_node.size() > 0) {
      auto [b, e] = f.entry(owner_node.begin()->first, owner_node.begin()->second);
      t.near = f.location(b, e);
    }
    if (file_index < 0) t.why_not = "the manifest is not a file of the repository";
    return t;
  }

  Location key_location(const Path& map_path, const std::string& key) {
    YAML::Node k, v;
    if (!find_entry(f.at(doc, map_path), key, k, v)) return f.location(0, 0);
    auto [b, e] = f.entry(k, v);
    return f.location(b, e);
  }

  void read(const Path& base, std::vector<Workload>& out) {
    YAML::Node root = f.at(doc, base);
    if (!root.IsMap()) return;
    std::string kind = scalar_of(get(root, "kind"));
    if (kind == "List") {
      YAML::Node items = get(root, "items");
      if (items.IsSequence())
        for (size_t i = 0; i < items.size(); ++i) read(plus(plus(base, "items"), i), out);
      return;
    }
    const Path* spec = pod_spec_path(kind);
    if (!spec || scalar_of(get(root, "apiVersion")).empty()) return;
    Path pod = base;
    pod.insert(pod.end(), spec->begin(), spec->end());
    if (!f.at(doc, pod).IsMap()) return;
    Workload w;
    w.kind = kind;
    w.name = scalar_of(f.at(doc, plus(plus(base, "metadata"), "name")));
    w.file = f.path;
    w.where = key_location(base, "kind");
    w.document = doc;
    w.pod_path = pod;
    w.pod = security(plus(pod, "securityContext"), Level::Pod);
    w.pod_target = target(pod, origin);
    YAML::Node claims = f.at(doc, plus(plus(base, "spec"), "volumeClaimTemplates"));
    w.volume_claims = claims.IsSequence() && claims.size() > 0;
    YAML::Node volumes = f.at(doc, plus(pod, "volumes"));
    if (volumes.IsSequence())
      for (const auto& v : volumes)
        if (v.IsMap() && get(v, "persistentVolumeClaim")) w.volume_claims = true;
    for (const char* list : {"containers", "initContainers"}) {
      Path lp = plus(pod, std::string(list));
      YAML::Node items = f.at(doc, lp);
      if (!items.IsSequence()) continue;
      for (size_t i = 0; i < items.size(); ++i) {
        Path cp = plus(lp, i);
        YAML::Node c = f.at(doc, cp);
        if (!c.IsMap() || c.size() == 0) continue;
        Container con;
        con.name = scalar_of(get(c, "name"));
        con.image_text = scalar_of(get(c, "image"));
        con.image = con.image_text;
        con.init = std::string(list) == "initContainers";
        auto [b, e] = f.entry(c.begin()->first, c.begin()->second);
        con.where = f.location(b, e);
        con.path = cp;
        con.own = security(plus(cp, "securityContext"), Level::Container);
        con.target = target(cp, origin);
        w.containers.push_back(std::move(con));
      }
    }
    out.push_back(std::move(w));
  }
};

}  // namespace

SecurityContext read_security(const YamlFile& file, size_t document, const Path& path, Level level, Origin origin,
                              int file_index) {
  return Reader{file, document, file_index, origin}.security(path, level);
}

std::vector<Workload> read_workloads(const YamlFile& file, size_t document, int file_index, Origin origin) {
  std::vector<Workload> out;
  Reader{file, document, file_index, origin}.read({}, out);
  return out;
}

}  // namespace dockerfix::k8s
