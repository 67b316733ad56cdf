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
