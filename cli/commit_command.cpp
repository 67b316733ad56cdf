#include "cli/commit_command.h"

#include <fmt/core.h>

#include "cli/commands.h"
#include "cli/git_fixer.h"
#include "cli/kubernetes_checks.h"
#include "git/commit_fixes.h"
#include "git/credentials.h"
#include "git/handles.h"
#include "git/push.h"
#include "git/token_policy.h"
#include "git/watchdog.h"

namespace dockerfix::cli {

void add_commit_options(CLI::App* apply, CommitCliOptions& c) {
  auto* commit = apply->add_flag("--commit", c.commit,
                                 "Write the fixes of HEAD's Dockerfiles as a commit on a new branch; the work tree, "
                                 "the index and the checked-out branch are left alone");
  apply->add_option("--branch", c.branch,
                    "Branch for --commit (default dockerfix/<rules>); never HEAD, the checked-out or the default "
                    "branch")
      ->needs(commit);
  apply->add_option("--message-prefix", c.message_prefix, "Conventional-commit type(scope) (default fix(docker))")
      ->needs(commit);
  apply->add_option("--author", c.author, "'Name <email>' (default: GIT_AUTHOR_*, then git config)")->needs(commit);
  auto* push =
      apply->add_option("--push", c.push, "Push the branch to this remote (name or URL) after --commit")->needs(commit);
  apply->add_option("--token-host", c.token_hosts,
                    "HOST or HOST:PORT that may be sent the token over HTTPS, besides github.com (repeatable)")
      ->needs(push);
  apply->add_option("--allow-http-host", c.http_hosts,
                    "HOST or HOST:PORT that may be sent the token and other credentials over plain HTTP too "
                    "(repeatable)")
      ->needs(push);
  apply->add_option("--network-timeout", c.network_timeout,
                    "Seconds the push may go without data before it is abandoned (default 60)")
      ->needs(push)
      ->check(CLI::PositiveNumber);
}

namespace {

// The push, in a worker process that is killed when the server stalls
// (git/watchdog.h). Its answer: one letter (P pushed, U up to date, R
// refused) and the detail.
int push_watched(const CommitCliOptions& c, const std::string& branch, const gitlayer::TokenPolicy& tokens,
                 bool quiet) {
  using namespace gitlayer;
  WatchedResult w = run_watched(
      [&] {
        Library lib;
        git_repository* raw = nullptr;
        check(git_repository_open_ext(&raw, ".", 0, nullptr), "not inside a git repository");
        Repository repo(raw);
        PushOutcome p = push_branch(repo.get(), c.push, branch, tokens);
        const char status = p.status == PushOutcome::Status::Pushed     ? 'P'
                            : p.status == PushOutcome::Status::UpToDate ? 'U'
                                                                         : 'R';
        return std::string(1, status) + p.detail;
      },
      WatchLimits{c.network_timeout});
  switch (w.status) {
    case WatchedResult::Status::Finished:
      if (w.output.starts_with("R")) {
        fmt::print(stderr, "dockerfix: {}\n", scrub(w.output.substr(1)));
        return kExitUsage;
      }
      if (!quiet) fmt::print("{}\n", scrub(w.output.substr(1)));
      return kExitOk;
    case WatchedResult::Status::NetworkStalled:
      fmt::print(stderr, "dockerfix: push abandoned: no data for {} s while {} (--network-timeout)\n",
                 c.network_timeout, scrub(w.activity));
      return kExitUsage;
    default:
      fmt::print(stderr, "dockerfix: {}\n", scrub(w.error));
      return kExitUsage;
  }
}

}  // namespace

int run_apply_commit(const CommitCliOptions& c, const FixOptions& o, const Settings& s) {
  using namespace gitlayer;
  CommitRequest req;
  for (const auto& p : o.paths)
    if (p == "-") {
      fmt::print(stderr, "dockerfix: --commit reads the repository's HEAD, not standard input\n");
      return kExitUsage;
    }
  TokenPolicy tokens;
  try {
    tokens = TokenPolicy::from_flags("", c.token_hosts, c.http_hosts);
  } catch (const std::invalid_argument& e) {
    fmt::print(stderr, "dockerfix: {}\n", e.what());
    return kExitUsage;
  }
  req.paths = o.paths;
  req.branch = c.branch;
  req.message_prefix = c.message_prefix;
  req.author = c.author;
  req.user = s.options.user;
  req.uid = s.options.uid;
  int code = kExitOk;
  std::string branch;
  try {
    Library lib;
    git_repository* raw = nullptr;
    check(git_repository_open_ext(&raw, ".", 0, nullptr), "not inside a git repository");
    Repository repo(raw);
    const char* wd = git_repository_workdir(repo.get());
    CommitOutcome out = commit_fixes(req, make_fixer(s, wd ? wd : ""), dockerfile_names(), make_tree_fixer(s));
    for (const auto& e : out.errors) {
      fmt::print(stderr, "dockerfix: {}\n", e);
      code = kExitUsage;
    }
    const std::string short_oid = out.commit.substr(0, 12);
    const std::string subject = out.message.substr(0, out.message.find('\n'));
    using S = CommitOutcome::Status;
    switch (out.status) {
      case S::NoChanges:
        if (!o.quiet) fmt::print("nothing to fix in HEAD ({}); no commit\n", out.base.substr(0, 12));
        return code;
      case S::Refused:
        fmt::print(stderr, "dockerfix: {}\n", out.refusal);
        return kExitUsage;
      case S::UpToDate:
        if (!o.quiet) fmt::print("branch {} is up to date at {}: {}\n", out.branch, short_oid, subject);
        break;
      case S::Created:
      case S::Rebuilt:
        if (!o.quiet) {
          fmt::print("{} branch {} at {}: {}\n", out.status == S::Created ? "created" : "rebuilt on HEAD", out.branch,
                     short_oid, subject);
          for (const auto& f : out.changes) fmt::print("  {} ({} fix{})\n", f.path, f.fixes.size(), f.fixes.size() == 1 ? "" : "es");
        }
        break;
    }
    branch = out.branch;
  } catch (const std::exception& e) {
    fmt::print(stderr, "dockerfix: {}\n", gitlayer::scrub(e.what()));
    return kExitUsage;
  }
  if (c.push.empty()) return code;
  try {
    // libgit2 is shut down here (the scope above), as run_watched requires.
    int pushed = push_watched(c, branch, tokens, o.quiet);
    return pushed != kExitOk ? pushed : code;
  } catch (const std::exception& e) {
    fmt::print(stderr, "dockerfix: {}\n", gitlayer::scrub(e.what()));
    return kExitUsage;
  }
}

}  // namespace dockerfix::cli
