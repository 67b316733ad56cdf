// `dockerfix bot`: for each repository in a list, clone or fetch it into a
// cache, fix, commit, push and open (or update) a pull request — never a
// duplicate, never one a human closed — and summarise the run.
#pragma once

#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "git/commit_fixes.h"
#include "git/fixer.h"
#include "git/pr_body.h"
#include "git/token_policy.h"

namespace dockerfix::gitlayer {

struct BotRepo {
  std::string source;  // clone URL or local path
  std::string slug;    // owner/name on the forge
};

// One repository a line: `SOURCE [OWNER/NAME]`; blank lines and # comments
// skipped. Without OWNER/NAME it is the source's last two path components
// (".git" dropped). Keeps the lines of shard `index` (1-based) of `count`:
// line i (0-based, over the kept lines) goes to shard i % count + 1.
std::vector<BotRepo> read_repo_list(const std::string& file, int index, int count);

// "K/N" with 1 <= K <= N; throws std::invalid_argument otherwise.
std::pair<int, int> parse_shard(const std::string& spec);

struct BotOptions {
  std::vector<BotRepo> repos;
  std::string workdir;          // clone cache
  std::string api_url;          // GitHub API base
  std::string token;            // for the API (and HTTPS pushes, via the environment)
  TokenPolicy tokens;           // which servers may be sent it
  double network_timeout = 60;  // seconds without data before a network operation is abandoned
  double repo_timeout = 900;    // seconds for everything done for one repository
  bool dry_run = false;         // no push, no pull request
  bool open_pull_requests = true;  // false (--forge none): push the branch, open nothing
  CommitRequest commit;         // prefix and author; the rest is per repository
  bool checkout = false;        // HEAD's tree on disk for the fixer (RepoView::checkout): bot --verify
  // A stopped worker's time to clean up after SIGTERM (WatchLimits::grace),
  // and whether the run is to stop (Ctrl-C): asked in the parent while a
  // worker runs, and in the worker before it pushes.
  double stop_grace = 0;
  std::function<bool()> stopped;
};

struct BotRow {
  std::string repo;
  std::string status;  // pr-opened, pr-updated, pushed, up-to-date, no-changes, skipped-closed, refused,
                       // would-open/update/push, failed, timed-out, interrupted
  std::string detail;  // PR URL, branch or error
  bool failed = false;
};

// Each repository is fixed with `fixer_for` its own `.dockerfix.yaml` and
// `dockerfix.lock` (read from the default branch's tree), in a worker
// process of its own that is killed when a network operation stalls or the
// repository's budget is spent (git/watchdog.h); the run goes on with the
// next repository, unless `stopped` says to stop. libgit2 must not be
// initialised by the caller.
std::vector<BotRow> run_bot(const BotOptions& options, const FixerFactory& fixer_for, const NameFilter& is_dockerfile,
                            std::FILE* log);

// The summary table.
std::string format_table(const std::vector<BotRow>& rows);

}  // namespace dockerfix::gitlayer
