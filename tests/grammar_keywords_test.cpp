// Keywords (any case), the 18 instructions BuildKit dispatches, leading
// whitespace, the UTF-8 BOM, CRLF / mixed line endings and the last line.
// Reference: BuildKit parser.go (dispatch table, discardBOM on the first line
// only, trimNewline drops every trailing \r and \n, scanLines splits on \n)
// and split_command.go (the keyword ends at `[\t\v\f\r ]+`).
#include "tests/grammar_helpers.h"

namespace dockerfix {
namespace {
using test::parse_rt;
using test::Shapes;
using test::shapes;

TEST(Keywords, AnyCaseIsTheSameInstruction) {
  auto f = parse_rt("from a AS b\n  \tRuN x\ncopy . .\nWorkDir /x\n");
  ASSERT_EQ(shapes(f), (Shapes{{"FROM", 1, 1}, {"RUN", 2, 2}, {"COPY", 3, 3}, {"WORKDIR", 4, 4}}));
  EXPECT_EQ(f.instructions[0].keyword, "FROM");
  EXPECT_EQ(f.text(f.instructions[0].keyword_span), "from");
  EXPECT_EQ(f.text(f.instructions[1].keyword_span), "RuN");
  EXPECT_EQ(f.text(f.instructions[3].keyword_span), "WorkDir");
  for (const auto& i : f.instructions) EXPECT_TRUE(i.known) << i.keyword;
  EXPECT_EQ(f.instructions[0].arguments, "a AS b");
  EXPECT_EQ(test::token_texts(f, TokenKind::Keyword), (std::vector<std::string>{"from", "RuN", "copy", "WorkDir"}));
}

TEST(Keywords, AllDispatchedInstructionsAreKnown) {
  auto f = parse_rt(
      "FROM a\nADD a b\nARG x\nCMD c\nCOPY a b\nENTRYPOINT e\nENV a=b\nEXPOSE 1\nHEALTHCHECK NONE\n"
      "LABEL a=b\nMAINTAINER m\nONBUILD RUN x\nRUN r\nSHELL [\"s\"]\nSTOPSIGNAL 9\nUSER u\nVOLUME /v\n"
      "WORKDIR /w\n");
  ASSERT_EQ(f.instructions.size(), 18u);
  const char* want[] = {"FROM",        "ADD",   "ARG",        "CMD",     "COPY",  "ENTRYPOINT",
                        "ENV",         "EXPOSE", "HEALTHCHECK", "LABEL",   "MAINTAINER", "ONBUILD",
                        "RUN",         "SHELL", "STOPSIGNAL", "USER",    "VOLUME", "WORKDIR"};
  for (size_t k = 0; k < 18; ++k) {
    EXPECT_EQ(f.instructions[k].keyword, want[k]);
    EXPECT_TRUE(f.instructions[k].known) << want[k];
    EXPECT_EQ(f.instructions[k].start_line, static_cast<int>(k) + 1);
  }
  EXPECT_FALSE(f.has_errors()) << test::describe(f);
}

TEST(Keywords, TabAndVerticalTabSeparateTheKeyword) {
  auto f = parse_rt("FROM a\nRUN\tx\nRUN\vx\n");
  ASSERT_EQ(shapes(f), (Shapes{{"FROM", 1, 1}, {"RUN", 2, 2}, {"RUN", 3, 3}}));
  EXPECT_EQ(f.instructions[1].arguments, "x");
  EXPECT_EQ(f.instructions[2].arguments, "x");
}

TEST(Keywords, NoBreakSpaceDoesNotEndTheKeyword) {
  // Only ASCII blanks split the keyword off: `RUN<U+00A0>x` is one unknown word.
  auto f = parse_rt("FROM a\nRUN\xC2\xA0x\n");
  ASSERT_EQ(f.instructions.size(), 2u);
  EXPECT_FALSE(f.instructions[1].known);
  EXPECT_EQ(f.text(f.instructions[1].keyword_span), "RUN\xC2\xA0x");
}

TEST(Keywords, UnicodeSpaceIsLeadingWhitespace) {
  // Leading whitespace is trimmed with unicode.IsSpace, which includes U+00A0.
  auto f = parse_rt("\xC2\xA0\xC2\xA0" "FROM a\n");
  ASSERT_EQ(shapes(f), (Shapes{{"FROM", 1, 1}}));
  EXPECT_EQ(f.instructions[0].arguments, "a");
}

TEST(Keywords, TrailingUnicodeSpaceIsTrimmedFromArguments) {
  auto f = parse_rt("FROM a\nRUN a\xC2\x85\n");
  EXPECT_EQ(f.instructions[1].arguments, "a");
}

TEST(Keywords, KeywordWithoutArguments) {
  auto f = parse_rt("FROM a\nRUN\nEXPOSE\n");
  ASSERT_EQ(shapes(f), (Shapes{{"FROM", 1, 1}, {"RUN", 2, 2}, {"EXPOSE", 3, 3}}));
  EXPECT_EQ(f.instructions[1].arguments, "");
  EXPECT_TRUE(f.instructions[1].flags.empty());
}

TEST(Bom, StrippedAtTheStartOfTheFile) {
  auto f = parse_rt("\xEF\xBB\xBF" "FROM a\r\nRUN b\r\n");
  ASSERT_EQ(shapes(f), (Shapes{{"FROM", 1, 1}, {"RUN", 2, 2}}));
  ASSERT_FALSE(f.tokens.empty());
  EXPECT_EQ(f.tokens[0].kind, TokenKind::Bom);
  EXPECT_EQ(f.tokens[0].span, (Span{0, 3}));
  EXPECT_EQ(f.text(f.instructions[0].keyword_span), "FROM");
  EXPECT_TRUE(f.instructions[0].known);
}

TEST(Bom, OnlyTheFirstOneAndOnlyOnLineOne) {
  // A BOM later in the file, or a second BOM, is part of the keyword.
  auto f = parse_rt("FROM a\n\xEF\xBB\xBFRUN x\n");
  ASSERT_EQ(f.instructions.size(), 2u);
  EXPECT_FALSE(f.instructions[1].known);
  EXPECT_EQ(f.text(f.instructions[1].keyword_span), "\xEF\xBB\xBFRUN");

  auto g = parse_rt("\xEF\xBB\xBF\xEF\xBB\xBF" "FROM a\n");
  ASSERT_EQ(g.instructions.size(), 1u);
  EXPECT_FALSE(g.instructions[0].known);
}

TEST(LineEndings, Crlf) {
  auto f = parse_rt("FROM a\r\nRUN a \\\r\n  b\r\nCMD c\r\n");
  ASSERT_EQ(shapes(f), (Shapes{{"FROM", 1, 1}, {"RUN", 2, 3}, {"CMD", 4, 4}}));
  EXPECT_EQ(f.instructions[0].arguments, "a");
  EXPECT_EQ(f.instructions[1].arguments, "a   b");
  EXPECT_EQ(f.instructions[2].arguments, "c");
  EXPECT_EQ(test::token_texts(f, TokenKind::Continuation), (std::vector<std::string>{"\\"}));
  for (const auto& nl : test::token_texts(f, TokenKind::Newline)) EXPECT_EQ(nl, "\r\n");
}

TEST(LineEndings, MixedCrlfAndLf) {
  auto f = parse_rt("FROM a\r\nRUN a \\\r\n  b\nCMD c\r\nUSER d\n");
  ASSERT_EQ(shapes(f), (Shapes{{"FROM", 1, 1}, {"RUN", 2, 3}, {"CMD", 4, 4}, {"USER", 5, 5}}));
  EXPECT_EQ(f.instructions[1].arguments, "a   b");
  EXPECT_EQ(f.instructions[2].arguments, "c");
  EXPECT_EQ(f.instructions[3].arguments, "d");
}

TEST(LineEndings, SeveralCarriageReturnsBeforeTheNewline) {
  auto f = parse_rt("FROM a\nRUN x\r\r\nRUN y \\\r\r\n z\n");
  ASSERT_EQ(shapes(f), (Shapes{{"FROM", 1, 1}, {"RUN", 2, 2}, {"RUN", 3, 4}}));
  EXPECT_EQ(f.instructions[1].arguments, "x");
  EXPECT_EQ(f.instructions[2].arguments, "y  z");
}

TEST(LineEndings, ALoneCarriageReturnIsNotALineBreak) {
  auto f = parse_rt("FROM a\rRUN b\n");
  ASSERT_EQ(shapes(f), (Shapes{{"FROM", 1, 1}}));
  EXPECT_EQ(f.instructions[0].arguments, "a\rRUN b");
}

TEST(LineEndings, NoFinalNewline) {
  auto f = parse_rt("FROM a");
  ASSERT_EQ(shapes(f), (Shapes{{"FROM", 1, 1}}));
  EXPECT_EQ(f.instructions[0].arguments, "a");
  EXPECT_EQ(f.instructions[0].span.end, 6u);

  auto g = parse_rt("FROM a\nCMD [\"x\"]");
  ASSERT_EQ(shapes(g), (Shapes{{"FROM", 1, 1}, {"CMD", 2, 2}}));
  EXPECT_TRUE(g.instructions[1].exec_form);

  auto h = parse_rt("FROM a\r\nRUN b\r");
  ASSERT_EQ(shapes(h), (Shapes{{"FROM", 1, 1}, {"RUN", 2, 2}}));
  EXPECT_EQ(h.instructions[1].arguments, "b");
}

TEST(LineEndings, PositionsAndLineStarts) {
  auto f = parse_rt("FROM a\r\n\nRUN x\n");
  ASSERT_GE(f.line_starts.size(), 3u);
  EXPECT_EQ(f.line_starts[0], 0u);
  EXPECT_EQ(f.line_starts[1], 8u);
  EXPECT_EQ(f.line_starts[2], 9u);
  EXPECT_EQ(f.position(9), (std::pair<int, int>{3, 1}));
  EXPECT_EQ(f.position(13), (std::pair<int, int>{3, 5}));
  EXPECT_EQ(f.instructions[1].span, (Span{9, 15}));
}

}  // namespace
}  // namespace dockerfix
