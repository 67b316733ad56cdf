// The commit message, branch names, repository lists and shards of the git
// layer (git/), without a repository.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

#include "git/bot.h"
#include "dockerfix/rule_info.h"
#include "git/commit_message.h"
#include "git/pr_body.h"

namespace dockerfix::gitlayer {
namespace {

FileChange change(const std::string& path, std::vector<std::string> rules) {
  FileChange c{path, {}};
  int line = 1;
  for (auto& r : rules) c.fixes.push_back({r, "because " + r, line++});
  return c;
}

TEST(CommitMessage, SubjectNamesTheUserAndUid) {
  MessageInput in{"fix(docker)", "agent", 1000, {change("Dockerfile", {"nonroot-final-user"})}};
  EXPECT_EQ(subject(in), "fix(docker): run as non-root user agent (uid 1000)");
}

TEST(CommitMessage, SubjectJoinsWhatFitsAndCountsTheRest) {
  MessageInput in{"fix(docker)", "agent", 1000,
                  {change("a/Dockerfile", {"network-retry", "healthcheck"}), change("b/Dockerfile", {"network-retry"})}};
  EXPECT_EQ(subject(in), "fix(docker): add a HEALTHCHECK and retry network downloads");
  in.changes.push_back(change("c/Dockerfile", {"nonroot-final-user", "copy-chown", "explicit-uid"}));
  std::string s = subject(in);
  EXPECT_LE(s.size(), kMaxSubject) << s;
  // Registry order (the rule table's), so the same fixes always give the same text.
  EXPECT_EQ(s, "fix(docker): create users with explicit ids and 4 more");
}

TEST(CommitMessage, EveryRuleTogetherStaysWithin72) {
  std::vector<std::string> all;
  for (const fix::RuleInfo* r : fix::rule_table()) all.emplace_back(r->id);
  for (const char* prefix : {"fix(docker)", "chore(deps-and-containers-of-the-monorepo)"}) {
    MessageInput in{prefix, "a-rather-long-user-name-for-a-service", 4294967294u, {change("Dockerfile", all)}};
    EXPECT_LE(subject(in).size(), kMaxSubject) << subject(in);
  }
}

TEST(CommitMessage, BodyListsFilesAndFixesAndEndsWithTheTrailer) {
  MessageInput in{"fix(docker)", "agent", 1000,
                  {change("Dockerfile", {"network-retry"}), change("svc/Containerfile", {"healthcheck"})}};
  std::string m = commit_message(in);
  EXPECT_NE(m.find("\n\ndockerfix applied 2 fixes to 2 files:\n"), std::string::npos) << m;
  EXPECT_NE(m.find("\nsvc/Containerfile\n- line 1: healthcheck: because healthcheck\n"), std::string::npos) << m;
  EXPECT_TRUE(m.ends_with("\n\nDockerfix-Rules: healthcheck, network-retry\n")) << m;
  EXPECT_EQ(dockerfix_rules(m), (std::vector<std::string>{"healthcheck", "network-retry"}));
}

TEST(CommitMessage, HumanMessagesHaveNoDockerfixRules) {
  EXPECT_TRUE(dockerfix_rules("tweak after review\n").empty());
  EXPECT_TRUE(dockerfix_rules("fix: x\n\nmentions Dockerfix-Rules: in the body text only\n\nSigned-off-by: a <b@c>\n").empty());
}

TEST(BranchName, StableAndValid) {
  EXPECT_EQ(default_branch({"healthcheck", "network-retry"}), "dockerfix/healthcheck+network-retry");
  std::vector<std::string> all = {"nonroot-final-user", "root-for-privileged-steps", "explicit-uid", "copy-chown",
                                  "workdir-owner",      "docker-socket-group",       "healthcheck",  "network-retry"};
  std::string b = default_branch(all);
  EXPECT_EQ(b, default_branch(all));
  EXPECT_LE(b.size(), 80u);
  EXPECT_EQ(b.rfind("dockerfix/nonroot-final-user-and-7-more-", 0), 0u) << b;
}

TEST(RepoList, SlugsCommentsAndShards) {
  std::string path = ::testing::TempDir() + "repos.txt";
  std::ofstream(path) << "# list\n"
                         "https://github.com/acme/api.git\n"
                         "\n"
                         "git@github.com:acme/web.git\n"
                         "/srv/git/mirror/tool   acme/tool\r\n"
                         "  ssh://git@ghe.example.com:2222/team/svc/  \n";
  auto all = read_repo_list(path, 1, 1);
  ASSERT_EQ(all.size(), 4u);
  EXPECT_EQ(all[0].slug, "acme/api");
  EXPECT_EQ(all[1].slug, "acme/web");
  EXPECT_EQ(all[2].source, "/srv/git/mirror/tool");
  EXPECT_EQ(all[2].slug, "acme/tool");
  EXPECT_EQ(all[3].slug, "team/svc");
  auto one = read_repo_list(path, 1, 3), two = read_repo_list(path, 2, 3), three = read_repo_list(path, 3, 3);
  EXPECT_EQ(one.size() + two.size() + three.size(), all.size());
  EXPECT_EQ(one[0].slug, "acme/api");
  EXPECT_EQ(one[1].slug, "team/svc");
  EXPECT_EQ(two[0].slug, "acme/web");
  std::remove(path.c_str());
}

TEST(Shard, ParsesKOfN) {
  EXPECT_EQ(parse_shard("1/1"), (std::pair<int, int>{1, 1}));
  EXPECT_EQ(parse_shard("3/8"), (std::pair<int, int>{3, 8}));
  for (const char* bad : {"0/4", "5/4", "1/0", "a/b", "2", "1/2x", "-1/2", ""})
    EXPECT_THROW(parse_shard(bad), std::invalid_argument) << bad;
}

TEST(PullRequestBody, ExplainsEachRuleWithItsDocs) {
  std::string body = pull_request_body({change("Dockerfile", {"network-retry", "healthcheck"})});
  EXPECT_NE(body.find("### `healthcheck` ([docs](https://github.com/dockerfix/dockerfix/blob/main/docs/rules/healthcheck.md))"),
            std::string::npos)
      << body;
  EXPECT_NE(body.find("- `Dockerfile` line 1: because network-retry"), std::string::npos) << body;
  EXPECT_LT(body.find("`healthcheck`"), body.find("`network-retry`"));  // registry order
}

// apply --commit and the bot commit manifests with the Dockerfiles (issue 16):
// the body counts and lists them.
TEST(PullRequestBody, ListsManifestChanges) {
  std::string body = pull_request_body(
      {change("Dockerfile", {"k8s-nonroot-verifiable"}), change("deploy/web.yaml", {"k8s-container-hardening"})});
  EXPECT_NE(body.find("dockerfix fixed 2 problems in 1 Dockerfile and 1 Kubernetes file.\n"), std::string::npos) << body;
  EXPECT_NE(body.find("- `deploy/web.yaml` line 1: because k8s-container-hardening"), std::string::npos) << body;
  EXPECT_NE(body.find("### `k8s-container-hardening`"), std::string::npos) << body;
}

// bot --verify (issue 14): one file proved, one had its fix dropped.
std::vector<FileProof> proofs() {
  FileProof ok{"worker/Dockerfile", "built and ran as uid 1000; still running after 4 s",
               "the original ran as uid 0; still running after 4 s",
               {{"nonroot-final-user", "proven", "built in 1.0 s; ran as uid 1000"}}, {}, ""};
  FileProof broke{"creds/Dockerfile", "", "", {},
                  {{"nonroot-final-user", "broke the runtime", "exited with code 2 after 0.1 s; the original was still running after 4.1 s"}},
                  ""};
  FileProof safe{"tools/Dockerfile", "", "", {{"network-retry", "safe, needs no proof", ""}}, {}, ""};
  FileProof error{"odd/Dockerfile", "", "", {}, {}, "no engine answers at unix:///nowhere"};
  return {ok, broke, safe, error};
}

TEST(CommitMessage, SaysWhatWasProvenAndDroppedAndKeepsTheTrailerLast) {
  MessageInput in{"fix(docker)", "agent", 1000, {change("worker/Dockerfile", {"nonroot-final-user"})}, proofs(),
                  {"registry.test/base:1: the tag moved from sha256:a to sha256:b"}, {"dockerfix.lock"}};
  const std::string m = commit_message(in);
  EXPECT_NE(m.find("\nProven by building and running the images (dockerfix --verify):\n\nworker/Dockerfile: "),
            std::string::npos)
      << m;
  EXPECT_NE(m.find("\ncreds/Dockerfile: no fix proven: left as it is\n"
                   "- dropped nonroot-final-user: broke the runtime: exited with code 2 after 0.1 s; the original was still "
                   "running after 4.1 s\n"),
            std::string::npos)
      << m;
  EXPECT_NE(m.find("\nworker/Dockerfile: built and ran as uid 1000; still running after 4 s (the original ran as uid 0; "
                   "still running after 4 s)\n- kept nonroot-final-user: proven\n"),
            std::string::npos)
      << m;
  EXPECT_NE(m.find("\ntools/Dockerfile: not built: its fixes are safe and need no proof\n"
                   "- kept network-retry: safe, needs no proof\n"),
            std::string::npos)
      << m;
  EXPECT_NE(m.find("\nodd/Dockerfile: not verified, left as it is: no engine answers"), std::string::npos) << m;
  EXPECT_NE(m.find("\nBase images:\n- registry.test/base:1: the tag moved from sha256:a to sha256:b\n- dockerfix.lock updated\n"),
            std::string::npos)
      << m;
  EXPECT_EQ(dockerfix_rules(m), (std::vector<std::string>{"nonroot-final-user"}));
}

TEST(PullRequestBody, SaysWhatWasProvenAndWhatTheLockSays) {
  BodyNotes notes{proofs(), {"registry.test/base:1: could not be checked (`401`); the fixes use the facts the lock holds"},
                  {"dockerfix.lock"}};
  const std::string body = pull_request_body({change("worker/Dockerfile", {"nonroot-final-user"})}, kMaxPullRequestBody, notes);
  EXPECT_NE(body.find("### Proven by building and running the images\n"), std::string::npos) << body;
  EXPECT_NE(body.find("- `worker/Dockerfile`: built and ran as uid 1000; still running after 4 s (the original ran as uid 0; "
                      "still running after 4 s)\n  - kept nonroot-final-user: proven\n"),
            std::string::npos)
      << body;
  EXPECT_NE(body.find("- `creds/Dockerfile`: no fix proven: left as it is\n  - dropped nonroot-final-user: broke the runtime: "),
            std::string::npos)
      << body;
  // A reason's own backticks do not open code spans.
  EXPECT_NE(body.find("### Base images\n\n- registry.test/base:1: could not be checked (\\`401\\`)"), std::string::npos) << body;
  EXPECT_NE(body.find("- `dockerfix.lock` is updated in this commit"), std::string::npos) << body;
  EXPECT_LT(body.find("### Proven"), body.find("### `nonroot-final-user`"));
}

TEST(PullRequestBody, ManyVerifiedFilesStayUnderTheLimit) {
  std::vector<FileChange> changes;
  BodyNotes notes;
  for (int i = 0; i < 3000; ++i) {
    const std::string path = "services/team-" + std::to_string(i) + "/Dockerfile";
    changes.push_back(change(path, {"nonroot-final-user"}));
    for (auto p : proofs()) {
      p.path = path;
      notes.proofs.push_back(p);
    }
  }
  const std::string body = pull_request_body(changes, kMaxPullRequestBody, notes);
  EXPECT_LE(body.size(), kMaxPullRequestBody);
  EXPECT_NE(body.find("more (see the commit message)"), std::string::npos);
  EXPECT_NE(body.find("### `nonroot-final-user`"), std::string::npos);
  EXPECT_TRUE(body.ends_with("opening these fixes again.\n"));
}

}  // namespace
}  // namespace dockerfix::gitlayer
