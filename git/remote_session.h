// One remote as dockerfix talks to it: credentials taken out of its URL and
// offered only where TokenPolicy allows, redirects not followed (libgit2
// would hand the credentials meant for the first server to the one it was
// redirected to), and every connection reported to the watchdog so a server
// that stalls is abandoned.
#pragma once

#include <git2.h>

#include <optional>
#include <string>
#include <vector>

#include "git/credentials.h"
#include "git/handles.h"
#include "git/token_policy.h"

namespace dockerfix::gitlayer {

class RemoteSession {
 public:
  enum class Purpose { Fetch, Push };
  // `remote` is a remote's name or a URL/path. A named remote's URL (its
  // push URL for Push) is used with any user:password@ part removed.
  RemoteSession(git_repository* repo, const std::string& remote, const TokenPolicy& tokens, Purpose purpose);

  const std::string& url() const { return url_; }      // without credentials
  const std::string& where() const { return where_; }  // for messages

  struct Listing {
    std::vector<std::pair<std::string, git_oid>> heads;
    std::string default_branch;  // the remote's HEAD (without refs/heads/); empty when it advertises none
  };
  Listing list();
  void fetch(const std::vector<std::string>& refspecs, bool prune);
  // Pushes `spec` for `ref`, provided the remote's tip of `ref` is still
  // `expected` when the push starts (nullopt: the ref must not exist).
  void push(const std::string& spec, const std::string& ref, const std::optional<git_oid>& expected);

  struct State {
    CredentialState credentials;
    std::string rejected;                 // a ref update the server refused
    std::string ref;                      // the ref push() may change
    std::optional<git_oid> expected;      // and what it must still hold
    std::string lease_broken;             // why the push was stopped
  };

 private:
  git_remote_callbacks callbacks();
  git_repository* repo_;
  const TokenPolicy& tokens_;
  Remote remote_;
  std::string url_, where_;
  State state_;
};

}  // namespace dockerfix::gitlayer
