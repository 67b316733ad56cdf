// Line continuation, comments and blank lines, inside and between
// instructions. Reference: BuildKit parser.go (Parse's continuation loop,
// lineContinuationRegex `([^\\])\\[ \t]*$|^\\[ \t]*$`, isComment,
// isEmptyContinuationLine; continuation lines keep their indentation).
#include "tests/grammar_helpers.h"

namespace dockerfix {
namespace {
using test::find_diag;
using test::parse_rt;
using test::Shapes;
using test::shapes;
using test::token_texts;

TEST(Continuation, JoinsLinesAndKeepsTheirIndentation) {
  auto f = parse_rt("FROM a\nRUN echo a \\\n    b \\  \t\n  c\n");
  ASSERT_EQ(shapes(f), (Shapes{{"FROM", 1, 1}, {"RUN", 2, 4}}));
  const auto& run = f.instructions[1];
  // The escape and what follows it go; the space before it and the
  // indentation of the next line stay.
  EXPECT_EQ(run.logical, "RUN echo a     b   c");
  EXPECT_EQ(run.arguments, "echo a     b   c");
  EXPECT_EQ(token_texts(f, TokenKind::Continuation), (std::vector<std::string>{"\\", "\\  \t"}));
  EXPECT_FALSE(f.has_errors()) << test::describe(f);
  EXPECT_TRUE(f.diagnostics.empty()) << test::describe(f);
}

// Issue 11 #19: built with clang, the continuation parser once copied its
// blank-matcher before that was initialised, so `\ ` ended no line.
TEST(Continuation, EscapeThenOneBlankContinues) {
  auto f = parse_rt("FROM debian:12\nRUN a \\ \n b\n");
  ASSERT_EQ(shapes(f), (Shapes{{"FROM", 1, 1}, {"RUN", 2, 3}}));
  EXPECT_EQ(f.instructions[1].arguments, "a  b");
  EXPECT_FALSE(f.has_errors()) << test::describe(f);
}

TEST(Continuation, EscapeWithoutSpaceBeforeIt) {
  auto f = parse_rt("FROM a\nRUN a\\\nb\n");
  ASSERT_EQ(shapes(f), (Shapes{{"FROM", 1, 1}, {"RUN", 2, 3}}));
  EXPECT_EQ(f.instructions[1].arguments, "ab");
}

TEST(Continuation, ArgumentsMapBackToTheFile) {
  auto f = parse_rt("FROM a\nRUN one \\\n  two\n");
  const auto& run = f.instructions[1];
  ASSERT_EQ(run.arguments, "one   two");
  // `two` sits on line 3, two columns in.
  size_t two = run.logical.find("two");
  ASSERT_NE(two, std::string::npos);
  EXPECT_EQ(f.source.substr(run.file_offset(static_cast<uint32_t>(two)), 3), "two");
  EXPECT_EQ(f.position(run.file_offset(static_cast<uint32_t>(two))), (std::pair<int, int>{3, 3}));
  EXPECT_EQ(f.text(run.arguments_span).substr(0, 3), "one");
  EXPECT_EQ(f.text(run.arguments_span).substr(f.text(run.arguments_span).size() - 3), "two");
}

TEST(Continuation, EscapeInTheMiddleIsNotAContinuation) {
  auto f = parse_rt("FROM a\nRUN a \\ b\nRUN c\n");
  ASSERT_EQ(shapes(f), (Shapes{{"FROM", 1, 1}, {"RUN", 2, 2}, {"RUN", 3, 3}}));
  EXPECT_EQ(f.instructions[1].arguments, "a \\ b");
}

TEST(Continuation, TwoEscapesAtEndOfLineAreNotAContinuation) {
  auto f = parse_rt("FROM a\nRUN echo \\\\\nRUN b\n");
  ASSERT_EQ(shapes(f), (Shapes{{"FROM", 1, 1}, {"RUN", 2, 2}, {"RUN", 3, 3}}));
  EXPECT_EQ(f.instructions[1].arguments, "echo \\\\");
  EXPECT_TRUE(token_texts(f, TokenKind::Continuation).empty());
}

TEST(Continuation, ThreeEscapesAtEndOfLineAreNotAContinuationEither) {
  // The regex needs a non-escape character before the final escape, so any
  // run of two or more escapes at the end of a line is literal.
  auto f = parse_rt("FROM a\nRUN echo \\\\\\\nRUN b\n");
  ASSERT_EQ(shapes(f), (Shapes{{"FROM", 1, 1}, {"RUN", 2, 2}, {"RUN", 3, 3}}));
  EXPECT_EQ(f.instructions[1].arguments, "echo \\\\\\");
}

TEST(Continuation, AfterAMultiByteCharacter) {
  auto f = parse_rt("FROM a\nRUN \xC3\xA9\\\n x\n");
  ASSERT_EQ(shapes(f), (Shapes{{"FROM", 1, 1}, {"RUN", 2, 3}}));
  EXPECT_EQ(f.instructions[1].arguments, "\xC3\xA9 x");
}

TEST(Continuation, ALineThatIsOnlyTheEscapeStartsAnInstruction) {
  // `^\\[ \t]*$` makes the lone escape an empty first line that continues;
  // the next line is joined with its indentation.
  auto f = parse_rt("FROM a\n\\\n  RUN x\nRUN y\n");
  ASSERT_EQ(shapes(f), (Shapes{{"FROM", 1, 1}, {"RUN", 2, 3}, {"RUN", 4, 4}}));
  EXPECT_EQ(f.instructions[1].logical, "  RUN x");
  EXPECT_EQ(f.instructions[1].arguments, "x");
  EXPECT_EQ(f.text(f.instructions[1].keyword_span), "RUN");
  EXPECT_EQ(f.position(f.instructions[1].keyword_span.begin), (std::pair<int, int>{3, 3}));
}

TEST(Continuation, IndentedLoneEscapeLine) {
  auto f = parse_rt("FROM a\n  \\\n  RUN x\n");
  ASSERT_EQ(shapes(f), (Shapes{{"FROM", 1, 1}, {"RUN", 2, 3}}));
  EXPECT_EQ(f.instructions[1].arguments, "x");
}

TEST(Continuation, LoneEscapeLinesInsideAnInstruction) {
  auto f = parse_rt("FROM a\nRUN a \\\n\\\n b\n");
  ASSERT_EQ(shapes(f), (Shapes{{"FROM", 1, 1}, {"RUN", 2, 4}}));
  EXPECT_EQ(f.instructions[1].logical, "RUN a  b");
  EXPECT_EQ(find_diag(f, "empty-continuation-line"), nullptr) << "a lone escape is not an empty line";

  auto g = parse_rt("FROM a\nRUN a \\\n  \\\n  \\\n  b\n");
  ASSERT_EQ(shapes(g), (Shapes{{"FROM", 1, 1}, {"RUN", 2, 5}}));
  EXPECT_EQ(g.instructions[1].arguments, "a       b");
}

TEST(Continuation, CommentLinesInsideAreSkippedButKept) {
  auto f = parse_rt("FROM a\nRUN a \\\n# c1\n    # c2 \\\n  b\nRUN c\n");
  ASSERT_EQ(shapes(f), (Shapes{{"FROM", 1, 1}, {"RUN", 2, 5}, {"RUN", 6, 6}}));
  EXPECT_EQ(f.instructions[1].logical, "RUN a   b");
  EXPECT_EQ(f.instructions[1].arguments, "a   b");
  EXPECT_EQ(token_texts(f, TokenKind::Comment), (std::vector<std::string>{"# c1", "# c2 \\"}));
  // The comment tokens belong to the instruction's token range.
  const auto& run = f.instructions[1];
  int comments = 0;
  for (uint32_t t = run.first_token; t < run.end_token; ++t) comments += f.tokens[t].kind == TokenKind::Comment;
  EXPECT_EQ(comments, 2);
  EXPECT_EQ(find_diag(f, "empty-continuation-line"), nullptr);
}

TEST(Continuation, EmptyContinuationLinesAreSkippedWithAWarning) {
  auto f = parse_rt("FROM a\nRUN a \\\n\n  \t\n  b\nRUN c\n");
  ASSERT_EQ(shapes(f), (Shapes{{"FROM", 1, 1}, {"RUN", 2, 5}, {"RUN", 6, 6}}));
  EXPECT_EQ(f.instructions[1].arguments, "a   b");
  const Diagnostic* d = find_diag(f, "empty-continuation-line");
  ASSERT_NE(d, nullptr) << test::describe(f);
  EXPECT_EQ(d->severity, Severity::Warning);
  EXPECT_EQ(d->line, 5);  // BuildKit's warning points at the instruction's last line
  EXPECT_FALSE(f.has_errors()) << test::describe(f);
}

TEST(Continuation, CrOnlyLineIsAnEmptyContinuationLine) {
  auto f = parse_rt("FROM a\nRUN a \\\n\r\n b\n");
  ASSERT_EQ(shapes(f), (Shapes{{"FROM", 1, 1}, {"RUN", 2, 4}}));
  EXPECT_EQ(f.instructions[1].arguments, "a  b");
  EXPECT_NE(find_diag(f, "empty-continuation-line"), nullptr) << test::describe(f);
}

TEST(Continuation, ACommentEndingWithTheEscapeDoesNotContinue) {
  auto f = parse_rt("FROM a\n# note \\\nRUN x\n");
  ASSERT_EQ(shapes(f), (Shapes{{"FROM", 1, 1}, {"RUN", 3, 3}}));
}

TEST(Continuation, JoinsWhatLooksLikeTheNextInstruction) {
  auto f = parse_rt("FROM a\nRUN a \\\nRUN b\n");
  ASSERT_EQ(shapes(f), (Shapes{{"FROM", 1, 1}, {"RUN", 2, 3}}));
  EXPECT_EQ(f.instructions[1].arguments, "a RUN b");
}

TEST(Continuation, TrailingContinuationAtEndOfFile) {
  auto f = parse_rt("FROM a\nRUN x \\");
  ASSERT_EQ(shapes(f), (Shapes{{"FROM", 1, 1}, {"RUN", 2, 2}}));
  EXPECT_EQ(f.instructions[1].arguments, "x");
  EXPECT_FALSE(f.has_errors()) << test::describe(f);

  auto g = parse_rt("FROM a\nRUN x \\\n");
  ASSERT_EQ(shapes(g), (Shapes{{"FROM", 1, 1}, {"RUN", 2, 2}}));
}

TEST(Continuation, TrailingContinuationThenCommentOrBlankAtEndOfFile) {
  auto f = parse_rt("FROM a\nRUN x \\\n# c\n");
  ASSERT_EQ(shapes(f), (Shapes{{"FROM", 1, 1}, {"RUN", 2, 3}}));
  EXPECT_EQ(f.instructions[1].arguments, "x");

  auto g = parse_rt("FROM a\nRUN x \\\n\n");
  ASSERT_EQ(shapes(g), (Shapes{{"FROM", 1, 1}, {"RUN", 2, 3}}));
  EXPECT_NE(find_diag(g, "empty-continuation-line"), nullptr) << test::describe(g);
}

TEST(Continuation, LastLineOnlyWhitespaceThenEscape) {
  // `\t\` matches `([^\\])\\` with the tab kept.
  auto f = parse_rt("FROM a\nRUN a \\  \n\t\\\n");
  ASSERT_EQ(shapes(f), (Shapes{{"FROM", 1, 1}, {"RUN", 2, 3}}));
  EXPECT_EQ(f.instructions[1].logical, "RUN a \t");
  EXPECT_EQ(f.instructions[1].arguments, "a");
}

TEST(Comments, CommentAndBlankLinesBetweenInstructions) {
  auto f = parse_rt("# top\nFROM a\n\n   # indented comment\n\t\nRUN x # not a comment\n");
  ASSERT_EQ(shapes(f), (Shapes{{"FROM", 2, 2}, {"RUN", 6, 6}}));
  EXPECT_EQ(token_texts(f, TokenKind::Comment), (std::vector<std::string>{"# top", "# indented comment"}));
  // A `#` after the keyword is part of the arguments.
  EXPECT_EQ(f.instructions[1].arguments, "x # not a comment");
  EXPECT_TRUE(f.diagnostics.empty()) << test::describe(f);
}

TEST(Comments, InstructionsHaveLeadingWhitespaceTrimmed) {
  auto f = parse_rt("FROM a\n  \t RUN   x  \n");
  ASSERT_EQ(shapes(f), (Shapes{{"FROM", 1, 1}, {"RUN", 2, 2}}));
  EXPECT_EQ(f.instructions[1].logical, "RUN   x  ");
  EXPECT_EQ(f.instructions[1].arguments, "x");
  EXPECT_EQ(f.position(f.instructions[1].keyword_span.begin), (std::pair<int, int>{2, 5}));
}

TEST(Comments, ContinuedFlagsAndArguments) {
  auto f = parse_rt("FROM a\nRUN --mount=type=secret,id=x \\\n    --network=host \\\n    make\n");
  ASSERT_EQ(shapes(f), (Shapes{{"FROM", 1, 1}, {"RUN", 2, 4}}));
  EXPECT_EQ(test::flag_words(f.instructions[1]),
            (std::vector<std::string>{"--mount=type=secret,id=x", "--network=host"}));
  EXPECT_EQ(f.instructions[1].arguments, "make");
  EXPECT_EQ(f.text(f.instructions[1].arguments_span), "make");
  EXPECT_EQ(f.text(f.instructions[1].flags[1].span), "--network=host");
}

}  // namespace
}  // namespace dockerfix
