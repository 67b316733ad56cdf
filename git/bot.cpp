#include "git/bot.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <stdexcept>

#include <fmt/format.h>

#include "git/commit_message.h"
#include "git/credentials.h"
#include "git/github.h"
#include "git/handles.h"
#include "git/push.h"

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

std::string cache_name(const BotRepo& r) {
  std::string out;
  for (char c : r.slug) out += (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.') ? c : '_';
  return out;
}

// Clone (bare: the bot never needs a work tree) or fetch, then point HEAD at
// the remote's default branch and mirror the remote's dockerfix/* branches,
// so reruns compare against what the forge already has.
Repository sync(const BotRepo& r, const fs::path& dir, std::string& default_branch) {
  git_repository* raw = nullptr;
  git_clone_options clone_opts = GIT_CLONE_OPTIONS_INIT;
  CredentialState creds;
  if (fs::exists(dir / "HEAD")) {
    check(git_repository_open_bare(&raw, dir.c_str()), "cannot open the cached clone " + dir.string());
    Repository repo(raw);
    fetch(repo.get(), "origin", {"+refs/heads/*:refs/remotes/origin/*"}, true);
    raw = repo.release();
  } else {
    clone_opts.bare = 1;
    clone_opts.fetch_opts.callbacks.credentials = acquire_credentials;
    clone_opts.fetch_opts.callbacks.payload = &creds;
    check(git_clone(&raw, r.source.c_str(), dir.c_str(), &clone_opts), "cannot clone " + redact_url(r.source));
  }
  Repository repo(raw);
  git_remote* raw_remote = nullptr;
  check(git_remote_lookup(&raw_remote, repo.get(), "origin"), "no origin remote");
  Remote remote(raw_remote);
  git_remote_callbacks cb = GIT_REMOTE_CALLBACKS_INIT;
  CredentialState state;
  cb.credentials = acquire_credentials;
  cb.payload = &state;
  check(git_remote_connect(remote.get(), GIT_DIRECTION_FETCH, &cb, nullptr, nullptr),
        "cannot connect to " + redact_url(r.source));
  git_buf buf = GIT_BUF_INIT;
  check(git_remote_default_branch(&buf, remote.get()), "cannot find the default branch of " + redact_url(r.source));
  std::string head_ref(buf.ptr, buf.size);
  git_buf_dispose(&buf);
  git_remote_disconnect(remote.get());
  default_branch = head_ref.substr(std::string("refs/heads/").size());

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

// The repository's own settings, as committed on its default branch.
std::string config_text(git_repository* repo) {
  git_object* obj = nullptr;
  if (git_revparse_single(&obj, repo, "HEAD:.dockerfix.yaml") != 0) return {};
  Blob blob(reinterpret_cast<git_blob*>(obj));
  if (git_object_type(obj) != GIT_OBJECT_BLOB) return {};
  return std::string(static_cast<const char*>(git_blob_rawcontent(blob.get())),
                     static_cast<size_t>(git_blob_rawsize(blob.get())));
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

std::string pull_request_body(const std::vector<FileChange>& changes) {
  size_t fixes = 0;
  for (const auto& c : changes) fixes += c.fixes.size();
  std::string body = fmt::format("dockerfix fixed {} problem{} in {} Dockerfile{}.\n", fixes, fixes == 1 ? "" : "s",
                                 changes.size(), changes.size() == 1 ? "" : "s");
  for (const auto& rule : rules_of(changes)) {
    body += fmt::format("\n### `{}` ([docs]({}))\n\n{}\n\n", rule, rule_docs_url(rule), rule_rationale(rule));
    for (const auto& c : changes)
      for (const auto& f : c.fixes)
        if (f.rule == rule) body += fmt::format("- `{}` line {}: {}\n", c.path, f.line, f.message);
  }
  body +=
      "\n---\nOpened by the dockerfix bot. Pushing to this branch yourself stops the bot from updating it; closing "
      "this pull request without merging stops it from opening these fixes again.\n";
  return body;
}

std::vector<BotRow> run_bot(const BotOptions& o, const FixerFactory& fixer_for, const NameFilter& is_dockerfile,
                            std::FILE* log) {
  Library lib;
  std::vector<BotRow> rows;
  std::error_code ec;
  fs::create_directories(o.workdir, ec);
  GitHub forge(o.api_url, o.token);
  for (const auto& r : o.repos) {
    BotRow row{r.slug, "", "", false};
    try {
      if (log) fmt::print(log, "dockerfix bot: {} ({})\n", r.slug, redact_url(r.source));
      fs::path dir = fs::path(o.workdir) / cache_name(r);
      std::string base;
      Repository repo = sync(r, dir, base);
      CommitRequest req = o.commit;
      req.repository = dir.string();
      req.paths.clear();
      RepoFixer fixer = fixer_for(config_text(repo.get()), r.slug + ":.dockerfix.yaml");
      req.user = fixer.user;
      req.uid = fixer.uid;
      CommitOutcome c = commit_fixes(req, fixer.fix, is_dockerfile);
      for (const auto& e : c.errors)
        if (log) fmt::print(log, "  skipped {}\n", e);
      using S = CommitOutcome::Status;
      if (c.status == S::NoChanges) {
        row.status = "no-changes";
      } else if (c.status == S::Refused) {
        row.status = "refused";
        row.detail = c.refusal;
      } else if (!o.open_pull_requests) {
        // No forge: the branch is the deliverable (Gerrit, plain git hosting).
        if (o.dry_run) {
          row.status = "would-push";
          row.detail = c.branch + " " + c.commit.substr(0, 12);
        } else {
          PushOutcome pushed = push_branch(repo.get(), "origin", c.branch);
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
          if (log) fmt::print(log, "  {} {}\n", row.status, row.detail);
          rows.push_back(row);
          continue;
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
          PushOutcome pushed = push_branch(repo.get(), "origin", c.branch);
          if (pushed.status == PushOutcome::Status::Refused) {
            row.status = "refused";
            row.detail = pushed.detail;
          } else if (open != prs.end()) {
            if (pushed.status == PushOutcome::Status::Pushed) {
              forge.update(r.slug, open->number, title, pull_request_body(c.changes));
              row.status = "pr-updated";
            } else {
              row.status = "up-to-date";
            }
            row.detail = open->html_url;
          } else {
            PullRequest pr = forge.create(r.slug, c.branch, base, title, pull_request_body(c.changes));
            row.status = "pr-opened";
            row.detail = pr.html_url;
          }
        }
      }
    } catch (const std::exception& e) {
      row.status = "failed";
      row.detail = scrub(e.what());
      row.failed = true;
    }
    if (log) fmt::print(log, "  {} {}\n", row.status, row.detail);
    rows.push_back(row);
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
