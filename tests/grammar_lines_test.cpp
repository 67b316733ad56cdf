// Lines: continuation, comments and blank lines inside instructions, line
// endings, BOM, keyword case, leading whitespace (BuildKit parser.go).
#include "tests/grammar_helpers.h"

namespace dockerfix {
namespace {
using test::has_code;
using test::parse_rt;

TEST(Lines, ContinuationJoinsLines) {
  auto f = parse_rt("FROM a\nRUN echo a \\\n    b \\  \t\n  c\n");
  ASSERT_EQ(f.instructions.size(), 2u);
  const auto& run = f.instructions[1];
  EXPECT_EQ(run.start_line, 2);
  EXPECT_EQ(run.end_line, 4);
  EXPECT_EQ(run.arguments, "echo a     b   c");
  EXPECT_EQ(run.logical, "RUN echo a     b   c");
}

TEST(Lines, DoubleEscapeIsNotAContinuation) {
  auto f = parse_rt("FROM a\nRUN echo \\\\\nRUN b\n");
  ASSERT_EQ(f.instructions.size(), 3u);
  EXPECT_EQ(f.instructions[1].end_line, 2);
}

TEST(Lines, CommentsAndBlankLinesInsideAContinuation) {
  auto f = parse_rt("FROM a\nRUN a \\\n# comment \\\n\n   \n  b\nRUN c\n");
  ASSERT_EQ(f.instructions.size(), 3u);
  EXPECT_EQ(f.instructions[1].end_line, 6);
  EXPECT_EQ(f.instructions[1].arguments, "a   b");
  EXPECT_TRUE(has_code(f, "empty-continuation-line"));
  bool comment_token = false;
  for (const auto& t : f.tokens) comment_token |= t.kind == TokenKind::Comment;
  EXPECT_TRUE(comment_token);
}

TEST(Lines, LoneEscapeLineStartsAnInstruction) {
  auto f = parse_rt("FROM a\n\\\n  RUN x\n");
  ASSERT_EQ(f.instructions.size(), 2u);
  EXPECT_EQ(f.instructions[1].keyword, "RUN");
  EXPECT_EQ(f.instructions[1].start_line, 2);
  EXPECT_EQ(f.instructions[1].end_line, 3);
}

TEST(Lines, CommentEndingWithEscapeDoesNotContinue) {
  auto f = parse_rt("FROM a\n# note \\\nRUN x\n");
  ASSERT_EQ(f.instructions.size(), 2u);
  EXPECT_EQ(f.instructions[1].start_line, 3);
}

TEST(Lines, CrlfAndMixedEndings) {
  auto f = parse_rt("FROM a\r\nRUN a \\\r\n  b\nCMD c\r\n");
  ASSERT_EQ(f.instructions.size(), 3u);
  EXPECT_EQ(f.instructions[1].arguments, "a   b");
  EXPECT_EQ(f.instructions[1].end_line, 3);
  EXPECT_EQ(f.instructions[2].arguments, "c");
}

TEST(Lines, NoFinalNewlineAndTrailingContinuationAtEof) {
  auto f = parse_rt("FROM a\nRUN x \\");
  ASSERT_EQ(f.instructions.size(), 2u);
  EXPECT_EQ(f.instructions[1].arguments, "x");
  EXPECT_EQ(f.instructions[1].end_line, 2);
  auto g = parse_rt("FROM a");
  EXPECT_EQ(g.instructions[0].end_line, 1);
}

TEST(Lines, KeywordsInAnyCaseAndIndented) {
  auto f = parse_rt("from a AS b\n  \tRuN x\ncopy . .\n");
  ASSERT_EQ(f.instructions.size(), 3u);
  EXPECT_EQ(f.instructions[1].keyword, "RUN");
  EXPECT_EQ(f.text(f.instructions[1].keyword_span), "RuN");
  EXPECT_EQ(f.instructions[2].keyword, "COPY");
}

TEST(Lines, UnknownInstructionKeepsBuildKitBoundaries) {
  auto f = parse_rt("FROM a\nFOO bar \\\n baz\nRUN x\n");
  ASSERT_EQ(f.instructions.size(), 3u);
  EXPECT_FALSE(f.instructions[1].known);
  EXPECT_EQ(f.instructions[1].end_line, 3);
  EXPECT_TRUE(has_code(f, "unknown-instruction"));
}

TEST(Lines, EmptyAndCommentOnlyFilesHaveNoInstructions) {
  EXPECT_TRUE(has_code(parse_rt(""), "no-instructions"));
  EXPECT_TRUE(has_code(parse_rt("# just a comment\n\n"), "no-instructions"));
}

TEST(Lines, LineOver64KiBIsAnError) {
  std::string src = "FROM a\nRUN " + std::string(70000, 'x') + "\n";
  EXPECT_TRUE(has_code(parse_rt(src), "line-too-long"));
}

TEST(Lines, BinaryAndInvalidBytesRoundTrip) {
  std::string junk;
  for (int i = 0; i < 4096; ++i) junk += static_cast<char>((i * 7919 + 13) % 256);
  parse_rt(junk);
  parse_rt(std::string("FROM a\nRUN \xff\xfe\0x \\\n\0\n", 16));
  parse_rt("\xC2\xA0RUN x\n");
}

TEST(Lines, UnicodeSpaceIsLeadingWhitespace) {
  // U+00A0 counts as space for BuildKit's trimming.
  auto f = parse_rt("\xC2\xA0\xC2\xA0" "FROM a\n");
  ASSERT_EQ(f.instructions.size(), 1u);
  EXPECT_EQ(f.instructions[0].keyword, "FROM");
}

TEST(Lines, LineAndColumnOfDiagnostics) {
  auto f = parse_rt("FROM a\n  BOGUS x\n");
  ASSERT_FALSE(f.diagnostics.empty());
  EXPECT_EQ(f.diagnostics[0].line, 2);
  EXPECT_EQ(f.diagnostics[0].column, 3);
}

}  // namespace
}  // namespace dockerfix
