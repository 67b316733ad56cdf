#include "git/push.h"

#include <optional>

#include <fmt/format.h>

#include "git/handles.h"
#include "git/own_commits.h"
#include "git/remote_session.h"

namespace dockerfix::gitlayer {

PushOutcome push_branch(git_repository* repo, const std::string& remote_name, const std::string& branch,
                        const TokenPolicy& tokens) {
  Library lib;
  const std::string ref = "refs/heads/" + branch;
  git_oid local;
  check(git_reference_name_to_id(&local, repo, ref.c_str()), "no local branch " + branch);
  RemoteSession remote(repo, remote_name, tokens, RemoteSession::Purpose::Push);
  const std::string& where = remote.where();

  RemoteSession::Listing listing = remote.list();
  if (listing.default_branch == branch)
    return {PushOutcome::Status::Refused,
            fmt::format("{} is the default branch of {}; dockerfix never pushes to it", branch, where)};
  std::optional<git_oid> theirs;
  for (const auto& [name, oid] : listing.heads)
    if (name == ref) theirs = oid;
  if (theirs) {
    if (git_oid_equal(&*theirs, &local)) return {PushOutcome::Status::UpToDate, branch + " is up to date on " + where};
    // Only an id dockerfix recorded writing is its own; a trailer can be
    // copied (git commit --amend keeps it), an id cannot.
    if (!wrote(repo, branch, *theirs))
      return {PushOutcome::Status::Refused,
              fmt::format("{} on {} has a commit that is not dockerfix's ({}: no record of dockerfix writing it in "
                          "this repository; a human's, or written from another clone); not overwriting it",
                          branch, where, oid_str(*theirs, 12))};
  }
  const bool force = theirs.has_value();  // dockerfix's own stale commit: replaced
  remote.push((force ? "+" : "") + ref + ":" + ref, ref, theirs);
  return {PushOutcome::Status::Pushed,
          fmt::format("pushed {} to {}{}", branch, where, force ? " (replacing dockerfix's older commit)" : "")};
}

}  // namespace dockerfix::gitlayer
