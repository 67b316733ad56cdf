// `apply --commit`: fix the Dockerfiles of HEAD's tree and write the result
// as one commit on a branch of its own, touching neither the work tree, nor
// the index, nor the checked-out branch.
#pragma once

#include <git2.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "git/fixer.h"

namespace dockerfix::gitlayer {

struct CommitRequest {
  std::string repository = ".";     // any path inside the repository (bare is fine)
  std::vector<std::string> paths;   // limit to these (files or directories); empty: the whole tree
  std::string branch;               // empty: default_branch(rules)
  std::string message_prefix = "fix(docker)";
  std::string author;               // "Name <email>"; empty: GIT_AUTHOR_* env, then git config
  std::string user = "agent";       // for the subject line
  unsigned uid = 1000;
  // Written in the same commit when there are fixes (never alone): path ->
  // bytes, e.g. the bot's refreshed dockerfix.lock. An unchanged file adds nothing.
  std::map<std::string, std::string> also_write;
  std::vector<std::string> notes;   // for the message (a moved tag, an image that could not be learned)
};

struct CommitOutcome {
  enum class Status {
    NoChanges,  // nothing to fix: no commit, no branch
    UpToDate,   // the branch already holds these fixes on HEAD
    Created,    // a new branch
    Rebuilt,    // dockerfix's own stale branch rebuilt on the new HEAD
    Refused,    // the branch holds someone else's commit; nothing written
  };
  Status status = Status::NoChanges;
  std::string branch;
  std::string commit;   // full oid of the branch tip
  std::string base;     // full oid of HEAD
  std::string message;  // of the new (or existing up-to-date) commit
  std::vector<FileChange> changes;
  std::vector<std::string> also_written;  // paths of also_write the commit changes
  std::vector<FileProof> proofs;    // verified files (changed or not), in tree order
  std::vector<std::string> errors;  // files refused by the fixer, with why
  std::string refusal;              // why Refused
};

const char* to_string(CommitOutcome::Status s);

// Throws GitError for a repository it cannot read or write. `tree`, when
// set, also fixes the files that depend on the Dockerfiles (manifests).
CommitOutcome commit_fixes(const CommitRequest& request, const FileFixer& fixer, const NameFilter& is_dockerfile,
                           const TreeFixer& tree = {});

// Why dockerfix must not write `branch` in `repo`, or empty: not a valid
// branch name, HEAD, a name starting with '-', the checked-out branch, or a
// remote's default branch (refs/remotes/*/HEAD).
std::string branch_refusal(git_repository* repo, const std::string& branch);

}  // namespace dockerfix::gitlayer
