// Workloads and their containers as Kubernetes will run them: the image, and
// the securityContext keys that decide the user, each with where it is
// written (manifest, values.yaml or template) and where a fix would write.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "k8s/location.h"
#include "k8s/yaml_file.h"

namespace dockerfix::k8s {

enum class Level { Pod, Container };

// Where a key's value comes from.
enum class Origin {
  Manifest,  // a plain manifest
  Values,    // a chart's values.yaml, reached through the template
  Template,  // written in a chart's template text (dockerfix does not edit templates)
  Rendered,  // only seen in `helm template` output
};
const char* to_string(Origin);

// One securityContext key in effect.
struct Field {
  std::string value;               // the scalar ("1000", "true"); for capabilities.drop the items joined by ','
  std::vector<std::string> items;  // capabilities.drop
  Location where;                  // the key through its value
  Level level = Level::Pod;
  Origin origin = Origin::Manifest;
  int file = -1;                   // index into Inventory::files when dockerfix may edit it, else -1
  size_t document = 0;
  Path path;                       // of the value, in that document

  std::optional<bool> as_bool() const;      // true/false as Kubernetes reads them
  std::optional<int64_t> as_int() const;
};

// The keys of one securityContext that matter here.
struct SecurityContext {
  std::optional<Field> run_as_non_root, run_as_user, run_as_group, fs_group;
  std::optional<Field> allow_privilege_escalation, privileged, drop;
};

// Every key of a SecurityContext, for code that treats them alike.
inline constexpr std::array<std::optional<Field> SecurityContext::*, 7> kSecurityFields = {
    &SecurityContext::run_as_non_root, &SecurityContext::run_as_user, &SecurityContext::run_as_group,
    &SecurityContext::fs_group, &SecurityContext::allow_privilege_escalation, &SecurityContext::privileged,
    &SecurityContext::drop};

// Where the keys of one securityContext can be written: a mapping (created
// when absent) in an editable YAML file.
struct Target {
  int file = -1;        // index into Inventory::files; -1 when there is no such place
  size_t document = 0;
  Path path;            // of the securityContext mapping itself
  Location near;        // the mapping, or the place it would be created
  Origin origin = Origin::Manifest;
  std::string why_not;  // when file < 0: why no edit is possible
  bool valid() const { return file >= 0; }
};

struct Container {
  std::string name;
  std::string image;       // resolved reference; empty when not known
  std::string image_text;  // as written (a template expression in charts)
  bool init = false;
  Location where;          // the container's first key
  Path path;               // of the container's mapping in its document
  SecurityContext own;     // container-level keys
  Target target;           // its securityContext
};

struct Workload {
  std::string kind;         // Deployment, StatefulSet, ...
  std::string name;         // metadata.name as written (may be a template expression)
  std::string file;         // the manifest, or the chart's template
  Location where;           // the `kind:` key
  size_t document = 0;      // in `file`
  Path pod_path;            // of the pod spec in that document
  std::string chart;        // the chart directory for Helm workloads, else empty
  bool rendered = false;    // values checked against `helm template` output
  bool volume_claims = false;  // volumeClaimTemplates or persistentVolumeClaim volumes
  SecurityContext pod;      // pod-level keys
  Target pod_target;        // the pod's securityContext
  std::vector<Container> containers;  // containers, then initContainers

  std::string label() const { return kind + "/" + name; }  // Deployment/web
};

// The context a container runs with: its own keys over the pod's
// (runAsUser, runAsGroup, runAsNonRoot), fsGroup from the pod,
// allowPrivilegeEscalation, privileged and capabilities from the container.
SecurityContext effective(const Workload& workload, const Container& container);

// Kinds whose documents hold pod templates, and where: Pod -> {spec},
// Deployment -> {spec, template, spec}, CronJob -> {spec, jobTemplate, spec, template, spec}.
const Path* pod_spec_path(const std::string& kind);

// The runAsNonRoot, runAsUser, runAsGroup and fsGroup (pod) or
// allowPrivilegeEscalation, privileged and capabilities.drop (container)
// keys of the mapping at `path`.
SecurityContext read_security(const YamlFile& file, size_t document, const Path& path, Level level, Origin origin,
                              int file_index);

// Reads the workloads of one parsed document. `file_index` is the file's
// index in Inventory::files (-1 when it must not be edited, as for rendered
// Helm output), `origin` what to record for its keys.
std::vector<Workload> read_workloads(const YamlFile& file, size_t document, int file_index, Origin origin);

}  // namespace dockerfix::k8s
