// Which commits dockerfix wrote. A trailer in the message is no proof — it
// survives `git commit --amend` — so every commit dockerfix writes for a
// branch is recorded by its id under
//   refs/dockerfix/written/<branch, '/' as %2F>/<commit id>
// in the repository it was written in (the user's repository for apply
// --commit, the clone cache for the bot). A branch tip is dockerfix's to
// replace only when it is one of these ids; any other commit is a human's.
#pragma once

#include <git2.h>

#include <string>

namespace dockerfix::gitlayer {

// Records `commit` as written by dockerfix for `branch`, keeping the newest
// kKeptPerBranch records of the branch (older ones may still be a remote's
// tip after failed pushes, so more than one is kept).
inline constexpr size_t kKeptPerBranch = 16;
void remember_written(git_repository* repo, const std::string& branch, const git_oid& commit);

// True when dockerfix recorded writing `commit` for `branch` in `repo`.
bool wrote(git_repository* repo, const std::string& branch, const git_oid& commit);

// The reference namespace of `branch`'s records (for messages and tests).
std::string written_prefix(const std::string& branch);

}  // namespace dockerfix::gitlayer
