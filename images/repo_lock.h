// The bot's `images learn`, for one repository that keeps a dockerfix.lock:
// the lock refreshed for the base images its Dockerfiles use, what the
// fixes are to use, and what a pull request must say about it — a tag that
// moved, an image that could not be learned and what stands in for it.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "dockerfix/lock.h"
#include "images/learn.h"

namespace dockerfix::images {

struct RepoLock {
  model::Lock lock;                // to fix with: learned entries, the committed ones where learning failed
  std::string text;                // lock_text(lock)
  bool changed = false;            // text differs from the committed lock's bytes
  std::vector<std::string> notes;  // for the commit and the pull request
  std::vector<std::string> log;    // what learn said, a line per image
};

// `dockerfiles`: path -> bytes (the repository's, ARG defaults only);
// `committed`: the lock's text as committed, named `origin` in errors.
// Throws std::runtime_error (origin:line) on a bad lock; an image that
// cannot be learned is a note, never an exception.
RepoLock refresh_repo_lock(const std::map<std::string, std::string>& dockerfiles, const std::string& committed,
                           const std::string& origin, const LearnOptions& options);

}  // namespace dockerfix::images
