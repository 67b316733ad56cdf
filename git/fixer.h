// What the git layer asks of the fixing engine: one file's bytes in, the
// fixed bytes and what was done out. The CLI supplies it, so this layer
// knows nothing of options or config.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace dockerfix::gitlayer {

struct AppliedFix {
  std::string rule;
  std::string message;
  int line = 0;
};

struct FileFix {
  std::string text;               // fixed bytes (== input when nothing changed)
  std::vector<AppliedFix> fixes;
  std::string error;              // non-empty: the file was refused (not a Dockerfile, BuildKit error, ...)
  bool ignored = false;           // the configuration says to leave this file alone
};

using FileFixer = std::function<FileFix(const std::string& path_in_repo, const std::string& bytes)>;

// Which files in a tree are Dockerfiles (by base name).
using NameFilter = std::function<bool(const std::string& filename)>;

// Fixes of files that depend on the Dockerfiles (Kubernetes manifests against
// the images they run): given HEAD's files whose names pass `wants` and the
// Dockerfiles as the file fixer left them (path -> bytes), the files to
// change, Dockerfiles among them; refusals go to `errors`.
struct TreeFile {
  std::string path;
  std::string text;
  std::vector<AppliedFix> fixes;
};
struct TreeFixer {
  NameFilter wants;
  std::function<std::vector<TreeFile>(const std::map<std::string, std::string>& head,
                                      const std::map<std::string, std::string>& fixed_dockerfiles,
                                      std::vector<std::string>& errors)>
      fix;
};

// The fixer for one repository, given the text of its own `.dockerfix.yaml`
// (empty when it has none) and a name for it in messages. Throws on a bad
// configuration.
struct RepoFixer {
  FileFixer fix;
  std::string user;  // the non-root user it creates, for the commit subject
  unsigned uid = 1000;
  TreeFixer tree;    // empty: Dockerfiles only
};
using FixerFactory = std::function<RepoFixer(const std::string& config_text, const std::string& origin)>;

// A file the commit changes.
struct FileChange {
  std::string path;  // in the repository, with '/'
  std::vector<AppliedFix> fixes;
};

}  // namespace dockerfix::gitlayer
