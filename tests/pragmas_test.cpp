// `# dockerfix ignore=` and `# hadolint ignore=` on the line before an instruction.
#include <gtest/gtest.h>

#include "dockerfix/fix.h"

namespace dockerfix::fix {
namespace {

std::vector<std::string> rules_found(const std::string& src) {
  std::vector<std::string> out;
  for (const auto& f : check(parse(src), model::KnowledgeBase::builtin(), {}, {})) out.push_back(f.rule);
  return out;
}

bool has(const std::vector<std::string>& v, const std::string& r) { return std::find(v.begin(), v.end(), r) != v.end(); }

TEST(Pragmas, DockerfixIgnoreOnTheLineBefore) {
  auto on = rules_found("FROM debian:12\nRUN curl -o x https://x\n");
  EXPECT_TRUE(has(on, "network-retry"));
  auto off = rules_found("FROM debian:12\n# dockerfix ignore=network-retry,explicit-uid\nRUN curl -o x https://x\n");
  EXPECT_FALSE(has(off, "network-retry"));
  EXPECT_TRUE(has(off, "nonroot-final-user"));
}

TEST(Pragmas, OnlyTheNextInstruction) {
  auto v = rules_found("FROM debian:12\n# dockerfix ignore=network-retry\n\nRUN curl -o x https://x\n");
  EXPECT_TRUE(has(v, "network-retry"));  // a blank line breaks the link
}

TEST(Pragmas, HadolintCodesMapToRules) {
  auto v = rules_found("# hadolint ignore=DL3002,DL3008\nFROM debian:12\n");
  EXPECT_FALSE(has(v, "nonroot-final-user"));
  auto w = rules_found("# hadolint ignore=DL3008\nFROM debian:12\n");
  EXPECT_TRUE(has(w, "nonroot-final-user"));
}

TEST(Pragmas, IgnoredFindingsAreNotFixed) {
  std::string src = "FROM debian:12\n# dockerfix ignore=network-retry\nRUN curl -o x https://x\n";
  Selection s;
  s.only = {"network-retry"};
  EXPECT_EQ(fix(src, "Dockerfile", model::KnowledgeBase::builtin(), {}, s).text, src);
}

}  // namespace
}  // namespace dockerfix::fix

// Issue 12: every alias works wherever an id does, and BuildKit's
// `# check=skip=` parser directive is honoured for the whole file.
namespace dockerfix::fix {
namespace {

TEST(Pragmas, AnyAliasOfTheRuleTableCaseInsensitively) {
  const std::string body = "FROM debian:12\nRUN curl -o x https://x\nCMD [\"x\"]\n";
  EXPECT_TRUE(has(rules_found(body), "nonroot-final-user"));
  for (std::string pragma : {"# hadolint ignore=DS002", "# dockerfix ignore=CKV_DOCKER_3", "# dockerfix ignore=dl3002",
                             "# hadolint ignore=nonroot-final-user"}) {
    auto v = rules_found("FROM debian:12\nRUN curl -o x https://x\n" + pragma + "\nCMD [\"x\"]\n");
    // nonroot-final-user points at FROM: the pragma above CMD does not reach it...
    EXPECT_TRUE(has(v, "nonroot-final-user")) << pragma;
    // ...one above FROM does.
    auto above = rules_found(pragma + "\n" + body);
    EXPECT_FALSE(has(above, "nonroot-final-user")) << pragma;
    EXPECT_TRUE(has(above, "network-retry")) << pragma;
  }
}

TEST(Pragmas, CheckSkipDirectiveSkipsRulesForTheWholeFile) {
  // A service: healthcheck reports nothing else (issue 13).
  const std::string body = "FROM debian:12\nRUN curl -o x https://x\nCMD [\"gunicorn\", \"app:app\"]\n";
  auto skip = rules_found("# check=skip=DL3002,network-retry\n" + body);
  EXPECT_FALSE(has(skip, "nonroot-final-user"));
  EXPECT_FALSE(has(skip, "network-retry"));
  EXPECT_TRUE(has(skip, "healthcheck"));
  // With BuildKit's other settings, and names BuildKit has that dockerfix does not.
  auto mixed = rules_found("# check=error=true;skip=JSONArgsRecommended,healthcheck\n" + body);
  EXPECT_FALSE(has(mixed, "healthcheck"));
  EXPECT_TRUE(has(mixed, "network-retry"));
  EXPECT_TRUE(rules_found("# check=skip=all\n" + body).empty());
  // Only as a parser directive: after the first instruction it is a comment.
  EXPECT_TRUE(has(rules_found("FROM debian:12\n# check=skip=all\nRUN curl -o x https://x\n"), "network-retry"));
}

TEST(Selection, AliasesSelectTheirRule) {
  Selection s;
  s.only = {"DL3057"};
  EXPECT_TRUE(s.selected("healthcheck"));
  EXPECT_FALSE(s.selected("network-retry"));
  ASSERT_NE(resolve_rule("ckv_docker_2"), nullptr);
  EXPECT_EQ(resolve_rule("ckv_docker_2")->id, "healthcheck");
  EXPECT_EQ(resolve_rule("Network-Retry")->id, "network-retry");
  EXPECT_EQ(resolve_rule("DL9999"), nullptr);
}

}  // namespace
}  // namespace dockerfix::fix
