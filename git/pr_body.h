// The body of dockerfix's pull request: what a verification proved (bot
// --verify) and what the base images' lock says, then per rule why it
// matters, a link to its docs, and each file and line fixed — cut short,
// saying how much was left out, where GitHub's limit on a body would be
// passed. The commit message always lists everything.
#pragma once

#include <string>
#include <vector>

#include "git/fixer.h"

namespace dockerfix::gitlayer {

// GitHub refuses a pull request body longer than this many characters; the
// body is kept to as many bytes, so it fits whatever the characters are.
inline constexpr size_t kMaxPullRequestBody = 65536;

struct BodyNotes {
  std::vector<FileProof> proofs;          // per Dockerfile verified, changed or not
  std::vector<std::string> images;        // moved tags, images that could not be learned
  std::vector<std::string> also_written;  // files committed with the fixes (dockerfix.lock)
};

std::string pull_request_body(const std::vector<FileChange>& changes, size_t limit = kMaxPullRequestBody,
                              const BodyNotes& notes = {});

}  // namespace dockerfix::gitlayer
