// The bot's clone cache: one bare clone per repository, in a folder named
// for a hash of the repository's normalised URL (so git://host/org/app.git
// and /srv/org/app.git never share one) with the slug in front for people.
#pragma once

#include <filesystem>
#include <string>

namespace dockerfix::gitlayer {

// `source` as one repository is spelled once: no credentials, no user name,
// scheme and host in lower case, no default port, no trailing '/' or
// ".git"; scp-like user@host:path as ssh://host/path; a local path absolute
// and normal, as file://PATH.
std::string normalise_source(const std::string& source);

// "<slug with _ for anything but [A-Za-z0-9.-]>-<16 hex digits of the
// SHA-1 of normalise_source(source)>".
std::string cache_name(const std::string& source, const std::string& slug);

// An exclusive lock on one cache folder (a lock file beside it), so two bot
// runs never work in the same clone at once.
class CacheLock {
 public:
  explicit CacheLock(const std::filesystem::path& dir);
  ~CacheLock();
  CacheLock(const CacheLock&) = delete;
  CacheLock& operator=(const CacheLock&) = delete;
  bool held() const { return fd_ >= 0; }

 private:
  int fd_ = -1;
};

// With the CacheLock held: lock files in `dir` (libgit2's *.lock) can only be
// left over from a worker that was killed, and would make every later run
// fail; they are removed, and so is a half-made clone beside it.
void remove_stale_locks(const std::filesystem::path& dir);

}  // namespace dockerfix::gitlayer
