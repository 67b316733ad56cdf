// Pushing dockerfix's branch with libgit2. A branch on the remote is only
// overwritten when its tip is dockerfix's own commit; never a human's.
#pragma once

#include <git2.h>

#include <string>
#include <vector>

namespace dockerfix::gitlayer {

struct PushOutcome {
  enum class Status { Pushed, UpToDate, Refused };
  Status status = Status::Pushed;
  std::string detail;
};

// `remote` is a remote's name or a URL/path. Throws GitError on network,
// authentication or server errors (messages carry no credentials).
PushOutcome push_branch(git_repository* repo, const std::string& remote, const std::string& branch);

// Fetches `refspecs` (e.g. "+refs/heads/*:refs/remotes/origin/*") from the
// named remote with the same credentials; `prune` drops remote-tracking refs
// whose branch is gone.
void fetch(git_repository* repo, const std::string& remote, const std::vector<std::string>& refspecs,
           bool prune = false);

}  // namespace dockerfix::gitlayer
