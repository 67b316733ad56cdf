#include "git/push.h"

#include <fmt/format.h>

#include "git/commit_fixes.h"
#include "git/credentials.h"
#include "git/handles.h"

namespace dockerfix::gitlayer {

namespace {

Remote open_remote(git_repository* repo, const std::string& remote) {
  git_remote* raw = nullptr;
  if (git_remote_lookup(&raw, repo, remote.c_str()) == 0) return Remote(raw);
  check(git_remote_create_anonymous(&raw, repo, remote.c_str()),
        "no remote named '" + redact_url(remote) + "' and not a URL");
  return Remote(raw);
}

struct PushState {
  CredentialState credentials;
  std::string rejected;
};

int on_push_update(const char* refname, const char* status, void* payload) {
  if (status) static_cast<PushState*>(payload)->rejected = fmt::format("{}: {}", refname, status);
  return 0;
}

git_remote_callbacks callbacks(PushState& state) {
  git_remote_callbacks cb = GIT_REMOTE_CALLBACKS_INIT;
  cb.credentials = acquire_credentials;
  cb.push_update_reference = on_push_update;
  cb.payload = &state;
  return cb;
}

// The remote's tip of refs/heads/<branch>, if it has one.
bool remote_tip(git_remote* remote, git_remote_callbacks& cb, const std::string& ref, git_oid& out) {
  check(git_remote_connect(remote, GIT_DIRECTION_PUSH, &cb, nullptr, nullptr),
        "cannot connect to " + redact_url(git_remote_url(remote)));
  const git_remote_head** heads = nullptr;
  size_t n = 0;
  check(git_remote_ls(&heads, &n, remote), "cannot list " + redact_url(git_remote_url(remote)));
  bool found = false;
  for (size_t i = 0; i < n; ++i)
    if (ref == heads[i]->name) {
      out = heads[i]->oid;
      found = true;
    }
  git_remote_disconnect(remote);
  return found;
}

}  // namespace

void fetch(git_repository* repo, const std::string& remote_name, const std::vector<std::string>& refspecs,
           bool prune) {
  Remote remote = open_remote(repo, remote_name);
  PushState state;
  git_fetch_options opts = GIT_FETCH_OPTIONS_INIT;
  opts.callbacks = callbacks(state);
  opts.prune = prune ? GIT_FETCH_PRUNE : GIT_FETCH_NO_PRUNE;
  std::vector<char*> specs;
  for (const auto& s : refspecs) specs.push_back(const_cast<char*>(s.c_str()));
  git_strarray arr{specs.data(), specs.size()};
  check(git_remote_fetch(remote.get(), &arr, &opts, "dockerfix: fetch"),
        "cannot fetch from " + redact_url(git_remote_url(remote.get())));
}

PushOutcome push_branch(git_repository* repo, const std::string& remote_name, const std::string& branch) {
  Library lib;
  const std::string ref = "refs/heads/" + branch;
  git_oid local;
  check(git_reference_name_to_id(&local, repo, ref.c_str()), "no local branch " + branch);
  Remote remote = open_remote(repo, remote_name);
  const std::string where = redact_url(git_remote_url(remote.get()));
  PushState state;
  git_remote_callbacks cb = callbacks(state);

  git_oid theirs;
  bool force = false;
  if (remote_tip(remote.get(), cb, ref, theirs)) {
    if (git_oid_equal(&theirs, &local)) return {PushOutcome::Status::UpToDate, branch + " is up to date on " + where};
    // Look at their tip before overwriting it: fetch it if we lack it.
    git_odb* odb = nullptr;
    check(git_repository_odb(&odb, repo), "cannot open the object database");
    const bool have = git_odb_exists(odb, &theirs);
    git_odb_free(odb);
    if (!have) fetch(repo, remote_name, {ref + ":refs/dockerfix/remote-tip"});
    if (!is_dockerfix_commit(repo, theirs))
      return {PushOutcome::Status::Refused,
              fmt::format("{} on {} has a commit that is not dockerfix's ({}); not overwriting it", branch, where,
                          oid_str(theirs, 12))};
    force = true;  // dockerfix's own stale commit: replaced
  }
  git_reference* tmp = nullptr;
  if (git_reference_lookup(&tmp, repo, "refs/dockerfix/remote-tip") == 0) {
    git_reference_delete(tmp);
    git_reference_free(tmp);
  }

  std::string spec = (force ? "+" : "") + ref + ":" + ref;
  char* specs[] = {spec.data()};
  git_strarray arr{specs, 1};
  git_push_options opts = GIT_PUSH_OPTIONS_INIT;
  opts.callbacks = cb;
  state.credentials.attempts = 0;  // a new connection: the token gets its first try again
  check(git_remote_push(remote.get(), &arr, &opts), "cannot push " + branch + " to " + where);
  if (!state.rejected.empty()) throw GitError("push to " + where + " rejected: " + state.rejected);
  return {PushOutcome::Status::Pushed, fmt::format("pushed {} to {}{}", branch, where, force ? " (replacing dockerfix's older commit)" : "")};
}

}  // namespace dockerfix::gitlayer
