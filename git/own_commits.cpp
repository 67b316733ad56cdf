#include "git/own_commits.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "git/handles.h"

namespace dockerfix::gitlayer {

std::string written_prefix(const std::string& branch) {
  // One path component per branch, so the records of "a" and "a/b" never
  // collide as file and directory.
  std::string enc;
  for (char c : branch) enc += c == '%' ? std::string("%25") : c == '/' ? std::string("%2F") : std::string(1, c);
  return "refs/dockerfix/written/" + enc + "/";
}

bool wrote(git_repository* repo, const std::string& branch, const git_oid& commit) {
  git_oid recorded;
  if (git_reference_name_to_id(&recorded, repo, (written_prefix(branch) + oid_str(commit)).c_str()) != 0) return false;
  return git_oid_equal(&recorded, &commit);
}

void remember_written(git_repository* repo, const std::string& branch, const git_oid& commit) {
  const std::string prefix = written_prefix(branch);
  git_reference* made = nullptr;
  check(git_reference_create(&made, repo, (prefix + oid_str(commit)).c_str(), &commit, 1, "dockerfix: wrote"),
        "cannot record dockerfix's commit for " + branch);
  git_reference_free(made);

  // The others of the branch, oldest first; the one just written is kept
  // whatever its date says.
  const std::string current = prefix + oid_str(commit);
  std::vector<std::pair<git_time_t, std::string>> others;
  git_reference_iterator* it = nullptr;
  check(git_reference_iterator_glob_new(&it, repo, (prefix + "*").c_str()), "cannot list dockerfix's records");
  git_reference* ref = nullptr;
  while (git_reference_next(&ref, it) == 0) {
    git_commit* c = nullptr;
    git_time_t when = 0;
    if (git_reference_target(ref) && git_commit_lookup(&c, repo, git_reference_target(ref)) == 0) {
      when = git_commit_time(c);
      git_commit_free(c);
    }
    if (current != git_reference_name(ref)) others.emplace_back(when, git_reference_name(ref));
    git_reference_free(ref);
  }
  git_reference_iterator_free(it);
  if (others.size() < kKeptPerBranch) return;
  std::sort(others.begin(), others.end());
  for (size_t i = 0; i + kKeptPerBranch <= others.size(); ++i) {
    git_reference* old = nullptr;
    if (git_reference_lookup(&old, repo, others[i].second.c_str()) == 0) {
      git_reference_delete(old);
      git_reference_free(old);
    }
  }
}

}  // namespace dockerfix::gitlayer
