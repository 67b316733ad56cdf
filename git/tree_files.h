// The files of a commit's tree that a fixer wants, read without a work
// tree: regular and executable blobs only (a symlink's blob is its target
// path, never followed), chosen by base name and limited to path prefixes.
#pragma once

#include <git2.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "git/fixer.h"

namespace dockerfix::gitlayer {

struct TreeEntry {
  std::string path;  // in the repository, with '/'
  git_oid blob;
  git_filemode_t mode;
};

// In tree order. `prefixes` empty: the whole tree; else files equal to or
// below one of them ("" and "." mean everything).
std::vector<TreeEntry> tree_entries(git_tree* tree, const NameFilter& wants, const std::vector<std::string>& prefixes = {});

// A blob's bytes; throws GitError naming `what`.
std::string blob_text(git_repository* repo, const git_oid& blob, const std::string& what);

// The file at `path` of HEAD's tree, or nullopt when there is none (or it
// is not a file).
std::optional<std::string> head_file(git_repository* repo, const std::string& path);

// HEAD's files whose base names pass `wants`, path -> bytes.
std::map<std::string, std::string> head_files(git_repository* repo, const NameFilter& wants);

}  // namespace dockerfix::gitlayer
