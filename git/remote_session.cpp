#include "git/remote_session.h"

#include <fmt/format.h>

#include "git/watchdog.h"

namespace dockerfix::gitlayer {

namespace {

using State = RemoteSession::State;

int on_credentials(git_credential** out, const char* url, const char* user, unsigned int allowed, void* payload) {
  network_progress();  // the server answered
  return acquire_credentials(out, url, user, allowed, &static_cast<State*>(payload)->credentials);
}

int on_sideband(const char*, int, void*) {
  network_progress();
  return 0;
}

int on_transfer(const git_indexer_progress*, void*) {
  network_progress();
  return 0;
}

int on_push_transfer(unsigned int, unsigned int, size_t, void*) {
  network_progress();
  return 0;
}

int on_pack(int, uint32_t, uint32_t, void*) {
  network_progress();
  return 0;
}

int on_push_update(const char* refname, const char* status, void* payload) {
  if (status) static_cast<State*>(payload)->rejected = fmt::format("{}: {}", refname, status);
  return 0;
}

// A lease: the push goes ahead only if the remote's tip is still the one
// dockerfix checked, so a human's push in between is never overwritten.
int on_negotiation(const git_push_update** updates, size_t n, void* payload) {
  auto* state = static_cast<State*>(payload);
  for (size_t i = 0; i < n; ++i) {
    if (state->ref != updates[i]->dst_refname) continue;
    git_oid zero{};
    const git_oid& want = state->expected ? *state->expected : zero;
    if (!git_oid_equal(&updates[i]->src, &want)) {
      state->lease_broken = fmt::format("{} changed on the remote since dockerfix looked (now {}); not overwriting it",
                                        state->ref, oid_str(updates[i]->src, 12));
      return GIT_EUSER;
    }
  }
  return 0;
}

}  // namespace

RemoteSession::RemoteSession(git_repository* repo, const std::string& remote, const TokenPolicy& tokens,
                             Purpose purpose)
    : repo_(repo), tokens_(tokens) {
  state_.credentials.policy = &tokens_;
  git_remote* raw = nullptr;
  const bool named = git_remote_lookup(&raw, repo, remote.c_str()) == 0;
  std::string given = remote;
  if (named) {
    remote_.reset(raw);
    const char* fetch_url = git_remote_url(raw);
    const char* push_url = git_remote_pushurl(raw);
    const char* chosen = purpose == Purpose::Push && push_url ? push_url : fetch_url;
    if (!chosen) throw GitError("remote '" + remote + "' has no URL");
    given = chosen;
  }
  // Neither libgit2 nor the repository's files see the URL's credentials.
  SplitUrl split = split_credentials(given);
  url_ = split.url;
  where_ = redact_url(url_);
  state_.credentials.url_user = split.user;
  state_.credentials.url_password = split.password;
  if (named) {
    // In memory only; the listing before a push goes to the push URL too.
    check(git_remote_set_instance_url(remote_.get(), url_.c_str()), "cannot use " + where_);
    if (purpose == Purpose::Push) check(git_remote_set_instance_pushurl(remote_.get(), url_.c_str()), "cannot use " + where_);
  } else {
    check(git_remote_create_anonymous(&raw, repo, url_.c_str()),
          "no remote named '" + redact_url(remote) + "' and not a URL");
    remote_.reset(raw);
  }
}

git_remote_callbacks RemoteSession::callbacks() {
  git_remote_callbacks cb = GIT_REMOTE_CALLBACKS_INIT;
  cb.credentials = on_credentials;
  cb.sideband_progress = on_sideband;
  cb.transfer_progress = on_transfer;
  cb.push_transfer_progress = on_push_transfer;
  cb.pack_progress = on_pack;
  cb.push_update_reference = on_push_update;
  cb.push_negotiation = on_negotiation;
  cb.payload = &state_;
  state_.credentials.attempts = 0;  // a new connection: the token gets its first try again
  return cb;
}

RemoteSession::Listing RemoteSession::list() {
  NetworkActivity activity("listing the branches of " + where_);
  git_remote_connect_options opts = GIT_REMOTE_CONNECT_OPTIONS_INIT;
  opts.callbacks = callbacks();
  opts.follow_redirects = GIT_REMOTE_REDIRECT_NONE;
  check(git_remote_connect_ext(remote_.get(), GIT_DIRECTION_FETCH, &opts), "cannot connect to " + where_);
  Listing out;
  const git_remote_head** heads = nullptr;
  size_t n = 0;
  check(git_remote_ls(&heads, &n, remote_.get()), "cannot list " + where_);
  for (size_t i = 0; i < n; ++i) out.heads.emplace_back(heads[i]->name, heads[i]->oid);
  git_buf buf = GIT_BUF_INIT;
  if (git_remote_default_branch(&buf, remote_.get()) == 0) {
    std::string head(buf.ptr, buf.size);
    if (head.starts_with("refs/heads/")) out.default_branch = head.substr(11);
  }
  git_buf_dispose(&buf);
  git_remote_disconnect(remote_.get());
  return out;
}

void RemoteSession::fetch(const std::vector<std::string>& refspecs, bool prune) {
  NetworkActivity activity("fetching from " + where_);
  git_fetch_options opts = GIT_FETCH_OPTIONS_INIT;
  opts.callbacks = callbacks();
  opts.prune = prune ? GIT_FETCH_PRUNE : GIT_FETCH_NO_PRUNE;
  opts.follow_redirects = GIT_REMOTE_REDIRECT_NONE;
  opts.update_fetchhead = 0;
  std::vector<char*> specs;
  for (const auto& s : refspecs) specs.push_back(const_cast<char*>(s.c_str()));
  git_strarray arr{specs.data(), specs.size()};
  check(git_remote_fetch(remote_.get(), &arr, &opts, "dockerfix: fetch"), "cannot fetch from " + where_);
}

void RemoteSession::push(const std::string& spec, const std::string& ref, const std::optional<git_oid>& expected) {
  NetworkActivity activity("pushing to " + where_);
  state_.ref = ref;
  state_.expected = expected;
  state_.lease_broken.clear();
  state_.rejected.clear();
  std::string copy = spec;
  char* specs[] = {copy.data()};
  git_strarray arr{specs, 1};
  git_push_options opts = GIT_PUSH_OPTIONS_INIT;
  opts.callbacks = callbacks();
  opts.follow_redirects = GIT_REMOTE_REDIRECT_NONE;
  const int rc = git_remote_push(remote_.get(), &arr, &opts);
  if (!state_.lease_broken.empty()) throw GitError("push to " + where_ + " stopped: " + state_.lease_broken);
  check(rc, "cannot push to " + where_);
  if (!state_.rejected.empty()) throw GitError("push to " + where_ + " rejected: " + state_.rejected);
}

}  // namespace dockerfix::gitlayer
