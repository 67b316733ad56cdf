#include "k8s/inventory.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "k8s/files.h"

namespace dockerfix::k8s {

namespace {

bool ends_with(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string dir_of(const std::string& path) {
  auto slash = path.rfind('/');
  return slash == std::string::npos ? "." : path.substr(0, slash);
}

std::string join(const std::string& dir, const std::string& rel) {
  std::filesystem::path p = dir == "." ? std::filesystem::path(rel) : std::filesystem::path(dir) / rel;
  return p.lexically_normal().generic_string();
}

bool has_key(const YAML::Node& n, const std::string& key) {
  if (n.IsMap()) {
    for (auto it = n.begin(); it != n.end(); ++it)
      if (scalar_of(it->first) == key || has_key(it->second, key)) return true;
  } else if (n.IsSequence()) {
    for (const auto& i : n)
      if (has_key(i, key)) return true;
  }
  return false;
}

// A line `apiVersion:` and a line `kind:` at the start of a line.
bool looks_like_manifest(const std::string& text) {
  auto at_line_start = [&](std::string_view key) {
    for (size_t p = text.find(key); p != std::string::npos; p = text.find(key, p + 1))
      if (p == 0 || text[p - 1] == '\n') return true;
    return false;
  };
  return at_line_start("apiVersion:") && at_line_start("kind:");
}

// Files a kustomization names as patches, and its image renames.
void read_kustomization(const YamlFile& k, std::set<std::string>& patches, std::map<std::string, std::string>& names) {
  if (k.documents.empty() || !k.documents[0].IsMap()) return;
  const YAML::Node& d = k.documents[0];
  std::string dir = dir_of(k.path);
  for (const char* key : {"patchesStrategicMerge", "patches", "patchesJson6902"}) {
    YAML::Node list = get(d, key);
    if (!list.IsSequence()) continue;
    for (const auto& item : list) {
      std::string p = item.IsScalar() ? item.Scalar() : item.IsMap() ? scalar_of(get(item, "path")) : "";
      if (!p.empty()) patches.insert(join(dir, p));
    }
  }
  YAML::Node images = get(d, "images");
  if (images.IsSequence())
    for (const auto& i : images)
      if (i.IsMap() && !scalar_of(get(i, "name")).empty() && !scalar_of(get(i, "newName")).empty())
        names[scalar_of(get(i, "name"))] = scalar_of(get(i, "newName"));
}

}  // namespace

bool is_dockerfile_name(const std::string& f) {
  return f == "Dockerfile" || f == "Containerfile" || f == "dockerfile" || f.rfind("Dockerfile.", 0) == 0 ||
         ends_with(f, ".Dockerfile") || ends_with(f, ".dockerfile");
}

int Inventory::file_index(const std::string& path) const {
  for (size_t i = 0; i < files.size(); ++i)
    if (files[i].path == path) return static_cast<int>(i);
  return -1;
}

bool Inventory::sets_run_as_user() const {
  for (const auto& f : files)
    for (const auto& d : f.documents)
      if (has_key(d, "runAsUser")) return true;
  return false;
}

Inventory scan(const std::filesystem::path& root, const ScanOptions& options) {
  Inventory inv;
  inv.root = root;
  std::vector<std::string> all = options.files.empty() ? list_files(root, ".") : options.files;
  std::sort(all.begin(), all.end());
  std::vector<std::string> chart_dirs;
  for (const auto& f : all) {
    std::string name = f.substr(f.rfind('/') == std::string::npos ? 0 : f.rfind('/') + 1);
    if (name == "Chart.yaml") chart_dirs.push_back(dir_of(f));
    if (is_dockerfile_name(name)) inv.dockerfiles.push_back(f);
  }
  auto in_chart = [&](const std::string& f) {
    return std::any_of(chart_dirs.begin(), chart_dirs.end(),
                       [&](const std::string& d) { return d == "." || f.rfind(d + "/", 0) == 0; });
  };
  // Kustomizations first: their patches are partial documents, not workloads.
  std::set<std::string> patches;
  std::vector<std::string> manifests;
  for (const auto& f : all) {
    if (!(ends_with(f, ".yaml") || ends_with(f, ".yml")) || in_chart(f)) continue;
    std::string name = f.substr(f.rfind('/') == std::string::npos ? 0 : f.rfind('/') + 1);
    if (name == "kustomization.yaml" || name == "kustomization.yml" || name == "Kustomization") {
      if (auto text = read_text(root / f)) {
        YamlFile k = YamlFile::parse(f, *text);
        if (!k.error.empty()) inv.problems.push_back(Problem{f, k.error_line, k.error_column, k.error});
        else read_kustomization(k, patches, inv.image_names);
      }
      continue;
    }
    manifests.push_back(f);
  }
  for (const auto& f : manifests) {
    if (patches.count(f)) {
      inv.notes.push_back(fmt::format("{}: a kustomize patch; checked only through the base it patches", f));
      continue;
    }
    auto text = read_text(root / f);
    if (!text || text->find("kind:") == std::string::npos) continue;
    YamlFile y = YamlFile::parse(f, std::move(*text));
    if (!y.error.empty()) {
      if (!looks_like_manifest(y.text)) continue;
      if (y.text.find("{{") != std::string::npos)
        inv.notes.push_back(fmt::format("{}: a template outside a Helm chart; not read", f));
      else
        inv.problems.push_back(Problem{f, y.error_line, y.error_column, y.error});
      continue;
    }
    int index = static_cast<int>(inv.files.size());
    std::vector<Workload> found;
    for (size_t d = 0; d < y.documents.size(); ++d)
      for (auto& w : read_workloads(y, d, index, Origin::Manifest)) found.push_back(std::move(w));
    if (found.empty()) continue;
    inv.files.push_back(std::move(y));
    for (auto& w : found) inv.workloads.push_back(std::move(w));
  }
  for (const auto& dir : chart_dirs) {
    ChartResult r = read_chart(root, dir, inv.files, options.helm);
    if (!r.chart.rendered && !r.chart.render_note.empty())
      inv.notes.push_back(fmt::format("{}: values and templates read as written ({})", dir, r.chart.render_note));
    inv.charts.push_back(std::move(r.chart));
    for (auto& w : r.workloads) inv.workloads.push_back(std::move(w));
    for (auto& p : r.problems) inv.problems.push_back(std::move(p));
    for (auto& n : r.notes) inv.notes.push_back(std::move(n));
  }
  return inv;
}

}  // namespace dockerfix::k8s
