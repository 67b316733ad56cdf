#include "git/commit_fixes.h"

#include <algorithm>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <map>

#include <fmt/format.h>

#include "git/commit_message.h"
#include "git/handles.h"
#include "git/own_commits.h"
#include "git/signature.h"
#include "git/tree_files.h"

namespace dockerfix::gitlayer {
namespace fs = std::filesystem;

const char* to_string(CommitOutcome::Status s) {
  switch (s) {
    case CommitOutcome::Status::NoChanges: return "no-changes";
    case CommitOutcome::Status::UpToDate: return "up-to-date";
    case CommitOutcome::Status::Created: return "created";
    case CommitOutcome::Status::Rebuilt: return "rebuilt";
    case CommitOutcome::Status::Refused: return "refused";
  }
  return "?";
}

namespace {

// PATH arguments are relative to the working directory; the tree wants
// them relative to the work tree's root.
std::vector<std::string> tree_prefixes(git_repository* repo, const std::vector<std::string>& paths) {
  std::vector<std::string> out;
  const char* wd = git_repository_workdir(repo);
  std::error_code root_ec;
  const fs::path root = wd ? fs::weakly_canonical(fs::path(wd), root_ec) : fs::path();
  for (const auto& p : paths) {
    if (!wd) {
      out.push_back(fs::path(p).lexically_normal().generic_string());
      continue;
    }
    std::error_code ec;
    fs::path abs = fs::weakly_canonical(fs::absolute(p, ec), ec);
    std::string rel = abs.lexically_relative(root).generic_string();
    if (rel.starts_with("..")) throw GitError(fmt::format("{}: outside the repository {}", p, root.string()));
    out.push_back(rel == "." ? "" : rel);
  }
  return out;
}

}  // namespace

std::string branch_refusal(git_repository* repo, const std::string& branch) {
  int valid = 0;
  if (branch == "HEAD" || branch.starts_with("-") || git_branch_name_is_valid(&valid, branch.c_str()) < 0 || !valid)
    return fmt::format("'{}' is not a usable branch name", branch);
  const std::string ref_name = "refs/heads/" + branch;
  // The branch checked out (or, in a bare repository, the default one) is
  // the user's: never moved under their feet.
  git_reference* raw_head = nullptr;
  if (git_reference_lookup(&raw_head, repo, "HEAD") == 0) {
    Reference head(raw_head);
    if (git_reference_type(head.get()) == GIT_REFERENCE_SYMBOLIC && ref_name == git_reference_symbolic_target(head.get()))
      return git_repository_is_bare(repo)
                 ? fmt::format("branch {} is the repository's default branch", branch)
                 : fmt::format("branch {} is checked out; switch to another branch first", branch);
  }
  git_reference_iterator* it = nullptr;
  std::string refusal;
  if (git_reference_iterator_glob_new(&it, repo, "refs/remotes/*/HEAD") == 0) {
    git_reference* ref = nullptr;
    while (refusal.empty() && git_reference_next(&ref, it) == 0) {
      std::string name = git_reference_name(ref);
      if (git_reference_type(ref) == GIT_REFERENCE_SYMBOLIC) {
        std::string remote = name.substr(13, name.size() - 13 - 5);  // refs/remotes/<remote>/HEAD
        if (std::string(git_reference_symbolic_target(ref)) == "refs/remotes/" + remote + "/" + branch)
          refusal = fmt::format("branch {} is the default branch of remote {}", branch, remote);
      }
      git_reference_free(ref);
    }
    git_reference_iterator_free(it);
  }
  return refusal;
}

CommitOutcome commit_fixes(const CommitRequest& request, const FileFixer& fixer, const NameFilter& is_dockerfile,
                           const TreeFixer& tree) {
  Library lib;
  CommitOutcome out;
  git_repository* raw_repo = nullptr;
  check(git_repository_open_ext(&raw_repo, request.repository.c_str(), 0, nullptr),
        "not a git repository: " + request.repository);
  Repository repo(raw_repo);
  if (!request.branch.empty()) {
    if (std::string why = branch_refusal(repo.get(), request.branch); !why.empty()) {
      out.status = CommitOutcome::Status::Refused;
      out.branch = request.branch;
      out.refusal = why;
      return out;
    }
  }

  git_object* head_obj = nullptr;
  check(git_revparse_single(&head_obj, repo.get(), "HEAD^{commit}"), "cannot read HEAD");
  Commit head(reinterpret_cast<git_commit*>(head_obj));
  out.base = oid_str(*git_commit_id(head.get()));
  git_tree* raw_tree = nullptr;
  check(git_commit_tree(&raw_tree, head.get()), "cannot read HEAD's tree");
  Tree base_tree(raw_tree);

  // Fix every Dockerfile of HEAD's tree, as committed (a dirty work tree is
  // the user's business, never read or touched).
  std::vector<std::string> prefixes = tree_prefixes(repo.get(), request.paths);
  std::vector<git_tree_update> updates;
  std::deque<std::string> update_paths;  // git_tree_update keeps pointers into these
  std::map<std::string, size_t> update_of;  // path -> its entry in updates (and in out.changes, until also_write)
  auto add_update = [&](const std::string& path, const git_oid& id, git_filemode_t mode) {
    git_tree_update u{};
    u.action = GIT_TREE_UPDATE_UPSERT;
    u.id = id;
    u.filemode = mode;
    update_paths.push_back(path);
    u.path = update_paths.back().c_str();
    update_of.emplace(path, updates.size());
    updates.push_back(u);
  };
  auto read_blob = [&](const TreeEntry& c) { return blob_text(repo.get(), c.blob, c.path); };
  // The files `tree` reads, when it has work (TreeFixer::needs): only then
  // are they read and the fixed Dockerfiles kept for it, so that a tree
  // without manifests is not held in memory twice over.
  std::vector<TreeEntry> manifests;
  if (tree.fix) manifests = tree_entries(base_tree.get(), tree.wants, prefixes);
  if (tree.needs && std::none_of(manifests.begin(), manifests.end(), [&](const TreeEntry& e) {
        return tree.needs(e.path.substr(e.path.rfind('/') + 1));
      }))
    manifests.clear();
  std::map<std::string, std::string> fixed_dockerfiles;  // for `tree`
  for (const auto& c : tree_entries(base_tree.get(), is_dockerfile, prefixes)) {
    std::string bytes = read_blob(c);
    FileFix fixed = fixer(c.path, bytes);
    if (fixed.ignored) continue;
    if (fixed.proof) {
      out.proofs.push_back(std::move(*fixed.proof));
      out.proofs.back().path = c.path;
    }
    if (!fixed.error.empty()) {
      out.errors.push_back(fixed.error);
      continue;
    }
    if (!manifests.empty()) fixed_dockerfiles[c.path] = fixed.text;
    if (fixed.text == bytes) continue;
    git_oid id;
    check(git_blob_create_from_buffer(&id, repo.get(), fixed.text.data(), fixed.text.size()),
          "cannot write the fixed " + c.path);
    add_update(c.path, id, c.mode);
    out.changes.push_back({c.path, std::move(fixed.fixes)});
  }
  if (!manifests.empty()) {
    // Manifests and charts, against the Dockerfiles as just fixed; what they
    // change (Dockerfiles too) joins the same commit.
    std::map<std::string, std::string> head;
    std::map<std::string, git_filemode_t> modes;
    for (const auto& c : manifests) {
      head[c.path] = read_blob(c);
      modes[c.path] = c.mode;
    }
    for (auto& t : tree.fix(head, fixed_dockerfiles, out.errors)) {
      auto it = head.find(t.path);
      if (it == head.end() || t.text == it->second) continue;
      git_oid id;
      check(git_blob_create_from_buffer(&id, repo.get(), t.text.data(), t.text.size()), "cannot write the fixed " + t.path);
      if (auto done = update_of.find(t.path); done != update_of.end()) {
        // A Dockerfile fixed above: one entry, with both sets of fixes.
        updates[done->second].id = id;
        auto& fixes = out.changes[done->second].fixes;
        fixes.insert(fixes.end(), t.fixes.begin(), t.fixes.end());
        continue;
      }
      add_update(t.path, id, modes[t.path]);
      out.changes.push_back({t.path, std::move(t.fixes)});
    }
  }
  if (updates.empty()) return out;
  // Files that go with the fixes (the bot's lock): only beside them.
  for (const auto& [path, text] : request.also_write) {
    if (update_of.count(path)) continue;
    git_tree_entry* raw_entry = nullptr;
    git_filemode_t mode = GIT_FILEMODE_BLOB;
    if (git_tree_entry_bypath(&raw_entry, base_tree.get(), path.c_str()) == 0) {
      std::unique_ptr<git_tree_entry, void (*)(git_tree_entry*)> entry(raw_entry, git_tree_entry_free);
      mode = git_tree_entry_filemode(entry.get());
      if (mode != GIT_FILEMODE_BLOB && mode != GIT_FILEMODE_BLOB_EXECUTABLE)
        throw GitError(path + " in HEAD's tree is not a regular file; not replacing it");
      if (blob_text(repo.get(), *git_tree_entry_id(entry.get()), path) == text) continue;
    }
    git_oid id;
    check(git_blob_create_from_buffer(&id, repo.get(), text.data(), text.size()), "cannot write " + path);
    add_update(path, id, mode);
    out.also_written.push_back(path);
  }

  git_oid tree_oid;
  check(git_tree_create_updated(&tree_oid, repo.get(), base_tree.get(), updates.size(), updates.data()),
        "cannot build the fixed tree");
  MessageInput mi{request.message_prefix, request.user, request.uid, out.changes, out.proofs, request.notes,
                  out.also_written};
  out.message = commit_message(mi);
  out.branch = request.branch.empty() ? default_branch(rules_of(out.changes)) : request.branch;
  const std::string ref_name = "refs/heads/" + out.branch;
  if (std::string why = branch_refusal(repo.get(), out.branch); !why.empty()) {
    out.status = CommitOutcome::Status::Refused;
    out.refusal = why;
    return out;
  }

  bool exists = false;
  git_oid old_tip{};
  git_reference* raw_branch = nullptr;
  if (git_reference_lookup(&raw_branch, repo.get(), ref_name.c_str()) == 0) {
    Reference branch(raw_branch);
    exists = true;
    git_oid tip = *git_reference_target(branch.get());
    old_tip = tip;
    git_commit* raw_tip = nullptr;
    check(git_commit_lookup(&raw_tip, repo.get(), &tip), "cannot read branch " + out.branch);
    Commit tip_commit(raw_tip);
    if (!wrote(repo.get(), out.branch, tip)) {
      out.status = CommitOutcome::Status::Refused;
      out.commit = oid_str(tip);
      out.refusal = fmt::format(
          "branch {} has a commit that is not dockerfix's ({} \"{}\"): this repository has no record of dockerfix "
          "writing it under {} (a human's commit, or one written from another clone); it is left alone — pass "
          "--branch to use another name",
          out.branch, oid_str(tip, 12), git_commit_summary(tip_commit.get()), written_prefix(out.branch));
      return out;
    }
    const bool same_base = git_oid_equal(git_commit_parent_id(tip_commit.get(), 0), git_commit_id(head.get()));
    if (same_base && git_oid_equal(git_commit_tree_id(tip_commit.get()), &tree_oid)) {
      out.status = CommitOutcome::Status::UpToDate;
      out.commit = oid_str(tip);
      out.message = git_commit_message(tip_commit.get());
      return out;
    }
  }

  Signature author = author_signature(repo.get(), request.author);
  Signature committer = committer_signature(repo.get(), request.author);
  git_tree* raw_new_tree = nullptr;
  check(git_tree_lookup(&raw_new_tree, repo.get(), &tree_oid), "cannot read the fixed tree");
  Tree new_tree(raw_new_tree);
  const git_commit* parents[] = {head.get()};
  git_oid commit_oid;
  check(git_commit_create(&commit_oid, repo.get(), nullptr, author.get(), committer.get(), "UTF-8",
                          out.message.c_str(), new_tree.get(), 1, parents),
        "cannot write the commit");
  // Recorded before the branch points at it: a branch tip dockerfix cannot
  // prove it wrote would be refused on the next run.
  remember_written(repo.get(), out.branch, commit_oid);
  // Only the commit checked above (one dockerfix wrote) is replaced, and
  // only if the branch still holds it, so nobody's work is dropped.
  git_reference* raw_new_ref = nullptr;
  std::string log = fmt::format("dockerfix: {}", subject(mi));
  check(exists ? git_reference_create_matching(&raw_new_ref, repo.get(), ref_name.c_str(), &commit_oid, 1, &old_tip,
                                               log.c_str())
               : git_reference_create(&raw_new_ref, repo.get(), ref_name.c_str(), &commit_oid, 0, log.c_str()),
        "cannot update branch " + out.branch);
  Reference new_ref(raw_new_ref);
  out.commit = oid_str(commit_oid);
  out.status = exists ? CommitOutcome::Status::Rebuilt : CommitOutcome::Status::Created;
  return out;
}

}  // namespace dockerfix::gitlayer
