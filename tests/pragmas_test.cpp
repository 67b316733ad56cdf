// `# dockerfix ignore=` and `# hadolint ignore=` on the line before an instruction.
#include <gtest/gtest.h>

#include <regex>

#include "dockerfix/fix.h"
#include "transforms/pragmas.h"

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

// The pragma index: what a text's comments and check configuration say about
// findings is read once per text the fixed-point loop meets, and must be
// that text's (instructions move when a fix inserts one); the hand-written
// reader of `name=value` comments must agree with the regexp BuildKit uses.
namespace dockerfix::fix {
namespace {

TEST(PragmaIndex, GlobalIgnoreAnywhereCoversTheWholeFile) {
  const std::string body = "FROM debian:12\nRUN curl -o x https://x\n";
  ASSERT_TRUE(has(rules_found(body + "CMD [\"x\"]\n"), "nonroot-final-user"));
  ASSERT_TRUE(has(rules_found(body + "CMD [\"x\"]\n"), "network-retry"));
  // After the instructions, and under two names (hadolint's and an alias).
  auto v = rules_found(body + "CMD [\"x\"]\n# hadolint global ignore=DL3002,network-retry\n");
  EXPECT_FALSE(has(v, "nonroot-final-user"));
  EXPECT_FALSE(has(v, "network-retry"));
  // A comment inside a continued instruction counts too.
  ASSERT_TRUE(has(rules_found("FROM debian:12\nRUN echo a \\\n && echo b\n"), "nonroot-final-user"));
  auto inside = rules_found("FROM debian:12\nRUN echo a \\\n# dockerfix global ignore=nonroot-final-user\n && echo b\n");
  EXPECT_FALSE(has(inside, "nonroot-final-user"));
  // Without `global` it reaches only the next instruction, not FROM.
  EXPECT_TRUE(has(rules_found(body + "# hadolint ignore=DL3002\nCMD [\"x\"]\n"), "nonroot-final-user"));
  // `global` must come right after the tool's name.
  EXPECT_TRUE(has(rules_found(body + "CMD [\"x\"]\n# global hadolint ignore=DL3002\n"), "nonroot-final-user"));
}

// pipefail's unsafe fix inserts a SHELL before the second instruction: in
// the fixed text every later instruction has moved one on, and an ignore
// must follow the instruction it stands above.
TEST(PragmaIndex, EachFixedTextReadsItsOwnComments) {
  const std::string src =
      "FROM debian:12\n"
      "RUN wget -O - https://x | tar x\n"
      "RUN echo a\n"
      "# dockerfix ignore=consecutive-run\n"
      "RUN echo b\n"
      "RUN echo c\n";
  auto r = fix(src, "Dockerfile", model::KnowledgeBase::builtin(), {}, {}, FixScope{true});
  ASSERT_NE(r.text.find("SHELL"), std::string::npos) << r.text;
  std::vector<int> lines;
  for (const auto& f : r.unfixed)
    if (f.rule == "consecutive-run") lines.push_back(f.line);
  EXPECT_EQ(lines, (std::vector<int>{4, 7})) << r.text;  // RUN echo a and RUN echo c, not RUN echo b
}

TEST(PragmaIndex, CheckCommentsAreReadPerInstruction) {
  // Name in any case, spaces around `=`, trailing spaces: BuildKit's regexp takes them.
  const std::string src =
      "FROM alpine:3.20\n"
      "CMD serve\n"
      "FROM alpine:3.20\n"
      "# Check = skip=JSONArgsRecommended  \n"
      "CMD serve\n"
      "FROM alpine:3.20\n"
      "CMD serve\n";
  std::vector<int> lines;
  for (const auto& f : check(parse(src), model::KnowledgeBase::builtin(), {}, {}))
    if (f.rule == "json-args-recommended") lines.push_back(f.line);
  EXPECT_EQ(lines, (std::vector<int>{2, 7}));
  // A name with other characters is no setting: the comment is ignored.
  lines.clear();
  for (const auto& f : check(parse("FROM alpine:3.20\n# check-x=skip=all\nCMD serve\n"), model::KnowledgeBase::builtin(), {}, {}))
    if (f.rule == "json-args-recommended") lines.push_back(f.line);
  EXPECT_EQ(lines, std::vector<int>{3});
}

TEST(PragmaIndex, BuildArgOverridesTheDirectiveForEveryRule) {
  Options o;
  o.model.build_args["BUILDKIT_DOCKERFILE_CHECK"] = "skip=DL3002";
  const std::string src = "# check=skip=network-retry\nFROM debian:12\nRUN curl -o x https://x\nCMD [\"x\"]\n";
  std::vector<std::string> v;
  for (const auto& f : check(parse(src), model::KnowledgeBase::builtin(), o, {})) v.push_back(f.rule);
  EXPECT_FALSE(has(v, "nonroot-final-user"));
  EXPECT_TRUE(has(v, "network-retry"));
}

// Compares comment_setting with std::regex on every string of up to 6
// characters drawn from one of each kind the regexp tells apart.
TEST(CommentSetting, AgreesWithBuildKitsRegexp) {
  static const std::regex directive(R"(^([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$)");
  const std::string alphabet = "c1= \v\r-";
  std::string s;
  size_t compared = 0;
  auto compare = [&] {
    std::smatch m;
    const bool matched = std::regex_match(s, m, directive);
    auto got = comment_setting(s);
    ASSERT_EQ(matched, got.has_value()) << testing::PrintToString(s);
    if (matched) {
      ASSERT_EQ(m[1].str(), got->name) << testing::PrintToString(s);
      ASSERT_EQ(m[2].str(), got->value) << testing::PrintToString(s);
    }
    ++compared;
  };
  for (size_t len = 0; len <= 6; ++len) {
    std::vector<size_t> at(len, 0);
    for (;;) {
      s.clear();
      for (size_t k : at) s.push_back(alphabet[k]);
      compare();
      if (HasFatalFailure()) return;
      size_t i = 0;
      while (i < len && ++at[i] == alphabet.size()) at[i++] = 0;
      if (i == len) break;
    }
  }
  EXPECT_GT(compared, 100000u);
  for (std::string text : {"check=skip=all", "  check=x", "check = a b ", "Check=\t\fv\n", "a=\n", "a= \n", "a=\r ",
                           "a=b\nc", "a=\xc2\xa0", "a\xc3\xa9=1", "9a=1"}) {
    s = text;
    compare();
  }
}

}  // namespace
}  // namespace dockerfix::fix
