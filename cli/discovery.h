// Which files a run covers: directory arguments are searched for Dockerfiles,
// honouring .gitignore and the config's ignore list, never leaving the tree.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "cli/config.h"
#include "cli/input_list.h"

namespace dockerfix::cli {

struct Discovered {
  InputList files;                  // in argument order; each directory's files sorted
  std::vector<std::string> errors;  // messages naming the path (exit 2, the rest still runs)
  std::vector<std::string> directories;  // the arguments that were directories, in order
};

// Expands PATH arguments. A directory yields the files below it whose names
// match is_dockerfile_name, skipping `.git`, what git ignores there (read
// through libgit2, inside a repository or not; tracked files are kept) and
// what `config` ignores. A file or `-` is taken as given. A symlink whose
// target leaves the tree is an error. The tree is the enclosing git work
// tree; outside a repository, the directory searched (for a directory
// argument) or the working directory (for a file argument). The result's
// file arguments refer to `paths`, which must outlive it.
Discovered discover(const std::vector<std::string>& paths, const Config& config);

// The same walk of one directory for the files whose names pass `wanted`
// (the Kubernetes pass reads YAML files).
Discovered discover_in(const std::string& dir, const Config& config,
                       const std::function<bool(const std::string&)>& wanted);

// The tree `path` belongs to when given as a file argument.
std::string tree_root_of(const std::string& path);

// Non-empty when `path` is a symlink (or under one) resolving outside `root`,
// or a broken symlink: the message names the path and its target. Otherwise
// `resolved` is set to the target when the path goes through a symlink.
std::string leaves_tree(const std::string& path, const std::string& root, std::string* resolved = nullptr);
// The same, asking `root_of` for the root only when `path` goes through a symlink.
std::string leaves_tree(const std::string& path, const std::function<std::string()>& root_of,
                        std::string* resolved = nullptr);

}  // namespace dockerfix::cli
