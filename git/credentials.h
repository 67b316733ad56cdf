// Credentials for fetch and push, never printed: a token from the
// environment for HTTPS (DOCKERFIX_TOKEN, else GITHUB_TOKEN) — only to the
// hosts TokenPolicy allows —, else git's own credential helpers (`git
// credential fill`, no prompting); for SSH the ssh-agent, else
// DOCKERFIX_SSH_KEY or ~/.ssh/id_ed25519 / id_rsa.
#pragma once

#include <git2.h>

#include <string>

#include "git/token_policy.h"

namespace dockerfix::gitlayer {

struct CredentialState {
  int attempts = 0;
  const TokenPolicy* policy = nullptr;  // null: the default forge only (github.com)
  // A user name and password that were written into the remote's URL. The
  // URL libgit2 sees has them removed (libgit2 would otherwise send them to
  // wherever it is redirected, over plain HTTP too); they are offered here,
  // under the same rules as any secret.
  std::string url_user, url_password;
};

// A git_credential_acquire_cb; `payload` is a CredentialState*.
int acquire_credentials(git_credential** out, const char* url, const char* username_from_url, unsigned int allowed,
                        void* payload);

// `text` with every token dockerfix may hold (DOCKERFIX_TOKEN, GITHUB_TOKEN,
// GH_TOKEN) replaced by ***: the last guard before anything is printed,
// whatever a library put in its message.
std::string scrub(std::string text);

}  // namespace dockerfix::gitlayer
