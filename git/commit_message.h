// The commit message dockerfix writes: a conventional-commit subject of at
// most 72 characters, a body listing each file and fix, and a trailer naming
// the rules. The trailer tells people what was done; it proves nothing (an
// amended commit keeps it): dockerfix knows its commits by id
// (git/own_commits.h).
#pragma once

#include <string>
#include <vector>

#include "git/fixer.h"

namespace dockerfix::gitlayer {

inline constexpr size_t kMaxSubject = 72;
inline constexpr const char* kRulesTrailer = "Dockerfix-Rules";

struct MessageInput {
  std::string prefix = "fix(docker)";  // conventional-commit type(scope)
  std::string user = "agent";          // for "run as non-root user agent (uid 1000)"
  unsigned uid = 1000;
  std::vector<FileChange> changes;
  std::vector<FileProof> proofs;          // --verify: per Dockerfile, what was proven and dropped
  std::vector<std::string> notes;         // base images: moved tags, images that could not be learned
  std::vector<std::string> also_written;  // files committed with the fixes (dockerfix.lock)
};

// The distinct rules of `changes`, in the order they first appear.
std::vector<std::string> rules_of(const std::vector<FileChange>& changes);

std::string subject(const MessageInput& in);
// The lines that say what a verification proved and dropped for one file,
// without the path ("built and ran as uid 1000; ...", "kept nonroot-final-user: proven", ...).
std::vector<std::string> proof_lines(const FileProof& proof);
std::string commit_message(const MessageInput& in);

// Default branch name for a set of rules: stable, so reruns find it again.
std::string default_branch(const std::vector<std::string>& rules);

// The rules named by a message's Dockerfix-Rules trailer; empty when the
// message has none.
std::vector<std::string> dockerfix_rules(const std::string& message);

// Why each rule's fix is needed and where it is documented, for PR bodies.
std::string rule_rationale(const std::string& rule);
std::string rule_docs_url(const std::string& rule);
std::string project_url();

}  // namespace dockerfix::gitlayer
