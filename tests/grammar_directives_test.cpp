// Parser directives (`# syntax=`, `# escape=`, `# check=`) and the escape
// character. Reference: BuildKit parser/directives.go (DirectiveParser.ParseLine:
// only lines before anything else, names case-insensitive, each at most once)
// and parser.go (setEscapeToken, Parse's per-line directive offer).
#include "tests/grammar_helpers.h"

namespace dockerfix {
namespace {
using test::find_diag;
using test::parse_rt;
using test::Shapes;
using test::shapes;

TEST(Directives, SyntaxEscapeAndCheckAreRecognised) {
  auto f = parse_rt("# syntax=docker/dockerfile:1\n# escape=`\n# check=skip=JSONArgsRecommended\nFROM a\n");
  ASSERT_EQ(f.directives.size(), 3u);
  EXPECT_EQ(f.directives[0].name, "syntax");
  EXPECT_EQ(f.directives[0].value, "docker/dockerfile:1");
  EXPECT_EQ(f.directives[0].line, 1);
  EXPECT_EQ(f.directives[1].name, "escape");
  EXPECT_EQ(f.directives[1].value, "`");
  EXPECT_EQ(f.directives[1].line, 2);
  EXPECT_EQ(f.directives[2].name, "check");
  EXPECT_EQ(f.directives[2].value, "skip=JSONArgsRecommended");
  EXPECT_EQ(f.directives[2].line, 3);
  EXPECT_EQ(f.escape, '`');
  EXPECT_FALSE(f.has_errors()) << test::describe(f);
  EXPECT_EQ(shapes(f), (Shapes{{"FROM", 4, 4}}));
  // Directive lines are their own tokens, and their spans hold the `#` text.
  EXPECT_EQ(f.tokens[0].kind, TokenKind::Directive);
  EXPECT_EQ(f.text(f.directives[0].span), "# syntax=docker/dockerfile:1");
  EXPECT_EQ(f.text(f.directives[2].span), "# check=skip=JSONArgsRecommended");
}

TEST(Directives, NamesAreCaseInsensitiveAndValuesTrimmed) {
  // ParseLine: `#`, optional spaces, `name\s*=\s*(.+?)\s*$`; the name is lower-cased.
  auto f = parse_rt("#ESCAPE = `\n#   Syntax  =   example.com/front:1   \nFROM a\nRUN a `\n  b\n");
  ASSERT_EQ(f.directives.size(), 2u);
  EXPECT_EQ(f.directives[0].name, "escape");
  EXPECT_EQ(f.directives[0].value, "`");
  EXPECT_EQ(f.directives[1].name, "syntax");
  EXPECT_EQ(f.directives[1].value, "example.com/front:1");
  EXPECT_EQ(f.escape, '`');
  EXPECT_EQ(shapes(f), (Shapes{{"FROM", 3, 3}, {"RUN", 4, 5}}));
}

TEST(Directives, ExplicitBackslashEscapeIsValid) {
  auto f = parse_rt("# escape=\\\nFROM a\nRUN a \\\n  b\n");
  ASSERT_EQ(f.directives.size(), 1u);
  EXPECT_EQ(f.escape, '\\');
  EXPECT_FALSE(f.has_errors()) << test::describe(f);
  EXPECT_EQ(shapes(f), (Shapes{{"FROM", 2, 2}, {"RUN", 3, 4}}));
}

TEST(Directives, AfterACommentTheyAreComments) {
  // The comment ends the directive block, so the escape stays `\`: `RUN a `` does
  // not continue and `b` is an instruction of its own.
  auto f = parse_rt("# a note\n# escape=`\nFROM a\nRUN a `\nb\n");
  EXPECT_TRUE(f.directives.empty());
  EXPECT_EQ(f.escape, '\\');
  EXPECT_EQ(shapes(f), (Shapes{{"FROM", 3, 3}, {"RUN", 4, 4}, {"B", 5, 5}}));
  EXPECT_EQ(test::token_texts(f, TokenKind::Comment), (std::vector<std::string>{"# a note", "# escape=`"}));
}

TEST(Directives, AfterABlankLineTheyAreComments) {
  auto f = parse_rt("\n# escape=`\nFROM a\nRUN a \\\n  b\n");
  EXPECT_TRUE(f.directives.empty());
  EXPECT_EQ(f.escape, '\\');
  EXPECT_EQ(shapes(f), (Shapes{{"FROM", 3, 3}, {"RUN", 4, 5}}));
}

TEST(Directives, AfterAnInstructionTheyAreComments) {
  auto f = parse_rt("FROM a\n# escape=`\nRUN x \\\n  y\n");
  EXPECT_TRUE(f.directives.empty());
  EXPECT_EQ(f.escape, '\\');
  EXPECT_EQ(shapes(f), (Shapes{{"FROM", 1, 1}, {"RUN", 3, 4}}));
}

TEST(Directives, UnknownDirectiveEndsTheBlock) {
  auto f = parse_rt("# syntax=a/b\n# foo=bar\n# escape=`\nFROM a\n");
  ASSERT_EQ(f.directives.size(), 1u);
  EXPECT_EQ(f.directives[0].name, "syntax");
  EXPECT_EQ(f.escape, '\\');
}

TEST(Directives, ShebangEndsTheBlock) {
  // Parse() does not skip a shebang (only DetectSyntax does): `#!...` is a
  // comment that ends the directives.
  auto f = parse_rt("#!/usr/bin/env buildctl\n# escape=`\nFROM a\nRUN a `\nb\n");
  EXPECT_TRUE(f.directives.empty());
  EXPECT_EQ(f.escape, '\\');
  EXPECT_EQ(shapes(f), (Shapes{{"FROM", 3, 3}, {"RUN", 4, 4}, {"B", 5, 5}}));
}

TEST(Directives, EmptyValueIsAPlainComment) {
  // `(.+?)` needs one character: `# escape=` is no directive, just a comment.
  auto f = parse_rt("# escape=\nFROM a\n");
  EXPECT_TRUE(f.directives.empty());
  EXPECT_FALSE(f.has_errors()) << test::describe(f);
  EXPECT_EQ(shapes(f), (Shapes{{"FROM", 2, 2}}));
}

TEST(Directives, DuplicateIsAnError) {
  auto f = parse_rt("# syntax=a/b\n# SYNTAX=c/d\nFROM a\n");
  const Diagnostic* d = find_diag(f, "duplicate-directive");
  ASSERT_NE(d, nullptr) << test::describe(f);
  EXPECT_EQ(d->severity, Severity::Error);
  EXPECT_EQ(d->line, 2);
  EXPECT_EQ(d->message, "only one syntax parser directive can be used");
  EXPECT_TRUE(f.has_errors());
}

TEST(Directives, DuplicateEscapeIsAnError) {
  auto f = parse_rt("# escape=`\n# escape=\\\nFROM a\n");
  const Diagnostic* d = find_diag(f, "duplicate-directive");
  ASSERT_NE(d, nullptr) << test::describe(f);
  EXPECT_EQ(d->line, 2);
  EXPECT_EQ(d->message, "only one escape parser directive can be used");
}

TEST(Directives, InvalidEscapeIsAnError) {
  auto f = parse_rt("# escape=x\nFROM a\n");
  const Diagnostic* d = find_diag(f, "invalid-escape");
  ASSERT_NE(d, nullptr) << test::describe(f);
  EXPECT_EQ(d->severity, Severity::Error);
  EXPECT_EQ(d->line, 1);
  EXPECT_EQ(d->message, "invalid escape token 'x' does not match ` or \\");
  EXPECT_EQ(f.escape, '\\');
}

TEST(Directives, TwoCharacterEscapeIsAnError) {
  auto f = parse_rt("# escape=``\nFROM a\n");
  EXPECT_TRUE(f.has_errors());
  EXPECT_NE(find_diag(f, "invalid-escape"), nullptr) << test::describe(f);
}

TEST(Directives, EscapeOfOnlyASpaceIsAnError) {
  // `\s*=\s*(.+?)\s*$` backtracks so that the lone trailing space is the value.
  auto f = parse_rt("# escape= \nFROM a\n");
  const Diagnostic* d = find_diag(f, "invalid-escape");
  ASSERT_NE(d, nullptr) << test::describe(f);
  EXPECT_EQ(d->message, "invalid escape token ' ' does not match ` or \\");
}

TEST(Directives, BacktickContinuesAndBackslashIsLiteral) {
  auto f = parse_rt(
      "# escape=`\n"
      "FROM mcr.microsoft.com/windows/nanoserver\n"
      "RUN dir c:\\ `\n"
      "    && echo hi\n"
      "COPY a c:\\dir\\\n"
      "RUN b\n");
  EXPECT_EQ(f.escape, '`');
  EXPECT_EQ(shapes(f), (Shapes{{"FROM", 2, 2}, {"RUN", 3, 4}, {"COPY", 5, 5}, {"RUN", 6, 6}}));
  EXPECT_EQ(f.instructions[1].logical, "RUN dir c:\\     && echo hi");
  EXPECT_EQ(f.instructions[1].arguments, "dir c:\\     && echo hi");
  EXPECT_EQ(f.instructions[2].arguments, "a c:\\dir\\");
  EXPECT_EQ(test::token_texts(f, TokenKind::Continuation), (std::vector<std::string>{"`"}));
}

TEST(Directives, BacktickFollowedBySpacesAndTabsContinues) {
  auto f = parse_rt("# escape=`\nFROM a\nRUN a ` \t \n  b `\t\n  c\n");
  EXPECT_EQ(shapes(f), (Shapes{{"FROM", 2, 2}, {"RUN", 3, 5}}));
  EXPECT_EQ(f.instructions[1].logical, "RUN a   b   c");
  EXPECT_EQ(test::token_texts(f, TokenKind::Continuation), (std::vector<std::string>{"` \t ", "`\t"}));
}

TEST(Directives, DoubleBacktickIsNotAContinuation) {
  auto f = parse_rt("# escape=`\nFROM a\nRUN echo ``\nRUN b\n");
  EXPECT_EQ(shapes(f), (Shapes{{"FROM", 2, 2}, {"RUN", 3, 3}, {"RUN", 4, 4}}));
}

TEST(Directives, BacktickEscapesInFlags) {
  // extractBuilderFlags uses the current escape token.
  auto f = parse_rt("# escape=`\nFROM a\nCOPY --chown=a` b c d\n");
  const auto& c = f.instructions[1];
  ASSERT_EQ(c.flags.size(), 1u);
  EXPECT_EQ(c.flags[0].name, "chown");
  EXPECT_EQ(c.flags[0].value, "a b");
  EXPECT_EQ(c.arguments, "c d");
}

TEST(Directives, AfterBomAndLeadingWhitespace) {
  auto f = parse_rt("\xEF\xBB\xBF  # escape=`\nFROM a\nRUN a `\n  b\n");
  EXPECT_EQ(f.tokens[0].kind, TokenKind::Bom);
  ASSERT_EQ(f.directives.size(), 1u);
  EXPECT_EQ(f.escape, '`');
  EXPECT_EQ(shapes(f), (Shapes{{"FROM", 2, 2}, {"RUN", 3, 4}}));
}

TEST(Directives, WithCrlfLineEndings) {
  auto f = parse_rt("# escape=`\r\n# syntax=x/y\r\nFROM a\r\nRUN a `\r\n  b\r\n");
  ASSERT_EQ(f.directives.size(), 2u);
  EXPECT_EQ(f.directives[0].value, "`");
  EXPECT_EQ(f.directives[1].value, "x/y");
  EXPECT_EQ(f.escape, '`');
  EXPECT_EQ(shapes(f), (Shapes{{"FROM", 3, 3}, {"RUN", 4, 5}}));
  EXPECT_EQ(f.instructions[1].arguments, "a   b");
}

TEST(Directives, OnlyDirectivesIsAFileWithNoInstructions) {
  auto f = parse_rt("# syntax=docker/dockerfile:1\n# check=error=true\n");
  EXPECT_EQ(f.directives.size(), 2u);
  EXPECT_TRUE(f.instructions.empty());
  EXPECT_NE(test::find_error_message(f, "file with no instructions"), nullptr) << test::describe(f);
}

}  // namespace
}  // namespace dockerfix
