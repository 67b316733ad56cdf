// HEAD's tree written out to a directory of its own, for what needs the
// files on disk (bot --verify builds each Dockerfile in its directory):
// the repository's index, HEAD and any work tree are left alone. The
// directory is removed when the Checkout goes.
#pragma once

#include <git2.h>

#include <filesystem>

namespace dockerfix::gitlayer {

class Checkout {
 public:
  // Replaces whatever is at `dir`. Throws GitError.
  Checkout(git_repository* repo, std::filesystem::path dir);
  ~Checkout();
  Checkout(const Checkout&) = delete;
  Checkout& operator=(const Checkout&) = delete;
  const std::filesystem::path& dir() const { return dir_; }

 private:
  std::filesystem::path dir_;
};

}  // namespace dockerfix::gitlayer
