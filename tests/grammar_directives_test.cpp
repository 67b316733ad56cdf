// Parser directives and the escape character (BuildKit directives.go).
#include "tests/grammar_helpers.h"

namespace dockerfix {
namespace {
using test::has_code;
using test::parse_rt;

TEST(Directives, SyntaxEscapeCheckAreRecognised) {
  auto f = parse_rt("# syntax=docker/dockerfile:1\n#escape=`\n# CHECK = skip=all\nFROM a\n");
  ASSERT_EQ(f.directives.size(), 3u);
  EXPECT_EQ(f.directives[0].name, "syntax");
  EXPECT_EQ(f.directives[0].value, "docker/dockerfile:1");
  EXPECT_EQ(f.directives[1].name, "escape");
  EXPECT_EQ(f.directives[2].name, "check");
  EXPECT_EQ(f.directives[2].value, "skip=all");
  EXPECT_EQ(f.escape, '`');
  EXPECT_FALSE(f.has_errors());
  EXPECT_EQ(f.tokens[0].kind, TokenKind::Directive);
}

TEST(Directives, OnlyBeforeAnythingElse) {
  auto after_comment = parse_rt("# hello\n# escape=`\nFROM a\n");
  EXPECT_TRUE(after_comment.directives.empty());
  EXPECT_EQ(after_comment.escape, '\\');
  auto after_blank = parse_rt("\n# escape=`\nFROM a\n");
  EXPECT_TRUE(after_blank.directives.empty());
  auto after_instruction = parse_rt("FROM a\n# escape=`\nRUN x \\\n y\n");
  EXPECT_EQ(after_instruction.escape, '\\');
  EXPECT_EQ(after_instruction.instructions[1].end_line, 4);
}

TEST(Directives, UnknownDirectiveEndsDirectives) {
  auto f = parse_rt("# foo=bar\n# escape=`\nFROM a\n");
  EXPECT_TRUE(f.directives.empty());
  EXPECT_EQ(f.escape, '\\');
}

TEST(Directives, DuplicateIsAnError) {
  auto f = parse_rt("# syntax=a\n# syntax=b\nFROM a\n");
  EXPECT_TRUE(has_code(f, "duplicate-directive"));
  EXPECT_EQ(f.diagnostics[0].line, 2);
}

TEST(Directives, InvalidEscapeIsAnError) {
  auto f = parse_rt("# escape=x\nFROM a\n");
  EXPECT_TRUE(has_code(f, "invalid-escape"));
  EXPECT_EQ(f.escape, '\\');
}

TEST(Directives, BacktickContinuesLinesAndBackslashIsLiteral) {
  auto f = parse_rt("# escape=`\nFROM windows\nRUN dir c:\\ `\n  && echo hi\nCOPY a c:\\dir\\\n");
  ASSERT_EQ(f.instructions.size(), 3u);
  EXPECT_EQ(f.instructions[1].start_line, 3);
  EXPECT_EQ(f.instructions[1].end_line, 4);
  EXPECT_EQ(f.instructions[1].arguments, "dir c:\\   && echo hi");
  EXPECT_EQ(f.instructions[2].start_line, 5);
  EXPECT_EQ(f.instructions[2].end_line, 5);
}

TEST(Directives, DirectiveAfterBomAndLeadingSpace) {
  auto f = parse_rt("\xEF\xBB\xBF  # escape=`\nFROM a\n");
  EXPECT_EQ(f.tokens[0].kind, TokenKind::Bom);
  EXPECT_EQ(f.escape, '`');
}

}  // namespace
}  // namespace dockerfix
