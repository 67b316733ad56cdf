// Who dockerfix's commits are by: `--author "Name <email>"`, else the
// GIT_AUTHOR_* / GIT_COMMITTER_* environment, else git config user.name and
// user.email, as git itself resolves them.
#pragma once

#include <string>

#include "git/handles.h"

namespace dockerfix::gitlayer {

// Throws GitError naming what to set when no identity can be found.
Signature author_signature(git_repository* repo, const std::string& override_spec);
Signature committer_signature(git_repository* repo, const std::string& override_spec);

}  // namespace dockerfix::gitlayer
