#include "git/checkout.h"

#include "git/handles.h"

namespace dockerfix::gitlayer {

namespace fs = std::filesystem;

Checkout::Checkout(git_repository* repo, fs::path dir) : dir_(std::move(dir)) {
  std::error_code ec;
  fs::remove_all(dir_, ec);  // left by a worker that was killed
  fs::create_directories(dir_, ec);
  if (ec) throw GitError("cannot create " + dir_.string() + ": " + ec.message());
  git_object* tree = nullptr;
  check(git_revparse_single(&tree, repo, "HEAD^{tree}"), "cannot read HEAD's tree");
  git_checkout_options opts = GIT_CHECKOUT_OPTIONS_INIT;
  // Into a directory of its own: the index is the repository's, not this
  // copy's, and nothing there is the user's to keep.
  opts.checkout_strategy = GIT_CHECKOUT_FORCE | GIT_CHECKOUT_DONT_UPDATE_INDEX;
  const std::string target = dir_.string();
  opts.target_directory = target.c_str();
  const int rc = git_checkout_tree(repo, tree, &opts);
  git_object_free(tree);
  if (rc < 0) {
    fs::remove_all(dir_, ec);
    check(rc, "cannot write HEAD's files to " + target);
  }
}

Checkout::~Checkout() {
  std::error_code ec;
  fs::remove_all(dir_, ec);
}

}  // namespace dockerfix::gitlayer
