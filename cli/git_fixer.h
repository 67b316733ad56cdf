// The fixing engine as the git layer sees it: bytes of one file in, fixed
// bytes and the fixes out, with the same refusals as `apply`.
#pragma once

#include "cli/fix_options.h"
#include "git/fixer.h"

namespace dockerfix::cli {

// `settings` must outlive the returned function. `context_root`, when not
// empty, is the directory scripts copied into the image are read from.
gitlayer::FileFixer make_fixer(const Settings& settings, std::string context_root);
gitlayer::NameFilter dockerfile_names();

}  // namespace dockerfix::cli
