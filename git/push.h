// Pushing dockerfix's branch with libgit2. A branch on the remote is only
// overwritten when its tip is a commit dockerfix recorded writing
// (git/own_commits.h); never a human's, and never the remote's default branch.
#pragma once

#include <git2.h>

#include <string>

#include "git/token_policy.h"

namespace dockerfix::gitlayer {

struct PushOutcome {
  enum class Status { Pushed, UpToDate, Refused };
  Status status = Status::Pushed;
  std::string detail;
};

// `remote` is a remote's name or a URL/path. Throws GitError on network,
// authentication or server errors (messages carry no credentials).
PushOutcome push_branch(git_repository* repo, const std::string& remote, const std::string& branch,
                        const TokenPolicy& tokens);

}  // namespace dockerfix::gitlayer
