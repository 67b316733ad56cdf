// The fixing engine as the git layer sees it: bytes of one file in, fixed
// bytes and the fixes out, with the same refusals as `apply`.
#pragma once

#include "cli/file_pipeline.h"
#include "cli/fix_options.h"
#include "git/fixer.h"

namespace dockerfix::cli {

// `settings` must outlive the returned function. `context_root`, when not
// empty, is the directory scripts copied into the image are read from.
// With a `verify`, each file's fixes are those a build and run prove, and
// the FileFix says what was proven and dropped.
gitlayer::FileFixer make_fixer(const Settings& settings, std::string context_root, Verifier verify = {});
gitlayer::NameFilter dockerfile_names();

}  // namespace dockerfix::cli
