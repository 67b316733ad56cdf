#include "git/tree_files.h"

#include <set>
#include <string_view>

#include "git/handles.h"

namespace dockerfix::gitlayer {

namespace {

// The PATH arguments a walk is limited to, looked up by each path's
// ancestors (a few set lookups a file, not one comparison per argument: a
// run given every file by name stays linear).
class Prefixes {
 public:
  explicit Prefixes(const std::vector<std::string>& prefixes) {
    for (const auto& p : prefixes) {
      if (p.empty() || p == ".") all_ = true;
      set_.insert(p);
    }
    all_ = all_ || prefixes.empty();
  }
  // `path` equal to one of them, or below one ("dir" selects "dir/x/Dockerfile").
  bool selected(std::string_view path) const {
    if (all_) return true;
    for (size_t end = path.size();;) {
      if (set_.count(path.substr(0, end))) return true;
      if (end == 0) return false;
      end = path.rfind('/', end - 1);
      if (end == std::string_view::npos) return false;
    }
  }

 private:
  bool all_ = false;
  std::set<std::string, std::less<>> set_;
};

struct WalkState {
  const NameFilter* wants;
  const Prefixes* prefixes;
  std::vector<TreeEntry> found;
};

int collect(const char* root, const git_tree_entry* entry, void* payload) {
  auto* state = static_cast<WalkState*>(payload);
  if (git_tree_entry_type(entry) != GIT_OBJECT_BLOB) return 0;
  git_filemode_t mode = git_tree_entry_filemode(entry);
  if (mode != GIT_FILEMODE_BLOB && mode != GIT_FILEMODE_BLOB_EXECUTABLE) return 0;
  std::string name = git_tree_entry_name(entry);
  if (!(*state->wants)(name)) return 0;
  std::string path = std::string(root) + name;
  if (!state->prefixes->selected(path)) return 0;
  state->found.push_back({path, *git_tree_entry_id(entry), mode});
  return 0;
}

Tree head_tree(git_repository* repo) {
  git_object* obj = nullptr;
  check(git_revparse_single(&obj, repo, "HEAD^{tree}"), "cannot read HEAD's tree");
  return Tree(reinterpret_cast<git_tree*>(obj));
}

}  // namespace

std::vector<TreeEntry> tree_entries(git_tree* tree, const NameFilter& wants, const std::vector<std::string>& prefixes) {
  const Prefixes selected(prefixes);
  WalkState state{&wants, &selected, {}};
  check(git_tree_walk(tree, GIT_TREEWALK_PRE, collect, &state), "cannot walk the tree");
  return std::move(state.found);
}

std::string blob_text(git_repository* repo, const git_oid& id, const std::string& what) {
  git_blob* raw = nullptr;
  check(git_blob_lookup(&raw, repo, &id), "cannot read " + what);
  Blob blob(raw);
  return std::string(static_cast<const char*>(git_blob_rawcontent(blob.get())),
                     static_cast<size_t>(git_blob_rawsize(blob.get())));
}

std::optional<std::string> head_file(git_repository* repo, const std::string& path) {
  Tree tree = head_tree(repo);
  git_tree_entry* raw = nullptr;
  if (git_tree_entry_bypath(&raw, tree.get(), path.c_str()) != 0) return std::nullopt;
  std::unique_ptr<git_tree_entry, void (*)(git_tree_entry*)> entry(raw, git_tree_entry_free);
  const git_filemode_t mode = git_tree_entry_filemode(entry.get());
  if (mode != GIT_FILEMODE_BLOB && mode != GIT_FILEMODE_BLOB_EXECUTABLE) return std::nullopt;
  return blob_text(repo, *git_tree_entry_id(entry.get()), path);
}

std::map<std::string, std::string> head_files(git_repository* repo, const NameFilter& wants) {
  Tree tree = head_tree(repo);
  std::map<std::string, std::string> out;
  for (const auto& e : tree_entries(tree.get(), wants)) out[e.path] = blob_text(repo, e.blob, e.path);
  return out;
}

}  // namespace dockerfix::gitlayer
