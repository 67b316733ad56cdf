// The Kubernetes pass (issue 16): after the Dockerfiles, check/diff/apply on a
// directory (and apply --commit on a repository) read its manifests and Helm
// charts (k8s/), map their containers to the Dockerfiles, compare them with
// the images' users as the Dockerfile fixes leave them, and report and fix
// the findings of the repository rules (k8s-*) in the same formats.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/finding_text.h"
#include "cli/fix_options.h"
#include "cli/sarif.h"
#include "dockerfix/fix.h"
#include "git/fixer.h"
#include "k8s/location.h"

namespace dockerfix::cli {

// One finding of a k8s-* rule, in the file it is about (a manifest, a
// chart's values.yaml or template).
struct KubeFinding {
  std::string path;      // repository-relative
  fix::Finding finding;  // line, column and span in `path`; `fix`: edits of `path` (the manifest side)
  int end_line = 0, end_column = 0;
  std::string fix_in;    // the Dockerfile, when the fix is made there (a numeric USER)
  std::vector<k8s::Location> related;
};

struct KubeFileChange {
  std::string path;  // repository-relative
  std::string before, after;
  std::vector<fix::Finding> applied;  // `line`: the finding's line in its manifest
};

struct KubeResult {
  std::vector<KubeFinding> findings;    // of the selected rules
  std::vector<KubeFileChange> changes;  // what apply writes: YAML files, Dockerfiles given a numeric USER
  std::vector<std::string> problems;    // manifests that do not parse, "path:line:col: message" (exit 2)
  std::vector<std::string> notes;       // what was set aside or left unmapped, and why
  std::vector<std::string> rejected;    // fixes that did not verify
  size_t fixable = 0, more_with_unsafe = 0;
  std::map<std::string, std::string> sources;  // the YAML files with findings, as read (check's source lines)
};

// A Dockerfile (repository-relative) as the Dockerfile pass leaves it, or
// nullopt when it is refused.
using DockerfileSource = std::function<std::optional<std::string>(const std::string& path)>;

// Checks the repository at `root`, reading only `files` (repository-relative;
// Dockerfiles, YAML and Chart.yaml files; empty: nothing to check).
KubeResult check_repository(const Settings& s, const std::filesystem::path& root, const std::vector<std::string>& files,
                            const DockerfileSource& dockerfile);

// Names the pass reads: *.yaml, *.yml (Chart.yaml among them) and Dockerfiles.
bool kubernetes_input_name(const std::string& filename);

enum class KubeMode { Check, Diff, Apply };
// Where the pass reports, shared with the Dockerfile loop of fix_commands.cpp.
struct KubeSinks {
  KubeMode mode;
  bool json = false, sarif = false, color = false, quiet = false;
  // One entry of the JSON "files" array, and one rendered SARIF result
  // (SarifWriter::result): the document is streamed.
  std::function<void(const std::string& path, const nlohmann::json& findings)> json_file;
  std::function<void(const std::string& rendered)> sarif_result;
  size_t &findings, &fixable, &more;
  bool& any;
  std::function<void(const std::string&)> input_error;  // exit 2
  std::function<void(const std::string&)> out;          // stdout
  // checkstyle/codeclimate/gitlab_codeclimate: one file's findings (CiWriter).
  std::function<void(const std::string& path, const std::vector<fix::Finding>& findings)> ci_file = {};
  bool* failing = nullptr;  // check: set when a finding is at or above the failure threshold
  TextLayout layout;       // check's text: full or concise
  size_t* files = nullptr;  // counts the files with findings (check's summary)
};
// Runs the pass on each of `directories` (discovery's directory arguments).
void run_kubernetes_pass(const std::vector<std::string>& directories, const Settings& s, KubeSinks& sinks);

// For apply --commit and the bot: HEAD's manifests against the fixed Dockerfiles.
gitlayer::TreeFixer make_tree_fixer(const Settings& s);

}  // namespace dockerfix::cli
