// Helm charts: values.yaml and the securityContext blocks of the templates.
// Templates are not YAML until rendered: their `{{ }}` actions are blanked
// (same byte length, so positions stay the template's) and the result is
// read as YAML; `toYaml .Values.x` includes are tied to the key they fill.
// With `helm` on PATH the rendered output supplies the values instead.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "k8s/location.h"
#include "k8s/workload.h"
#include "k8s/yaml_file.h"

namespace dockerfix::k8s {

struct Chart {
  std::string dir;          // repository-relative ("." for the root)
  std::string name;         // Chart.yaml name
  std::string app_version;  // Chart.yaml appVersion
  int values_file = -1;     // index into Inventory::files; -1 without values.yaml
  std::vector<std::string> templates;  // repository-relative
  bool rendered = false;    // `helm template` output was used
  std::string render_note;  // why it was not (helm missing, failed: ...)
};

// A `{{ ... }}` action of a template.
struct TemplateAction {
  uint32_t begin = 0, end = 0;  // bytes of `{{ ... }}`
  std::string body;             // inside the braces, trimmed of `-` and spaces
  bool standalone = false;      // alone on its line(s): the line is blanked
  std::vector<std::string> values_ref;  // the first `.Values.a.b` (or `.` under `with`) it reads
  bool ref_known = false;
  bool emits_yaml = false;      // toYaml / include ... | nindent: a block of YAML
  int indent = -1;              // nindent/indent N, or the action's column
};

struct SanitizedTemplate {
  std::string yaml;  // the template with actions blanked, same length
  std::vector<TemplateAction> actions;
};
SanitizedTemplate sanitize_template(const std::string& text);

// Evaluate a simple pipeline (`.Values.image.tag | default .Chart.AppVersion`)
// against the chart's values; nullopt when it is not that simple.
std::optional<std::string> evaluate_action(const std::string& body, const YAML::Node& values, const Chart& chart,
                                           const std::vector<std::string>& dot = {});

struct HelmOptions {
  std::string helm;  // path to helm; empty: look on PATH; "none": never render
};
// The helm executable to run, or empty.
std::string find_helm(const HelmOptions& options);

struct ChartResult {
  Chart chart;
  std::vector<Workload> workloads;
  std::vector<Problem> problems;
  std::vector<std::string> notes;
};
// Reads the chart in `dir` (repository-relative) under `root`; its
// values.yaml is appended to `files` (the editable YAML of the repository).
ChartResult read_chart(const std::filesystem::path& root, const std::string& dir, std::vector<YamlFile>& files,
                       const HelmOptions& options);

}  // namespace dockerfix::k8s
