#include "cli/discovery.h"

#include <sys/stat.h>

#include <git2.h>
#include <git2/sys/repository.h>

#include <algorithm>
#include <functional>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <map>
#include <memory>

#include <fmt/core.h>

#include "cli/file_io.h"
#include "git/handles.h"

namespace dockerfix::cli {
namespace fs = std::filesystem;

namespace {

using RepoPtr = std::unique_ptr<git_repository, decltype(&git_repository_free)>;
using IndexPtr = std::unique_ptr<git_index, decltype(&git_index_free)>;

// What git would ignore below `dir`. Inside a repository that is the
// repository's own rules (nested .gitignore, info/exclude, core.excludesFile),
// with tracked files kept; outside one, an in-memory repository whose work
// tree is `dir` reads the .gitignore files there without writing anything.
class IgnoreRules {
 public:
  explicit IgnoreRules(const fs::path& dir) : repo_(nullptr, git_repository_free), index_(nullptr, git_index_free) {
    git_repository* r = nullptr;
    if (git_repository_open_ext(&r, dir.c_str(), 0, nullptr) == 0 && !git_repository_is_bare(r)) {
      repo_.reset(r);
      git_index* idx = nullptr;
      if (git_repository_index(&idx, r) == 0) index_.reset(idx);
    } else {
      if (r) git_repository_free(r);
      r = nullptr;
      if (git_repository_new(&r) != 0) return;
      repo_.reset(r);
      if (git_repository_set_workdir(r, dir.c_str(), 0) != 0) repo_.reset();
    }
    if (repo_) workdir_ = fs::path(git_repository_workdir(repo_.get())).lexically_normal();
    if (index_) tree_ = workdir_;
  }

  // The repository's work tree, or empty outside a repository.
  const fs::path& repository_tree() const { return tree_; }

  bool ignored(const fs::path& path, bool is_dir) const {
    if (!repo_) return false;
    std::error_code ec;
    std::string rel = fs::absolute(path, ec).lexically_normal().lexically_relative(workdir_).generic_string();
    if (rel.empty() || rel == "." || rel.starts_with("..")) return false;
    // Tracked files stay in, even below an ignored directory, as for git.
    if (is_dir) rel += '/';
    if (index_) {
      size_t at = 0;
      if (!is_dir && git_index_get_bypath(index_.get(), rel.c_str(), 0)) return false;
      if (is_dir && git_index_find_prefix(&at, index_.get(), rel.c_str()) == 0) return false;
    }
    int ignored = 0;
    return git_ignore_path_is_ignored(&ignored, repo_.get(), rel.c_str()) == 0 && ignored;
  }

 private:
  gitlayer::Library git_;
  RepoPtr repo_;
  IndexPtr index_;
  fs::path workdir_, tree_;
};

bool within(const fs::path& p, const fs::path& root) {
  auto rel = p.lexically_relative(root);
  return !rel.empty() && !rel.generic_string().starts_with("..");
}

void walk(const std::string& dir, const Config& config, Discovered& out,
          const std::function<bool(const std::string&)>& wanted = is_dockerfile_name) {
  std::error_code ec;
  const fs::path root = fs::canonical(dir, ec);
  if (ec) {
    out.errors.push_back(fmt::format("cannot read directory '{}': {}", dir, ec.message()));
    return;
  }
  IgnoreRules git(root);
  // Inside a repository the tree is the whole work tree, so a service may
  // link another's Dockerfile; outside one it is the directory searched.
  fs::path tree = git.repository_tree().empty() ? root : fs::canonical(git.repository_tree(), ec);
  const size_t first = out.files.size();  // this directory's files, sorted as one list at the end
  fs::recursive_directory_iterator it(dir, fs::directory_options::none, ec);
  if (ec) {
    out.errors.push_back(fmt::format("cannot read directory '{}': {}", dir, ec.message()));
    return;
  }
  for (fs::recursive_directory_iterator end; it != end; it.increment(ec)) {
    if (ec) {
      out.errors.push_back(fmt::format("cannot read directory below '{}': {}", dir, ec.message()));
      ec.clear();
      continue;
    }
    const fs::directory_entry& entry = *it;
    const fs::path& p = entry.path();
    // Ignore rules compare against resolved paths (libgit2's work tree is
    // one); `p` keeps the spelling the user gave, for messages.
    const fs::path canon = root / p.lexically_relative(dir);
    std::error_code type_ec;
    const bool link = entry.is_symlink(type_ec);
    if (!link && entry.is_directory(type_ec)) {
      // Directory symlinks are never entered (the iterator does not follow
      // them), so the walk cannot loop or leave the tree.
      if (p.filename() == ".git" || git.ignored(canon, true) || is_ignored(config, canon))
        it.disable_recursion_pending();
      continue;
    }
    if (!wanted(p.filename().string())) continue;
    if (git.ignored(canon, false) || is_ignored(config, canon)) continue;
    fs::path target;
    if (link) {
      target = fs::canonical(p, type_ec);
      if (type_ec) {
        out.errors.push_back(fmt::format("{}: broken symlink: {}", p.string(), type_ec.message()));
        continue;
      }
      if (fs::is_directory(target, type_ec)) continue;
      if (!within(target, tree)) {
        out.errors.push_back(fmt::format("{}: symlink to '{}' leaves the tree '{}'; not followed", p.string(),
                                         target.string(), tree.string()));
        continue;
      }
    } else if (!entry.is_regular_file(type_ec)) {
      continue;
    }
    out.files.add_path(p.lexically_normal().native(), target.string());
  }
  out.files.sort_from(first);
}

}  // namespace

Discovered discover_in(const std::string& dir, const Config& config,
                       const std::function<bool(const std::string&)>& wanted) {
  Discovered out;
  walk(dir, config, out, wanted);
  return out;
}

std::string tree_root_of(const std::string& path) {
  gitlayer::Library git;
  std::error_code ec;
  fs::path dir = fs::absolute(path, ec).parent_path();
  git_repository* r = nullptr;
  std::string root;
  if (git_repository_open_ext(&r, dir.c_str(), 0, nullptr) == 0 && !git_repository_is_bare(r))
    root = git_repository_workdir(r);
  if (r) git_repository_free(r);
  if (root.empty()) root = fs::current_path(ec).string();
  return fs::canonical(root, ec).string();
}

namespace {

// The end of leaves_tree(): `path`, `abs` when made absolute, resolves to
// `target`. Only links can lead out: a plain file given by a path outside
// the working directory is where the user asked us to look.
std::string judged(const std::string& path, const fs::path& abs, const fs::path& target,
                   const std::function<std::string()>& root_of, std::string* resolved) {
  if (abs == target) return {};
  const std::string root = root_of();
  if (!within(target, fs::path(root)))
    return fmt::format("{}: symlink to '{}' leaves the tree '{}'; refusing to follow it", path, target.string(), root);
  if (resolved) *resolved = target.string();
  return {};
}

}  // namespace

std::string leaves_tree(const std::string& path, const std::string& root, std::string* resolved) {
  return leaves_tree(path, [&] { return root; }, resolved);
}

std::string leaves_tree(const std::string& path, const std::function<std::string()>& root_of, std::string* resolved) {
  std::error_code ec;
  fs::path target = fs::canonical(path, ec);
  if (ec) {
    // Missing files are reported by the reader; a dangling link here, since
    // the reader never follows one.
    if (!fs::is_symlink(path, ec)) return {};
    // /dev/fd/N for `<(...)` links to a pipe, which has no path to check.
    if (fs::exists(path, ec)) return fmt::format("{}: symlink to something that is not a file; for a pipe, give - (stdin)", path);
    return fmt::format("{}: broken symlink: {}", path, std::strerror(ENOENT));
  }
  return judged(path, fs::absolute(path, ec).lexically_normal(), target, root_of, resolved);
}

namespace {

// What discover() asks of each file argument, with what files in one
// directory share (that directory's resolved path) found once. canonical() per file cost a readlink per component of the
// path and two getcwd calls: eight system calls a file on the corpus, where
// one lstat is enough for a file that is not a link.
class ArgumentPaths {
 public:
  // Whether `p` is a directory, following a link as stat() does. Keeps the
  // path's own lstat() for leaves_tree().
  bool is_directory(const std::string& p) {
    if (::lstat(p.c_str(), &st_) != 0) {
      lstat_ok_ = false;
      return false;
    }
    lstat_ok_ = true;
    if (S_ISLNK(st_.st_mode)) return cli::is_directory(p);
    return S_ISDIR(st_.st_mode);
  }

  // leaves_tree() of the path is_directory() last looked at. A path that is
  // not a link resolves to its directory's resolved path and its own name,
  // which is what canonical() would find a component at a time.
  std::string leaves_tree(const std::string& p, const std::function<std::string()>& root_of, std::string* resolved) {
    // lstat failed: canonical() would too, and a path that is not there is
    // not a link either, so the reader reports it.
    if (!lstat_ok_) return {};
    const fs::path path(p);
    const fs::path name = path.filename();
    if (S_ISLNK(st_.st_mode) || name.empty() || name == "." || name == "..")
      return cli::leaves_tree(p, root_of, resolved);
    const fs::path& cwd = working_directory();
    if (cwd.empty()) return cli::leaves_tree(p, root_of, resolved);
    std::error_code ec;
    const std::string parent = path.parent_path().string();
    auto known = dirs_.find(parent);
    if (known == dirs_.end()) {
      fs::path dir = fs::canonical(parent.empty() ? cwd : fs::path(parent), ec);
      if (ec) dir.clear();
      known = dirs_.emplace(parent, std::move(dir)).first;
    }
    if (known->second.empty()) return cli::leaves_tree(p, root_of, resolved);
    return judged(p, absolute_path(path).lexically_normal(), known->second / name, root_of, resolved);
  }

 private:
  struct stat st_ {};
  bool lstat_ok_ = false;
  std::map<std::string, fs::path> dirs_;  // a file argument's directory as given -> resolved
};

}  // namespace

Discovered discover(const std::vector<std::string>& paths, const Config& config) {
  Discovered out{InputList(&paths), {}};
  // Opening the repository costs milliseconds; many files share a directory.
  std::map<fs::path, std::string> tree_of_dir;
  ArgumentPaths arguments;
  for (size_t i = 0; i < paths.size(); ++i) {
    const std::string& p = paths[i];
    if (p != "-" && arguments.is_directory(p)) {
      out.directories.push_back(p);
      size_t files = out.files.size(), errors = out.errors.size();
      walk(p, config, out);
      // A directory that holds nothing to check is a mistake (a wrong path, a
      // wrong working directory), not a clean result.
      if (out.files.size() == files && out.errors.size() == errors)
        out.errors.push_back(p + ": no Dockerfile here (looked for Dockerfile, Dockerfile.*, *.Dockerfile, "
                                 "*.dockerfile and Containerfile, skipping what .gitignore and the config's "
                                 "ignore list exclude)");
      continue;
    }
    if (p == "-") {
      out.files.add_argument(i);
      continue;
    }
    // Only a path through a symlink can leave its tree, so only such a path
    // needs it: finding the tree opens the repository, and so initialises
    // libgit2, which `check Dockerfile` then never does.
    std::string resolved;
    auto tree_of = [&] {
      std::error_code ec;
      fs::path dir = fs::absolute(p, ec).parent_path();
      auto known = tree_of_dir.find(dir);
      if (known == tree_of_dir.end()) known = tree_of_dir.emplace(dir, tree_root_of(p)).first;
      return known->second;
    };
    if (auto why = arguments.leaves_tree(p, tree_of, &resolved); !why.empty()) {
      out.errors.push_back(why);
      continue;
    }
    out.files.add_argument(i, std::move(resolved));
  }
  return out;
}

}  // namespace dockerfix::cli
