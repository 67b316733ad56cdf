#include "git/bot.h"

#include <algorithm>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <stdexcept>

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "git/checkout.h"
#include "git/clone_cache.h"
#include "git/commit_message.h"
#include "git/credentials.h"
#include "git/github.h"
#include "git/handles.h"
#include "git/push.h"
#include "git/remote_session.h"
#include "git/tree_files.h"
#include "git/watchdog.h"

namespace dockerfix::gitlayer {
namespace fs = std::filesystem;

std::pair<int, int> parse_shard(const std::string& spec) {
  auto slash = spec.find('/');
  try {
    if (slash != std::string::npos) {
      size_t a = 0, b = 0;
      int k = std::stoi(spec.substr(0, slash), &a), n = std::stoi(spec.substr(slash + 1), &b);
      if (a == slash && b == spec.size() - slash - 1 && n >= 1 && k >= 1 && k <= n) return {k, n};
    }
  } catch (const std::exception&) {
  }
  throw std::invalid_argument("--shard must be K/N with 1 <= K <= N (e.g. 1/4; for a 0-based job index use $((INDEX+1))/N), not '" + spec + "'");
}

namespace {

std::string slug_of(const std::string& source) {
  std::string s = source;
  while (!s.empty() && s.back() == '/') s.pop_back();
  if (s.ends_with(".git")) s.resize(s.size() - 4);
  // scp-like git@host:owner/name
  if (auto colon = s.find(':'); colon != std::string::npos && s.find("://") == std::string::npos) s[colon] = '/';
  auto last = s.rfind('/');
  if (last == std::string::npos || last == 0) return s;
  auto before = s.rfind('/', last - 1);
  return s.substr(before == std::string::npos ? 0 : before + 1);
}

const char* const kTracking = "+refs/heads/*:refs/remotes/origin/*";

// Clone (bare: the bot never needs a work tree) or fetch, then point HEAD at
// the remote's default branch and mirror the remote's dockerfix/* branches,
// so reruns compare against what the forge already has. The cache's origin
// is the URL without credentials; every network operation uses the list's
// URL, its credentials kept in memory only.
Repository sync(const BotRepo& r, const fs::path& dir, const TokenPolicy& tokens, std::string& default_branch) {
  const std::string clean = split_credentials(r.source).url;
  git_repository* raw = nullptr;
  std::error_code ec;
  const bool fresh = !fs::exists(dir / "HEAD");
  if (fresh) {
    // Made beside the cache and moved in when complete: a clone cut short
    // leaves no half-made cache behind.
    const fs::path tmp = dir.string() + ".cloning";
    fs::remove_all(tmp, ec);
    fs::remove_all(dir, ec);  // not a repository (no HEAD): nothing to keep
    git_repository_init_options init = GIT_REPOSITORY_INIT_OPTIONS_INIT;
    init.flags = GIT_REPOSITORY_INIT_BARE | GIT_REPOSITORY_INIT_MKPATH;
    check(git_repository_init_ext(&raw, tmp.c_str(), &init), "cannot create the clone cache " + tmp.string());
    Repository made(raw);
    git_remote* origin = nullptr;
    check(git_remote_create(&origin, made.get(), "origin", clean.c_str()), "cannot record origin");
    git_remote_free(origin);
    RemoteSession(made.get(), r.source, tokens, RemoteSession::Purpose::Fetch).fetch({kTracking}, true);
    made.reset();
    fs::rename(tmp, dir);
  }
  check(git_repository_open_bare(&raw, dir.c_str()), "cannot open the cached clone " + dir.string());
  Repository repo(raw);
  check(git_remote_set_url(repo.get(), "origin", clean.c_str()), "cannot record origin");
  RemoteSession session(repo.get(), r.source, tokens, RemoteSession::Purpose::Fetch);
  if (!fresh) session.fetch({kTracking}, true);
  default_branch = session.list().default_branch;
  if (default_branch.empty()) throw GitError("cannot find the default branch of " + session.where());
  const std::string head_ref = "refs/heads/" + default_branch;

  git_oid tip;
  check(git_reference_name_to_id(&tip, repo.get(), ("refs/remotes/origin/" + default_branch).c_str()),
        "no branch " + default_branch + " after fetching");
  git_reference* ref = nullptr;
  check(git_reference_create(&ref, repo.get(), head_ref.c_str(), &tip, 1, "dockerfix bot: sync"), "cannot update " + head_ref);
  git_reference_free(ref);
  check(git_repository_set_head(repo.get(), head_ref.c_str()), "cannot set HEAD");

  git_reference_iterator* it = nullptr;
  check(git_reference_iterator_glob_new(&it, repo.get(), "refs/remotes/origin/dockerfix/*"), "cannot list branches");
  git_reference* remote_ref = nullptr;
  while (git_reference_next(&remote_ref, it) == 0) {
    std::string name = git_reference_name(remote_ref);
    std::string local = "refs/heads/" + name.substr(std::string("refs/remotes/origin/").size());
    git_reference* made = nullptr;
    if (git_reference_create(&made, repo.get(), local.c_str(), git_reference_target(remote_ref), 1, "dockerfix bot: mirror") == 0)
      git_reference_free(made);
    git_reference_free(remote_ref);
  }
  git_reference_iterator_free(it);
  return repo;
}

}  // namespace

std::vector<BotRepo> read_repo_list(const std::string& file, int index, int count) {
  std::ifstream in(file);
  if (!in) throw std::runtime_error("cannot read the repository list " + file);
  std::vector<BotRepo> all;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    auto first = line.find_first_not_of(" \t");
    if (first == std::string::npos || line[first] == '#') continue;
    auto end = line.find_first_of(" \t", first);
    BotRepo r;
    r.source = line.substr(first, end == std::string::npos ? std::string::npos : end - first);
    if (end != std::string::npos) {
      auto s = line.find_first_not_of(" \t", end);
      if (s != std::string::npos) r.slug = line.substr(s, line.find_first_of(" \t", s) - s);
    }
    if (r.slug.empty()) r.slug = slug_of(r.source);
    all.push_back(r);
  }
  std::vector<BotRepo> mine;
  for (size_t i = 0; i < all.size(); ++i)
    if (static_cast<int>(i % static_cast<size_t>(count)) + 1 == index) mine.push_back(all[i]);
  return mine;
}

namespace {

// Beside the clone, under its CacheLock.
fs::path checkout_dir(const fs::path& dir) { return dir.string() + ".tree"; }

// One repository, in the worker process: sync, fix, commit, push, and open
// or update the pull request.
BotRow process(const BotOptions& o, const BotRepo& r, const fs::path& dir, const GitHub& forge,
               const FixerFactory& fixer_for, const NameFilter& is_dockerfile, std::FILE* log) {
  Library lib;
  BotRow row{r.slug, "", "", false};
  // A stop ends the worker at once (a fetch or push has nothing to clean
  // up); a verification sets its own handlers while it builds and runs.
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
  try {
    std::string base;
    Repository repo = sync(r, dir, o.tokens, base);
    CommitRequest req = o.commit;
    req.repository = dir.string();
    req.paths.clear();
    // The repository's own settings and lock, as committed on its default branch.
    RepoView view;
    view.config_text = head_file(repo.get(), ".dockerfix.yaml").value_or("");
    view.origin = r.slug + ":.dockerfix.yaml";
    view.lock_text = head_file(repo.get(), "dockerfix.lock");
    view.lock_origin = r.slug + ":dockerfix.lock";
    view.files = [&](const NameFilter& wants) { return head_files(repo.get(), wants); };
    std::optional<Checkout> tree;
    if (o.checkout) {
      tree.emplace(repo.get(), checkout_dir(dir));
      view.checkout = tree->dir();
    }
    RepoFixer fixer = fixer_for(view);
    for (const auto& n : fixer.notes)
      if (log) fmt::print(log, "  {}\n", n);
    req.user = fixer.user;
    req.uid = fixer.uid;
    req.also_write = fixer.also_write;
    req.notes = fixer.notes;
    CommitOutcome c = commit_fixes(req, fixer.fix, is_dockerfile, fixer.tree);
    tree.reset();
    for (const auto& e : c.errors)
      if (log) fmt::print(log, "  skipped {}\n", e);
    // Again at once from here on; and nothing is pushed once the run is to stop.
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
    if (o.stopped && o.stopped()) throw std::runtime_error("interrupted before pushing");
    const BodyNotes notes{c.proofs, fixer.notes, c.also_written};
    using S = CommitOutcome::Status;
    if (c.status == S::NoChanges) {
      row.status = "no-changes";
      // What the run learned is not lost when there is nothing to commit.
      if (!fixer.notes.empty()) row.detail = fmt::format("{}", fmt::join(fixer.notes, "; "));
    } else if (c.status == S::Refused) {
      row.status = "refused";
      row.detail = c.refusal;
    } else if (!o.open_pull_requests) {
      // No forge: the branch is the deliverable (Gerrit, plain git hosting).
      if (o.dry_run) {
        row.status = "would-push";
        row.detail = c.branch + " " + c.commit.substr(0, 12);
      } else {
        PushOutcome pushed = push_branch(repo.get(), r.source, c.branch, o.tokens);
        row.status = pushed.status == PushOutcome::Status::Pushed     ? "pushed"
                     : pushed.status == PushOutcome::Status::UpToDate ? "up-to-date"
                                                                       : "refused";
        row.detail = pushed.detail;
      }
    } else {
      const std::string title = c.message.substr(0, c.message.find('\n'));
      std::vector<PullRequest> prs;
      try {
        prs = forge.pulls_from(r.slug, c.branch);
      } catch (const ForgeError& e) {
        // A dry run reports what it would do even without API access.
        if (!o.dry_run) throw;
        row.status = "would-open";
        row.detail = c.branch + " " + c.commit.substr(0, 12) + " (pull requests not checked: " + e.what() + ")";
        return row;
      }
      auto open = std::find_if(prs.begin(), prs.end(), [](const PullRequest& p) { return p.state == "open"; });
      bool closed_unmerged = std::any_of(prs.begin(), prs.end(),
                                         [](const PullRequest& p) { return p.state == "closed" && !p.merged; });
      if (open == prs.end() && closed_unmerged) {
        row.status = "skipped-closed";
        row.detail = "a pull request from " + c.branch + " was closed without merging; not reopening";
      } else if (o.dry_run) {
        row.status = open != prs.end() ? "would-update" : "would-open";
        row.detail = c.branch + " " + c.commit.substr(0, 12);
      } else {
        PushOutcome pushed = push_branch(repo.get(), r.source, c.branch, o.tokens);
        if (pushed.status == PushOutcome::Status::Refused) {
          row.status = "refused";
          row.detail = pushed.detail;
        } else if (open != prs.end()) {
          if (pushed.status == PushOutcome::Status::Pushed) {
            forge.update(r.slug, open->number, title, pull_request_body(c.changes, kMaxPullRequestBody, notes));
            row.status = "pr-updated";
          } else {
            row.status = "up-to-date";
          }
          row.detail = open->html_url;
        } else {
          PullRequest pr = forge.create(r.slug, c.branch, base, title, pull_request_body(c.changes, kMaxPullRequestBody, notes));
          row.status = "pr-opened";
          row.detail = pr.html_url;
        }
      }
    }
  } catch (const ForgeError& e) {
    row.status = e.timed_out() ? "timed-out" : "failed";
    row.detail = scrub(e.what());
    row.failed = true;
  } catch (const std::exception& e) {
    row.status = "failed";
    row.detail = scrub(e.what());
    row.failed = true;
  }
  return row;
}

std::string to_json(const BotRow& row, int api_failures) {
  return nlohmann::json{{"repo", row.repo},
                        {"status", row.status},
                        {"detail", row.detail},
                        {"failed", row.failed},
                        {"api_failures", api_failures}}
      .dump();
}

BotRow from_json(const std::string& text, int& api_failures) {
  auto j = nlohmann::json::parse(text);
  api_failures = j.at("api_failures").get<int>();
  return {j.at("repo").get<std::string>(), j.at("status").get<std::string>(), j.at("detail").get<std::string>(),
          j.at("failed").get<bool>()};
}

}  // namespace

std::vector<BotRow> run_bot(const BotOptions& o, const FixerFactory& fixer_for, const NameFilter& is_dockerfile,
                            std::FILE* log) {
  std::vector<BotRow> rows;
  std::error_code ec;
  fs::create_directories(o.workdir, ec);
  GitHub forge(o.api_url, o.tokens.allows_token(o.api_url) ? o.token : "", o.network_timeout);
  const WatchLimits limits{o.network_timeout, o.repo_timeout, o.stop_grace, o.stopped};
  for (const auto& r : o.repos) {
    BotRow row{r.slug, "", "", false};
    if (log) fmt::print(log, "dockerfix bot: {} ({})\n", r.slug, redact_url(r.source));
    const fs::path dir = fs::path(o.workdir) / cache_name(r.source, r.slug);
    CacheLock lock(dir);
    if (!lock.held()) {
      row = {r.slug, "failed", "the clone cache " + dir.string() + " is in use by another dockerfix bot", true};
    } else {
      // Holding the lock, nobody else works in this clone: lock files in it
      // are left over from a worker that was killed, and would fail this run.
      remove_stale_locks(dir);
      // The worker's copy of `forge` counts the API's failures; they are
      // carried back so an API that keeps failing is given up on.
      WatchedResult w;
      try {
        w = run_watched(
            [&] {
              BotRow done = process(o, r, dir, forge, fixer_for, is_dockerfile, log);
              return to_json(done, forge.failures());
            },
            limits);
      } catch (const std::runtime_error& e) {  // no process could be started: this repository fails, the run goes on
        w.status = WatchedResult::Status::Failed;
        w.error = e.what();
      }
      using W = WatchedResult::Status;
      switch (w.status) {
        case W::Finished: {
          int failures = 0;
          row = from_json(w.output, failures);
          forge.set_failures(failures);
          break;
        }
        case W::Failed:
          row = {r.slug, "failed", scrub(w.error), true};
          break;
        case W::NetworkStalled:
          row = {r.slug, "timed-out",
                 fmt::format("no data for {} s while {} (--network-timeout)", o.network_timeout, w.activity), true};
          break;
        case W::OverBudget:
          row = {r.slug, "timed-out",
                 fmt::format("not done within --repo-timeout {} s{}", o.repo_timeout,
                             w.activity.empty() ? "" : " (last network operation: " + w.activity + ")"),
                 true};
          break;
        case W::Crashed:
          row = {r.slug, "failed", w.error, true};
          break;
        case W::Stopped:
          row = {r.slug, "interrupted",
                 w.activity.empty() ? "stopped" : "stopped (last network operation: " + w.activity + ")", true};
          break;
      }
      if (w.status != W::Finished && w.status != W::Failed) remove_stale_locks(dir);
      fs::remove_all(checkout_dir(dir), ec);  // a killed worker's
    }
    row.detail = scrub(row.detail);
    if (log) fmt::print(log, "  {} {}\n", row.status, row.detail);
    rows.push_back(row);
    if (o.stopped && o.stopped()) break;  // the rest of the list is not started
  }
  return rows;
}

std::string format_table(const std::vector<BotRow>& rows) {
  size_t w_repo = 10, w_status = 6;
  for (const auto& r : rows) {
    w_repo = std::max(w_repo, r.repo.size());
    w_status = std::max(w_status, r.status.size());
  }
  std::string out = fmt::format("{:<{}}  {:<{}}  {}\n", "repository", w_repo, "status", w_status, "detail");
  for (const auto& r : rows) out += fmt::format("{:<{}}  {:<{}}  {}\n", r.repo, w_repo, r.status, w_status, r.detail);
  size_t failed = std::count_if(rows.begin(), rows.end(), [](const BotRow& r) { return r.failed; });
  out += fmt::format("{} repositor{}, {} failed\n", rows.size(), rows.size() == 1 ? "y" : "ies", failed);
  return out;
}

}  // namespace dockerfix::gitlayer
