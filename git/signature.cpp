#include "git/signature.h"

#include <cstdlib>

namespace dockerfix::gitlayer {

namespace {

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

Signature make(const std::string& name, const std::string& email) {
  git_signature* sig = nullptr;
  check(git_signature_now(&sig, name.c_str(), email.c_str()), "invalid identity '" + name + " <" + email + ">'");
  return Signature(sig);
}

Signature resolve(git_repository* repo, const std::string& spec, const char* name_var, const char* email_var) {
  if (!spec.empty()) {
    auto lt = spec.find('<'), gt = spec.rfind('>');
    if (lt == std::string::npos || gt == std::string::npos || gt < lt)
      throw GitError("--author must look like 'Name <email>', not '" + spec + "'");
    std::string name = spec.substr(0, lt);
    while (!name.empty() && name.back() == ' ') name.pop_back();
    return make(name, spec.substr(lt + 1, gt - lt - 1));
  }
  std::string name = env(name_var), email = env(email_var);
  if (name.empty() || email.empty()) {
    git_signature* def = nullptr;
    if (git_signature_default(&def, repo) == 0) {
      Signature d(def);
      if (name.empty()) name = d->name;
      if (email.empty()) email = d->email;
    }
  }
  if (name.empty() || email.empty())
    throw GitError(
        "no commit identity: set git config user.name and user.email, GIT_AUTHOR_NAME/GIT_AUTHOR_EMAIL, or pass "
        "--author 'Name <email>'");
  return make(name, email);
}

}  // namespace

Signature author_signature(git_repository* repo, const std::string& spec) {
  return resolve(repo, spec, "GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL");
}

Signature committer_signature(git_repository* repo, const std::string& spec) {
  // git takes the committer from GIT_COMMITTER_*, else config; --author only
  // names the author, but with no committer identity at all it stands in.
  try {
    return resolve(repo, "", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL");
  } catch (const GitError&) {
    if (spec.empty()) throw;
    return resolve(repo, spec, "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL");
  }
}

}  // namespace dockerfix::gitlayer
