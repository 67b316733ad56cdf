// The git layer's safety rules without a server (issue 11): who may be sent
// the token, clone-cache keys, the pull-request body limit, the watchdog,
// commits recognised by id rather than by trailer, and which files a commit
// takes.
#include <gtest/gtest.h>

#include <git2.h>
#include <pthread.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <thread>

#include <fmt/format.h>

#include "git/clone_cache.h"
#include "git/commit_fixes.h"
#include "git/commit_message.h"
#include "git/handles.h"
#include "git/own_commits.h"
#include "git/pr_body.h"
#include "git/token_policy.h"
#include "git/watchdog.h"

namespace dockerfix::gitlayer {
namespace {
namespace fs = std::filesystem;

TEST(TokenPolicy, OnlyTheForgeOverHttps) {
  TokenPolicy p;
  EXPECT_TRUE(p.allows_token("https://github.com/acme/app.git"));
  EXPECT_TRUE(p.allows_token("https://GitHub.com:443/acme/app.git"));
  EXPECT_TRUE(p.allows_token("https://api.github.com/repos/acme/app/pulls"));
  EXPECT_FALSE(p.allows_token("http://github.com/acme/app.git"));
  EXPECT_FALSE(p.allows_token("https://github.com.evil.example/acme/app.git"));
  EXPECT_FALSE(p.allows_token("https://gitlab.example.com/acme/app.git"));
  EXPECT_FALSE(p.allows_token("http://127.0.0.1:8080/org/app.git"));
  EXPECT_FALSE(p.allows_token("git://github.com/acme/app.git"));
  EXPECT_FALSE(p.allows_token("/srv/git/app.git"));
}

TEST(TokenPolicy, ApiHostAndNamedHosts) {
  TokenPolicy ghe("https://ghe.example.com/api/v3", {"git.example.com", "mirror.example.com:8443"});
  EXPECT_TRUE(ghe.allows_token("https://ghe.example.com/acme/app.git"));
  EXPECT_TRUE(ghe.allows_token("https://git.example.com:9999/acme/app.git"));  // no port named: any port
  EXPECT_TRUE(ghe.allows_token("https://mirror.example.com:8443/acme/app.git"));
  EXPECT_FALSE(ghe.allows_token("https://mirror.example.com/acme/app.git"));  // 443 is another port
  EXPECT_FALSE(ghe.allows_token("http://ghe.example.com/acme/app.git"));

  // The API's own port counts: a git server on another port of 127.0.0.1 is another server.
  TokenPolicy local("http://127.0.0.1:5000", {}, {"127.0.0.1:5000"});
  EXPECT_TRUE(local.allows_token("http://127.0.0.1:5000/repos/a/b/pulls"));
  EXPECT_FALSE(local.allows_token("http://127.0.0.1:5001/org/app.git"));
  EXPECT_FALSE(TokenPolicy("http://127.0.0.1:5000").allows_token("http://127.0.0.1:5000/repos"));
}

TEST(TokenPolicy, SecretsFromUrlsNeedHttpsOrANamedHost) {
  TokenPolicy p("", {}, {"[::1]:8080"});
  EXPECT_TRUE(p.allows_secret("https://anyhost.example/x.git"));
  EXPECT_FALSE(p.allows_secret("http://anyhost.example/x.git"));
  EXPECT_TRUE(p.allows_secret("http://[::1]:8080/x.git"));
  EXPECT_TRUE(p.allows_token("http://[::1]:8080/x.git"));  // --allow-http-host names a token host too
  EXPECT_TRUE(p.allows_secret("ssh://git@host.example/x.git"));
  EXPECT_FALSE(p.allows_token("ssh://git@github.com/x.git"));  // a token is an HTTPS password
  EXPECT_FALSE(p.allows_secret("git://host.example/x.git"));
}

TEST(TokenPolicy, RefusalNamesTheFlag) {
  TokenPolicy p;
  EXPECT_NE(p.refusal("https://git.example.com/x.git").find("--token-host git.example.com"), std::string::npos);
  EXPECT_NE(p.refusal("http://127.0.0.1:81/x.git").find("--allow-http-host 127.0.0.1:81"), std::string::npos);
  EXPECT_NE(TokenPolicy("", {"h"}).refusal("http://h/x.git").find("--allow-http-host h"), std::string::npos);
}

TEST(TokenPolicy, FlagsTakeHostsNotUrls) {
  EXPECT_NO_THROW(TokenPolicy::from_flags("", {"ghe.example.com", "10.0.0.1:8080", "[::1]:80"}, {}));
  for (const char* bad : {"https://ghe.example.com", "ghe.example.com/path", "user@host", "", "host:port"})
    EXPECT_THROW(TokenPolicy::from_flags("", {bad}, {}), std::invalid_argument) << bad;
  EXPECT_THROW(TokenPolicy::from_flags("", {}, {"http://127.0.0.1"}), std::invalid_argument);
}

TEST(Urls, CredentialsAreSplitOff) {
  SplitUrl s = split_credentials("https://x-access-token:ghp_abc%40def@github.com/acme/app.git");
  EXPECT_EQ(s.url, "https://github.com/acme/app.git");
  EXPECT_EQ(s.user, "x-access-token");
  EXPECT_EQ(s.password, "ghp_abc@def");
  EXPECT_EQ(split_credentials("/srv/a@b/app.git").url, "/srv/a@b/app.git");
  SplitUrl ssh = split_credentials("ssh://git:pw@host:2222/app.git");
  EXPECT_EQ(ssh.url, "ssh://git@host:2222/app.git");  // the user name says which account
  EXPECT_EQ(ssh.password, "pw");
  EXPECT_EQ(split_credentials("ssh://git@host/app.git").url, "ssh://git@host/app.git");
  EXPECT_EQ(split_credentials("git@github.com:acme/app.git").url, "git@github.com:acme/app.git");
  EXPECT_EQ(split_credentials("https://github.com/a@b").url, "https://github.com/a@b");  // '@' in the path
}

TEST(CloneCache, SameNameInDifferentPlacesGetsTwoCaches) {
  const std::string a = cache_name("git://host/org/app.git", "org/app");
  const std::string b = cache_name("/srv2/org/app.git", "org/app");
  EXPECT_NE(a, b);
  EXPECT_EQ(a.rfind("org_app-", 0), 0u) << a;
  EXPECT_EQ(b.rfind("org_app-", 0), 0u) << b;
  EXPECT_NE(cache_name("https://github.com/org/app", "org/app"), cache_name("https://gitlab.com/org/app", "org/app"));
}

TEST(CloneCache, OneRepositorySpelledTwoWaysIsOneCache) {
  const std::string plain = cache_name("https://github.com/acme/app", "acme/app");
  for (const char* same : {"https://github.com/acme/app.git", "https://GitHub.com:443/acme/app/",
                           "https://x-access-token:secret@github.com/acme/app.git"})
    EXPECT_EQ(cache_name(same, "acme/app"), plain) << same;
  EXPECT_EQ(normalise_source("git@github.com:acme/app.git"), "ssh://github.com/acme/app");
  EXPECT_EQ(normalise_source("ssh://git@github.com:22/acme/app.git"), "ssh://github.com/acme/app");
  EXPECT_EQ(normalise_source("/srv/./git/../git/app.git/"), "file:///srv/git/app");
  EXPECT_EQ(normalise_source("file:///srv/git/app.git"), "file:///srv/git/app");
  EXPECT_EQ(normalise_source("https://x:tok@host/app").find("tok"), std::string::npos);
}

FileChange change(const std::string& path, std::vector<std::string> rules) {
  FileChange c{path, {}};
  int line = 1;
  for (auto& r : rules) c.fixes.push_back({r, "because " + r + " needs fixing here", line++});
  return c;
}

TEST(PullRequestBody, TwoThousandFilesStayUnderGitHubsLimit) {
  std::vector<FileChange> changes;
  for (int i = 0; i < 2000; ++i)
    changes.push_back(change(fmt::format("services/team-{:04}/some/deeper/path/Dockerfile", i),
                             {"nonroot-final-user", "network-retry", "healthcheck"}));
  const std::string body = pull_request_body(changes);
  EXPECT_LE(body.size(), kMaxPullRequestBody);
  EXPECT_NE(body.find("dockerfix fixed 6000 problems in 2000 Dockerfiles."), std::string::npos);
  // Says how many were left out, and where to find them.
  size_t listed = 0;
  for (size_t at = body.find("\n- `"); at != std::string::npos; at = body.find("\n- `", at + 1)) ++listed;
  ASSERT_LT(listed, 6000u);
  EXPECT_NE(body.find(fmt::format("{} of the 6000 fixes", 6000 - listed)), std::string::npos) << body.substr(0, 400);
  EXPECT_NE(body.find("The commit message lists every one."), std::string::npos);
  for (const char* rule : {"nonroot-final-user", "network-retry", "healthcheck"})
    EXPECT_NE(body.find(std::string("### `") + rule + "`"), std::string::npos) << rule;
  EXPECT_TRUE(body.ends_with("opening these fixes again.\n"));

  // The commit message still lists every file.
  const std::string message = commit_message({"fix(docker)", "agent", 1000, changes});
  for (const auto& c : changes) EXPECT_NE(message.find("\n" + c.path + "\n"), std::string::npos) << c.path;
}

TEST(PullRequestBody, SmallChangesAreListedInFull) {
  const std::string body = pull_request_body({change("Dockerfile", {"network-retry"})});
  EXPECT_EQ(body.find("not listed"), std::string::npos) << body;
  EXPECT_NE(body.find("- `Dockerfile` line 1: because network-retry"), std::string::npos) << body;
}

TEST(Watchdog, ReturnsWhatTheWorkReturned) {
  WatchedResult r = run_watched([] { return std::string("done\n\0with a zero", 17); }, {1, 10});
  EXPECT_EQ(r.status, WatchedResult::Status::Finished);
  EXPECT_EQ(r.output, std::string("done\n\0with a zero", 17));
  r = run_watched([]() -> std::string { throw std::runtime_error("no such remote"); }, {1, 10});
  EXPECT_EQ(r.status, WatchedResult::Status::Failed);
  EXPECT_EQ(r.error, "no such remote");
  r = run_watched([]() -> std::string { std::abort(); }, {1, 10});
  EXPECT_EQ(r.status, WatchedResult::Status::Crashed);
  EXPECT_NE(r.error.find("signal"), std::string::npos) << r.error;
}

TEST(Watchdog, AStalledNetworkOperationIsKilled) {
  WatchedResult r = run_watched(
      [] {
        NetworkActivity a("fetching from git://stalled.example/app.git");
        pause();  // a read that never returns
        return std::string("unreachable");
      },
      {0.3, 600});
  EXPECT_EQ(r.status, WatchedResult::Status::NetworkStalled);
  EXPECT_EQ(r.activity, "fetching from git://stalled.example/app.git");
  EXPECT_TRUE(r.output.empty());
}

TEST(Watchdog, LocalWorkIsNoStall) {
  // Outside a network operation, time without progress is not a stall.
  WatchedResult r = run_watched(
      [] {
        { NetworkActivity a("listing"); }
        std::this_thread::sleep_for(std::chrono::milliseconds(1500));
        return std::string("fixed");
      },
      {1, 600});
  EXPECT_EQ(r.status, WatchedResult::Status::Finished);
  EXPECT_EQ(r.output, "fixed");
}

TEST(Watchdog, TheBudgetHoldsWhateverTheProgress) {
  WatchedResult r = run_watched(
      [] {
        NetworkActivity a("a server that trickles");
        for (;;) {
          network_progress();
          std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        return std::string();
      },
      {600, 0.5});
  EXPECT_EQ(r.status, WatchedResult::Status::OverBudget);
  EXPECT_EQ(r.activity, "a server that trickles");
}

// A stopped worker that cleans up on SIGTERM (bot --verify removing its
// containers) gets the grace to; without one it is killed at once.
TEST(Watchdog, AStoppedWorkerGetsItsGraceToCleanUp) {
  const fs::path marker = fs::path(::testing::TempDir()) / ("watchdog-cleaned-" + std::to_string(getpid()));
  static volatile std::sig_atomic_t asked = 0;
  auto work = [&marker] {
    asked = 0;
    std::signal(SIGTERM, [](int) { asked = 1; });
    while (!asked) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    std::ofstream(marker) << "cleaned";
    return std::string("interrupted");
  };
  fs::remove(marker);
  WatchedResult r = run_watched(work, {600, 1, 5});
  EXPECT_EQ(r.status, WatchedResult::Status::OverBudget);
  EXPECT_TRUE(fs::exists(marker));
  fs::remove(marker);
  r = run_watched(work, {600, 1, 0});
  EXPECT_EQ(r.status, WatchedResult::Status::OverBudget);
  EXPECT_FALSE(fs::exists(marker));

  // `stop` (Ctrl-C in the parent) stops it the same way; the signal that
  // raised it wakes the watch.
  std::atomic<bool> stop{false};
  const pthread_t watcher = pthread_self();
  std::signal(SIGUSR1, [](int) {});
  std::thread raise([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    stop = true;
    pthread_kill(watcher, SIGUSR1);
  });
  r = run_watched(work, {600, 600, 5, [&] { return stop.load(); }});
  raise.join();
  EXPECT_EQ(r.status, WatchedResult::Status::Stopped);
  EXPECT_TRUE(fs::exists(marker));
  fs::remove(marker);
}

TEST(Watchdog, RefusesAParentWithLibgit2Initialised) {
  Library lib;
  EXPECT_THROW(run_watched([] { return std::string(); }, {}), std::logic_error);
}

// A repository with one Dockerfile committed on main, for commit_fixes.
class OwnCommits : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::path(::testing::TempDir()) / ("own-commits-" + std::to_string(getpid()) + "-" +
                                             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    git_repository_init_options opts = GIT_REPOSITORY_INIT_OPTIONS_INIT;
    opts.flags = GIT_REPOSITORY_INIT_MKPATH;
    opts.initial_head = "main";
    git_repository* raw = nullptr;
    ASSERT_EQ(git_repository_init_ext(&raw, dir_.c_str(), &opts), 0);
    repo_.reset(raw);
    commit_file("Dockerfile", "FROM debian:12\n", "initial");
  }
  void TearDown() override {
    repo_.reset();
    fs::remove_all(dir_);
  }

  // Commits `path` = `text` on main (the checked-out branch), like a human.
  git_oid commit_file(const std::string& path, const std::string& text, const std::string& message) {
    git_oid blob, tree, commit;
    EXPECT_EQ(git_blob_create_from_buffer(&blob, repo_.get(), text.data(), text.size()), 0);
    git_commit* parent = nullptr;
    git_object* head = nullptr;
    git_tree* base = nullptr;
    if (git_revparse_single(&head, repo_.get(), "HEAD^{commit}") == 0) {
      parent = reinterpret_cast<git_commit*>(head);
      git_commit_tree(&base, parent);
    }
    git_tree_update u{GIT_TREE_UPDATE_UPSERT, blob, GIT_FILEMODE_BLOB, path.c_str()};
    if (base) {
      EXPECT_EQ(git_tree_create_updated(&tree, repo_.get(), base, 1, &u), 0);
    } else {
      git_treebuilder* tb = nullptr;
      git_treebuilder_new(&tb, repo_.get(), nullptr);
      git_treebuilder_insert(nullptr, tb, path.c_str(), &blob, GIT_FILEMODE_BLOB);
      git_treebuilder_write(&tree, tb);
      git_treebuilder_free(tb);
    }
    commit = make_commit(tree, parent, message, "HEAD");
    git_tree_free(base);
    git_commit_free(parent);
    return commit;
  }

  git_oid make_commit(const git_oid& tree_id, git_commit* parent, const std::string& message, const char* ref) {
    git_signature* sig = nullptr;
    git_signature_now(&sig, "Hu Man", "human@example.com");
    git_tree* tree = nullptr;
    git_tree_lookup(&tree, repo_.get(), &tree_id);
    const git_commit* parents[] = {parent};
    git_oid oid;
    EXPECT_EQ(git_commit_create(&oid, repo_.get(), ref, sig, sig, "UTF-8", message.c_str(), tree, parent ? 1 : 0,
                                parents),
              0);
    git_tree_free(tree);
    git_signature_free(sig);
    return oid;
  }

  CommitOutcome fix(const std::string& branch = "fix/docker", std::map<std::string, std::string> also_write = {},
                    bool fixes = true) {
    CommitRequest req;
    req.repository = dir_.string();
    req.branch = branch;
    req.author = "Dockerfix Bot <bot@example.com>";
    req.also_write = std::move(also_write);
    FileFixer fixer = [fixes](const std::string&, const std::string& bytes) {
      FileFix f;
      f.text = bytes;
      if (!fixes) return f;
      f.text += "USER 1000\n";
      f.fixes.push_back({"nonroot-final-user", "runs as root", 1});
      return f;
    };
    return commit_fixes(req, fixer, [](const std::string& name) { return name.starts_with("Dockerfile"); });
  }

  git_oid tip(const std::string& branch) {
    git_oid oid{};
    git_reference_name_to_id(&oid, repo_.get(), ("refs/heads/" + branch).c_str());
    return oid;
  }

  Library lib_;
  fs::path dir_;
  Repository repo_;
};

TEST_F(OwnCommits, AnAmendedCommitKeepsTheTrailerButIsTheHumans) {
  CommitOutcome first = fix();
  ASSERT_EQ(first.status, CommitOutcome::Status::Created) << first.refusal;
  git_oid ours = tip("fix/docker");
  EXPECT_TRUE(wrote(repo_.get(), "fix/docker", ours));

  // `git commit --amend --no-edit` after a change: same message (trailer
  // and all), same parent, another tree.
  git_commit* c = nullptr;
  ASSERT_EQ(git_commit_lookup(&c, repo_.get(), &ours), 0);
  ASSERT_FALSE(dockerfix_rules(git_commit_message(c)).empty());
  git_commit* parent = nullptr;
  git_commit_parent(&parent, c, 0);
  git_oid blob, tree;
  git_tree* base = nullptr;
  git_commit_tree(&base, c);
  const std::string reviewed = "FROM debian:12\nUSER 1000\n# reviewed\n";
  git_blob_create_from_buffer(&blob, repo_.get(), reviewed.data(), reviewed.size());
  git_tree_update u{GIT_TREE_UPDATE_UPSERT, blob, GIT_FILEMODE_BLOB, "Dockerfile"};
  git_tree_create_updated(&tree, repo_.get(), base, 1, &u);
  git_oid amended = make_commit(tree, parent, git_commit_message(c), nullptr);
  git_tree_free(base);
  git_commit_free(parent);
  git_commit_free(c);
  git_reference* moved = nullptr;
  ASSERT_EQ(git_reference_create(&moved, repo_.get(), "refs/heads/fix/docker", &amended, 1, "amend"), 0);
  git_reference_free(moved);
  EXPECT_FALSE(wrote(repo_.get(), "fix/docker", amended));

  commit_file("Dockerfile.more", "FROM alpine\n", "more");  // HEAD moves: dockerfix would rebuild
  CommitOutcome second = fix();
  EXPECT_EQ(second.status, CommitOutcome::Status::Refused);
  EXPECT_NE(second.refusal.find("not dockerfix's"), std::string::npos) << second.refusal;
  const git_oid now = tip("fix/docker");
  EXPECT_TRUE(git_oid_equal(&amended, &now)) << "the human's commit moved";
}

TEST_F(OwnCommits, ItsOwnCommitIsRebuilt) {
  ASSERT_EQ(fix().status, CommitOutcome::Status::Created);
  git_oid first = tip("fix/docker");
  commit_file("Dockerfile.more", "FROM alpine\n", "more");
  CommitOutcome again = fix();
  EXPECT_EQ(again.status, CommitOutcome::Status::Rebuilt) << again.refusal;
  EXPECT_TRUE(wrote(repo_.get(), "fix/docker", first));  // still known: a remote may hold it yet
  EXPECT_TRUE(wrote(repo_.get(), "fix/docker", tip("fix/docker")));
  EXPECT_FALSE(wrote(repo_.get(), "other", tip("fix/docker")));  // records are per branch
}

TEST_F(OwnCommits, RecordsAreBounded) {
  git_oid head;
  ASSERT_EQ(git_reference_name_to_id(&head, repo_.get(), "HEAD"), 0);
  git_oid newest{};
  for (size_t i = 0; i < kKeptPerBranch + 4; ++i) {
    newest = commit_file("Dockerfile", "FROM debian:" + std::to_string(i) + "\n", "step");
    remember_written(repo_.get(), "b", newest);
  }
  size_t kept = 0;
  git_reference_iterator* it = nullptr;
  ASSERT_EQ(git_reference_iterator_glob_new(&it, repo_.get(), (written_prefix("b") + "*").c_str()), 0);
  git_reference* ref = nullptr;
  while (git_reference_next(&ref, it) == 0) {
    ++kept;
    git_reference_free(ref);
  }
  git_reference_iterator_free(it);
  EXPECT_EQ(kept, kKeptPerBranch);
  EXPECT_TRUE(wrote(repo_.get(), "b", newest));
  EXPECT_EQ(written_prefix("dockerfix/a+b"), "refs/dockerfix/written/dockerfix%2Fa+b/");
}

std::string file_at(git_repository* repo, const std::string& spec) {
  git_object* obj = nullptr;
  if (git_revparse_single(&obj, repo, spec.c_str()) != 0) return "<none>";
  Blob blob(reinterpret_cast<git_blob*>(obj));
  return std::string(static_cast<const char*>(git_blob_rawcontent(blob.get())), git_blob_rawsize(blob.get()));
}

// The bot's refreshed dockerfix.lock (issue 15) goes with the fixes, never alone.
TEST_F(OwnCommits, AlsoWrittenFilesGoWithTheFixesOnly) {
  commit_file("dockerfix.lock", "images: {}\n", "lock");
  CommitOutcome none = fix("fix/lock", {{"dockerfix.lock", "images: {new: 1}\n"}}, false);
  EXPECT_EQ(none.status, CommitOutcome::Status::NoChanges);
  EXPECT_EQ(file_at(repo_.get(), "fix/lock:dockerfix.lock"), "<none>");

  CommitOutcome same = fix("fix/same", {{"dockerfix.lock", "images: {}\n"}});
  ASSERT_EQ(same.status, CommitOutcome::Status::Created);
  EXPECT_TRUE(same.also_written.empty());  // unchanged: nothing to say
  EXPECT_EQ(same.message.find("dockerfix.lock"), std::string::npos) << same.message;

  CommitOutcome with = fix("fix/lock", {{"dockerfix.lock", "images: {new: 1}\n"}});
  ASSERT_EQ(with.status, CommitOutcome::Status::Created);
  EXPECT_EQ(with.also_written, (std::vector<std::string>{"dockerfix.lock"}));
  EXPECT_EQ(file_at(repo_.get(), "fix/lock:dockerfix.lock"), "images: {new: 1}\n");
  EXPECT_EQ(file_at(repo_.get(), "fix/lock:Dockerfile"), "FROM debian:12\nUSER 1000\n");
  EXPECT_NE(with.message.find("\n- dockerfix.lock updated\n"), std::string::npos) << with.message;
  ASSERT_EQ(with.changes.size(), 1u);  // the lock is no Dockerfile in the counts
  EXPECT_EQ(fix("fix/lock", {{"dockerfix.lock", "images: {new: 1}\n"}}).status, CommitOutcome::Status::UpToDate);
}

TEST_F(OwnCommits, BranchNamesItMustNotWrite) {
  for (const char* bad : {"HEAD", "-x", "--force", "a..b", "x.lock", "", "has space"})
    EXPECT_FALSE(branch_refusal(repo_.get(), bad).empty()) << bad;
  EXPECT_NE(branch_refusal(repo_.get(), "main").find("checked out"), std::string::npos);
  EXPECT_TRUE(branch_refusal(repo_.get(), "fix/docker").empty());

  // origin's default branch, though another branch is checked out.
  git_oid head;
  git_reference_name_to_id(&head, repo_.get(), "HEAD");
  git_reference* r = nullptr;
  git_reference_create(&r, repo_.get(), "refs/remotes/origin/trunk", &head, 1, "test");
  git_reference_free(r);
  git_reference_symbolic_create(&r, repo_.get(), "refs/remotes/origin/HEAD", "refs/remotes/origin/trunk", 1, "test");
  git_reference_free(r);
  EXPECT_NE(branch_refusal(repo_.get(), "trunk").find("default branch of remote origin"), std::string::npos);

  CommitOutcome out = fix("HEAD");
  EXPECT_EQ(out.status, CommitOutcome::Status::Refused);
  git_reference* none = nullptr;
  EXPECT_NE(git_reference_lookup(&none, repo_.get(), "refs/heads/HEAD"), 0);
}


// PATH arguments select the files equal to or below them, by whole path
// components ("svc" is not "svcx"), however many are given (each file by
// name, as a shell glob gives them, is a set lookup, not a scan of them all).
TEST_F(OwnCommits, PathsSelectFilesAndWhatIsBelowThem) {
  for (const char* path : {"svc/Dockerfile", "svc/api/Dockerfile", "svcx/Dockerfile", "other/Dockerfile",
                           "other/Dockerfile.dev"})
    commit_file(path, "FROM debian:12\n", path);
  for (int i = 0; i < 300; ++i) commit_file(fmt::format("many/{}/Dockerfile", i), "FROM debian:12\n", "many");
  CommitRequest req;
  req.repository = dir_.string();
  req.branch = "fix/paths";
  req.author = "Dockerfix Bot <bot@example.com>";
  req.paths = {(dir_ / "svc").string(), (dir_ / "other/Dockerfile").string()};
  for (int i = 0; i < 300; i += 2) req.paths.push_back((dir_ / fmt::format("many/{}/Dockerfile", i)).string());
  FileFixer fixer = [](const std::string&, const std::string& bytes) {
    FileFix f;
    f.text = bytes + "USER 1000\n";
    f.fixes.push_back({"nonroot-final-user", "runs as root", 1});
    return f;
  };
  CommitOutcome out = commit_fixes(req, fixer, [](const std::string& name) { return name.starts_with("Dockerfile"); });
  ASSERT_EQ(out.status, CommitOutcome::Status::Created) << out.refusal;
  std::vector<std::string> changed;
  for (const auto& c : out.changes) changed.push_back(c.path);
  std::vector<std::string> dirs;  // in tree order: a directory sorts as its name and a slash
  for (int i = 0; i < 300; i += 2) dirs.push_back(fmt::format("{}/", i));
  std::sort(dirs.begin(), dirs.end());
  std::vector<std::string> want;
  for (const auto& d : dirs) want.push_back("many/" + d + "Dockerfile");
  for (const char* path : {"other/Dockerfile", "svc/Dockerfile", "svc/api/Dockerfile"}) want.push_back(path);
  EXPECT_EQ(changed, want);
  for (int i = 0; i < 300; ++i)
    EXPECT_EQ(file_at(repo_.get(), fmt::format("fix/paths:many/{}/Dockerfile", i)).ends_with("USER 1000\n"), i % 2 == 0)
        << i;
  EXPECT_EQ(file_at(repo_.get(), "fix/paths:svcx/Dockerfile"), "FROM debian:12\n");
  EXPECT_EQ(file_at(repo_.get(), "fix/paths:other/Dockerfile.dev"), "FROM debian:12\n");
  EXPECT_EQ(file_at(repo_.get(), "fix/paths:Dockerfile"), "FROM debian:12\n");
}

// The tree fixer (manifests against the fixed Dockerfiles) runs, and the
// fixed Dockerfiles are kept for it, only when the tree has a file it needs;
// a Dockerfile it changes again is one entry of the commit, with both sets
// of fixes.
TEST_F(OwnCommits, TreeFixesJoinTheDockerfileFixes) {
  commit_file("svc/Dockerfile", "FROM debian:12\n", "svc");
  FileFixer fixer = [](const std::string&, const std::string& bytes) {
    FileFix f;
    f.text = bytes + "USER 1000\n";
    f.fixes.push_back({"nonroot-final-user", "runs as root", 1});
    return f;
  };
  auto is_dockerfile = [](const std::string& name) { return name == "Dockerfile"; };
  std::vector<size_t> seen_fixed;  // how many fixed Dockerfiles each call was given
  TreeFixer tree;
  tree.wants = [](const std::string& name) { return name.ends_with(".yaml") || name == "Dockerfile"; };
  tree.needs = [](const std::string& name) { return name.ends_with(".yaml"); };
  tree.fix = [&](const std::map<std::string, std::string>& head, const std::map<std::string, std::string>& fixed,
                 std::vector<std::string>&) {
    seen_fixed.push_back(fixed.size());
    std::vector<TreeFile> out;
    EXPECT_EQ(head.size(), 3u);
    EXPECT_EQ(fixed.at("svc/Dockerfile"), "FROM debian:12\nUSER 1000\n");
    out.push_back({"svc/Dockerfile", fixed.at("svc/Dockerfile") + "HEALTHCHECK NONE\n", {{"healthcheck", "none", 3}}});
    out.push_back({"k8s/app.yaml", "kind: Pod\nuser: 1000\n", {{"k8s-user", "matches", 2}}});
    return out;
  };
  CommitRequest req;
  req.repository = dir_.string();
  req.author = "Dockerfix Bot <bot@example.com>";
  req.branch = "fix/none";
  CommitOutcome none = commit_fixes(req, fixer, is_dockerfile, tree);
  ASSERT_EQ(none.status, CommitOutcome::Status::Created);
  EXPECT_TRUE(seen_fixed.empty());  // no manifest: not called, the fixed files not kept for it
  EXPECT_EQ(none.changes.size(), 2u);

  commit_file("k8s/app.yaml", "kind: Pod\n", "manifest");
  req.branch = "fix/tree";
  CommitOutcome out = commit_fixes(req, fixer, is_dockerfile, tree);
  ASSERT_EQ(out.status, CommitOutcome::Status::Created);
  EXPECT_EQ(seen_fixed, (std::vector<size_t>{2}));
  ASSERT_EQ(out.changes.size(), 3u);
  EXPECT_EQ(out.changes[0].path, "Dockerfile");
  EXPECT_EQ(out.changes[1].path, "svc/Dockerfile");
  ASSERT_EQ(out.changes[1].fixes.size(), 2u);
  EXPECT_EQ(out.changes[1].fixes[1].rule, "healthcheck");
  EXPECT_EQ(out.changes[2].path, "k8s/app.yaml");
  EXPECT_EQ(file_at(repo_.get(), "fix/tree:svc/Dockerfile"), "FROM debian:12\nUSER 1000\nHEALTHCHECK NONE\n");
  EXPECT_EQ(file_at(repo_.get(), "fix/tree:k8s/app.yaml"), "kind: Pod\nuser: 1000\n");
}

}  // namespace
}  // namespace dockerfix::gitlayer
