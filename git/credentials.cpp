#include "git/credentials.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

namespace dockerfix::gitlayer {

namespace {

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

// Asks git's configured credential helpers, the way `git push` would, but
// with prompting off: a bot must fail, not hang.
bool credential_helper(const std::string& url, std::string& user, std::string& password) {
  char path[] = "/tmp/dockerfix-cred-XXXXXX";
  int fd = mkstemp(path);
  if (fd < 0) return false;
  std::string request = "url=" + url + "\n\n";
  bool ok = write(fd, request.data(), request.size()) == static_cast<ssize_t>(request.size());
  close(fd);
  if (ok) {
    std::string cmd = std::string("GIT_TERMINAL_PROMPT=0 GIT_ASKPASS=true git credential fill < ") + path +
                      " 2>/dev/null";
    if (FILE* p = popen(cmd.c_str(), "r")) {
      char line[4096];
      while (std::fgets(line, sizeof line, p)) {
        std::string l(line);
        while (!l.empty() && (l.back() == '\n' || l.back() == '\r')) l.pop_back();
        if (l.starts_with("username=")) user = l.substr(9);
        if (l.starts_with("password=")) password = l.substr(9);
      }
      ok = pclose(p) == 0;
    } else {
      ok = false;
    }
  }
  unlink(path);
  return ok && !password.empty();
}

}  // namespace

std::string scrub(std::string text) {
  for (const char* name : {"DOCKERFIX_TOKEN", "GITHUB_TOKEN", "GH_TOKEN"}) {
    std::string token = env(name);
    if (token.size() < 4) continue;  // too short to be a secret, too common to replace
    for (size_t at = text.find(token); at != std::string::npos; at = text.find(token, at)) text.replace(at, token.size(), "***");
  }
  return text;
}

int acquire_credentials(git_credential** out, const char* url, const char* username_from_url, unsigned int allowed,
                        void* payload) {
  auto* state = static_cast<CredentialState*>(payload);
  // libgit2 asks again after a rejection; a few tries, then give up.
  if (++state->attempts > 3) return GIT_EAUTH;
  static const TokenPolicy kDefaultPolicy;
  const TokenPolicy& policy = state->policy ? *state->policy : kDefaultPolicy;
  const std::string where = url ? url : "";
  std::string url_user = username_from_url ? username_from_url : state->url_user;

  std::string refused;  // a secret held back, and why: said when nothing else is offered
  if (allowed & GIT_CREDENTIAL_USERPASS_PLAINTEXT) {
    if (!state->url_password.empty() && state->attempts == 1) {
      if (policy.allows_secret(where))
        return git_credential_userpass_plaintext_new(out, url_user.c_str(), state->url_password.c_str());
      refused = "the password in the URL: " + policy.refusal(where);
    }
    std::string token = env("DOCKERFIX_TOKEN");
    if (token.empty()) token = env("GITHUB_TOKEN");
    if (!token.empty() && state->attempts == 1) {
      if (policy.allows_token(where)) {
        // GitHub, GitLab and Gitea accept a token as the password of any user.
        std::string user = url_user.empty() ? "x-access-token" : url_user;
        return git_credential_userpass_plaintext_new(out, user.c_str(), token.c_str());
      }
      if (refused.empty()) refused = "the token: " + policy.refusal(where);
    }
    // git's helpers answer for the host they are asked about (git's own
    // rule), but no secret goes over plain HTTP unless the host is named.
    std::string user, password;
    if (policy.allows_secret(where) && credential_helper(where, user, password))
      return git_credential_userpass_plaintext_new(out, (user.empty() ? url_user : user).c_str(), password.c_str());
  }
  if (allowed & GIT_CREDENTIAL_SSH_KEY) {
    std::string user = url_user.empty() ? "git" : url_user;
    if (!env("SSH_AUTH_SOCK").empty() && state->attempts == 1)
      return git_credential_ssh_key_from_agent(out, user.c_str());
    std::string key = env("DOCKERFIX_SSH_KEY");
    if (key.empty()) {
      for (const char* name : {"id_ed25519", "id_ecdsa", "id_rsa"}) {
        std::filesystem::path p = std::filesystem::path(env("HOME")) / ".ssh" / name;
        std::error_code ec;
        if (std::filesystem::exists(p, ec)) {
          key = p.string();
          break;
        }
      }
    }
    if (!key.empty()) {
      std::string pub = key + ".pub";
      std::error_code ec;
      return git_credential_ssh_key_new(out, user.c_str(), std::filesystem::exists(pub, ec) ? pub.c_str() : nullptr,
                                        key.c_str(), env("DOCKERFIX_SSH_PASSPHRASE").c_str());
    }
  }
  if (allowed & GIT_CREDENTIAL_USERNAME)
    return git_credential_username_new(out, url_user.empty() ? "git" : url_user.c_str());
  if (!refused.empty()) {
    git_error_set_str(GIT_ERROR_NET, ("the server asks for credentials; not sending " + refused).c_str());
    return GIT_EAUTH;
  }
  return GIT_PASSTHROUGH;
}

}  // namespace dockerfix::gitlayer
