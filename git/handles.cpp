#include "git/handles.h"

namespace dockerfix::gitlayer {

void check(int rc, const std::string& what) {
  if (rc >= 0) return;
  const git_error* e = git_error_last();
  throw GitError(what + ": " + (e && e->message ? e->message : "libgit2 error " + std::to_string(rc)));
}

std::string oid_str(const git_oid& oid, size_t length) {
  char buf[GIT_OID_HEXSZ + 1];
  git_oid_tostr(buf, sizeof buf, &oid);
  return std::string(buf).substr(0, length);
}

std::string redact_url(const std::string& url) {
  auto scheme = url.find("://");
  if (scheme == std::string::npos) return url;
  auto host = scheme + 3;
  auto at = url.find('@', host);
  auto slash = url.find('/', host);
  if (at == std::string::npos || (slash != std::string::npos && at > slash)) return url;
  return url.substr(0, host) + "***@" + url.substr(at + 1);
}

}  // namespace dockerfix::gitlayer
