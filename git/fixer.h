// What the git layer asks of the fixing engine: one file's bytes in, the
// fixed bytes and what was done out. The CLI supplies it, so this layer
// knows nothing of options or config.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace dockerfix::gitlayer {

struct AppliedFix {
  std::string rule;
  std::string message;
  int line = 0;
};

// What building and running the image proved about one file's fixes (the
// bot's --verify), in words for a commit message and a pull request.
struct RuleProof {
  std::string rule;
  std::string verdict;  // in words: "proven", "safe, needs no proof", "broke the build", "broke the runtime", "not provable"
  std::string reason;   // one line
};
struct FileProof {
  std::string path;
  std::string summary;   // "built and ran as uid 1000; still running after 10 s"; empty: nothing built
  std::string original;  // "the original ran as uid 0; still running after 10 s"
  std::vector<RuleProof> kept, dropped;
  std::string error;     // the verification could not run: the file was left as it is
};

struct FileFix {
  std::string text;               // fixed bytes (== input when nothing changed)
  std::vector<AppliedFix> fixes;
  std::string error;              // non-empty: the file was refused (not a Dockerfile, BuildKit error, ...)
  bool ignored = false;           // the configuration says to leave this file alone
  std::optional<FileProof> proof; // verified: what was proven and dropped
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
  // Of the files `wants` takes, those that give `fix` work (the manifests, not
  // the Dockerfiles they name): in a tree without one, `fix` is not called,
  // and nothing is read or kept for it. Unset: every file `wants` takes.
  NameFilter needs;
  std::function<std::vector<TreeFile>(const std::map<std::string, std::string>& head,
                                      const std::map<std::string, std::string>& fixed_dockerfiles,
                                      std::vector<std::string>& errors)>
      fix;
};

// What the bot shows the fixing engine of one repository before it fixes it.
struct RepoView {
  std::string config_text;  // its own `.dockerfix.yaml` at the root of HEAD's tree; empty: none
  std::string origin;       // a name for it in messages ("owner/name:.dockerfix.yaml")
  std::optional<std::string> lock_text;  // `dockerfix.lock` at the root, when the repository keeps one
  std::string lock_origin;  // "owner/name:dockerfix.lock"
  // HEAD's files whose base names pass the filter (path -> bytes).
  std::function<std::map<std::string, std::string>(const NameFilter&)> files;
  std::filesystem::path checkout;  // HEAD's tree on disk (BotOptions::checkout); empty: none
};

// The fixer for one repository. Throws on a bad configuration or lock.
struct RepoFixer {
  FileFixer fix;
  std::string user;  // the non-root user it creates, for the commit subject
  unsigned uid = 1000;
  TreeFixer tree;    // empty: Dockerfiles only
  // Files written in the same commit as the fixes, when there are fixes
  // (the refreshed dockerfix.lock), path -> bytes; and what the commit
  // message and the pull request must say about them (a moved tag, an image
  // that could not be learned).
  std::map<std::string, std::string> also_write;
  std::vector<std::string> notes;
};
using FixerFactory = std::function<RepoFixer(const RepoView& repo)>;

// A file the commit changes.
struct FileChange {
  std::string path;  // in the repository, with '/'
  std::vector<AppliedFix> fixes;
};

}  // namespace dockerfix::gitlayer
