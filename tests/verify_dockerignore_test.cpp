// .dockerignore as the docker CLI applies it (moby/patternmatcher).
#include <gtest/gtest.h>

#include "verify/dockerignore.h"

namespace dockerfix::verify {
namespace {

TEST(VerifyDockerIgnore, PatternsExceptionsAndParents) {
  DockerIgnore ig(
      "# comment\n"
      "*.log\n"
      "!keep.log\n"
      "node_modules\n"
      "/build\n"
      "**/*.tmp\n"
      "docs/**\n"
      "  secrets/*.pem  \n"
      "\n");
  EXPECT_TRUE(ig.excluded("app.log"));
  EXPECT_FALSE(ig.excluded("keep.log"));         // the later exception wins
  EXPECT_FALSE(ig.excluded("logs/app.log"));     // '*' does not cross '/'
  EXPECT_TRUE(ig.excluded("node_modules"));
  EXPECT_TRUE(ig.excluded("node_modules/x/y.js"));  // below an excluded directory
  EXPECT_FALSE(ig.excluded("src/node_modules"));    // patterns are anchored at the root
  EXPECT_TRUE(ig.excluded("build/out.o"));          // a leading '/' is dropped
  EXPECT_TRUE(ig.excluded("a.tmp"));                // "**/" also matches no directory
  EXPECT_TRUE(ig.excluded("a/b/c.tmp"));
  EXPECT_TRUE(ig.excluded("docs/x/y.md"));
  EXPECT_FALSE(ig.excluded("docs"));  // "docs/**" matches what is below
  EXPECT_TRUE(ig.excluded("secrets/id.pem"));
  EXPECT_FALSE(ig.excluded("Dockerfile"));
  EXPECT_FALSE(ig.excluded("# comment"));
}

TEST(VerifyDockerIgnore, CleanedPatternsAndEscapes) {
  DockerIgnore ig("./a/../b/\n\\!literal\nfile?.txt\n[ab].c\n");
  EXPECT_TRUE(ig.excluded("b"));
  EXPECT_TRUE(ig.excluded("b/x"));
  EXPECT_TRUE(ig.excluded("!literal"));
  EXPECT_TRUE(ig.excluded("file1.txt"));
  EXPECT_FALSE(ig.excluded("file12.txt"));
  EXPECT_TRUE(ig.excluded("a.c"));
  EXPECT_FALSE(ig.excluded("c.c"));
}

TEST(VerifyDockerIgnore, SuffixPatterns) {
  DockerIgnore ig("**foo\n**/bar\n");
  EXPECT_TRUE(ig.excluded("xfoo"));  // patternmatcher's suffix match
  EXPECT_TRUE(ig.excluded("a/b/foo"));
  EXPECT_TRUE(ig.excluded("bar"));
  EXPECT_TRUE(ig.excluded("a/bar"));
  EXPECT_FALSE(ig.excluded("abar"));
}

TEST(VerifyDockerIgnore, ExcludedDirectoriesWithExceptionsBelow) {
  DockerIgnore ig("vendor\n!vendor/keep\n");
  EXPECT_TRUE(ig.excluded("vendor"));
  EXPECT_TRUE(ig.may_reinclude_below("vendor"));
  EXPECT_FALSE(ig.excluded("vendor/keep"));
  EXPECT_TRUE(ig.excluded("vendor/other"));
  EXPECT_FALSE(DockerIgnore("vendor\n").may_reinclude_below("vendor"));
}

TEST(VerifyDockerIgnore, CleanPath) {
  EXPECT_EQ(clean_path("a/./b/../c/"), "a/c");
  EXPECT_EQ(clean_path("/x//y"), "/x/y");
  EXPECT_EQ(clean_path("../a"), "../a");
  EXPECT_EQ(clean_path(""), ".");
}

}  // namespace
}  // namespace dockerfix::verify
