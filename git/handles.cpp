#include "git/handles.h"

#include <atomic>
#include <mutex>

namespace dockerfix::gitlayer {

namespace {

std::atomic<int> g_initialisations{0};
std::mutex g_session_mutex;
bool g_session = false;  // a LibrarySession exists
bool g_held = false;     // ... and holds an initialisation of its own

void init() {
  if (git_libgit2_init() == 1) ++g_initialisations;
}

void hold_locked() {
  if (g_held) return;
  init();
  g_held = true;
}

}  // namespace

Library::Library() {
  init();
  std::lock_guard lock(g_session_mutex);
  if (g_session) hold_locked();
}

Library::~Library() { git_libgit2_shutdown(); }

int Library::initialisations() { return g_initialisations; }

LibrarySession::LibrarySession() {
  std::lock_guard lock(g_session_mutex);
  g_session = true;
}

LibrarySession::~LibrarySession() {
  std::lock_guard lock(g_session_mutex);
  g_session = false;
  if (g_held) git_libgit2_shutdown();
  g_held = false;
}

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
