// Heredocs. Reference: BuildKit parser.go (canContainHeredoc: RUN, COPY, ADD
// and ONBUILD of those, never in JSON form; heredocsFromLine lexes the whole
// logical line with shell.Lex(`\`) keeping quotes and escapes, and each word
// must match `^(\d*)<<(-?)\s*([^<]*)$`; heredocFromMatch; the terminator is
// the line without its newline (and, for `<<-`, without leading tabs)).
#include "tests/grammar_helpers.h"

namespace dockerfix {
namespace {
using test::find_diag;
using test::parse_rt;
using test::Shapes;
using test::shapes;

TEST(Heredoc, BodyTerminatorAndBoundaries) {
  auto f = parse_rt("FROM a\nRUN <<EOF\necho hi\n# not a comment\nFROM b\nEOF\nRUN b\n");
  ASSERT_EQ(shapes(f), (Shapes{{"FROM", 1, 1}, {"RUN", 2, 6}, {"RUN", 7, 7}}));
  const auto& r = f.instructions[1];
  ASSERT_EQ(r.heredocs.size(), 1u);
  const Heredoc& h = r.heredocs[0];
  EXPECT_EQ(h.name, "EOF");
  EXPECT_EQ(h.fd, 0u);
  EXPECT_TRUE(h.expand);
  EXPECT_FALSE(h.chomp);
  EXPECT_EQ(h.body, "echo hi\n# not a comment\nFROM b\n");
  EXPECT_EQ(f.text(h.marker), "<<EOF");
  EXPECT_EQ(f.text(h.terminator), "EOF");
  EXPECT_EQ(r.arguments, "<<EOF");
  EXPECT_EQ(test::token_texts(f, TokenKind::HeredocBody),
            (std::vector<std::string>{"echo hi", "# not a comment", "FROM b"}));
  EXPECT_EQ(test::token_texts(f, TokenKind::HeredocEnd), (std::vector<std::string>{"EOF"}));
  EXPECT_TRUE(test::token_texts(f, TokenKind::Comment).empty());
  EXPECT_FALSE(f.has_errors()) << test::describe(f);
}

TEST(Heredoc, EmptyBody) {
  auto f = parse_rt("FROM a\nRUN <<EOF\nEOF\nRUN b\n");
  ASSERT_EQ(shapes(f), (Shapes{{"FROM", 1, 1}, {"RUN", 2, 3}, {"RUN", 4, 4}}));
  ASSERT_EQ(f.instructions[1].heredocs.size(), 1u);
  EXPECT_EQ(f.instructions[1].heredocs[0].body, "");
}

TEST(Heredoc, ChompAcceptsTabIndentedTerminatorAndKeepsBodyAsWritten) {
  auto f = parse_rt("FROM a\nRUN <<-EOF\n\techo\n\t\tEOF\nRUN b\n");
  ASSERT_EQ(shapes(f), (Shapes{{"FROM", 1, 1}, {"RUN", 2, 4}, {"RUN", 5, 5}}));
  const Heredoc& h = f.instructions[1].heredocs.at(0);
  EXPECT_TRUE(h.chomp);
  EXPECT_EQ(h.name, "EOF");
  EXPECT_EQ(h.body, "\techo\n");  // BuildKit strips the tabs later, not in the parser
  EXPECT_EQ(f.text(h.terminator), "\t\tEOF");
}

TEST(Heredoc, ChompDoesNotStripSpaces) {
  auto f = parse_rt("FROM a\nRUN <<-EOF\n\tx\n  EOF\nEOF\n");
  ASSERT_EQ(shapes(f), (Shapes{{"FROM", 1, 1}, {"RUN", 2, 5}}));
  EXPECT_EQ(f.instructions[1].heredocs.at(0).body, "\tx\n  EOF\n");
}

TEST(Heredoc, WithoutChompAnIndentedTerminatorIsBody) {
  auto f = parse_rt("FROM a\nADD <<EOF /x\n\tEOF\nEOF\n");
  ASSERT_EQ(shapes(f), (Shapes{{"FROM", 1, 1}, {"ADD", 2, 4}}));
  EXPECT_EQ(f.instructions[1].heredocs.at(0).body, "\tEOF\n");
  auto g = parse_rt("FROM a\nRUN <<EOF\nx\n  EOF\nEOF\n");
  ASSERT_EQ(shapes(g), (Shapes{{"FROM", 1, 1}, {"RUN", 2, 5}}));
}

TEST(Heredoc, QuotedDelimitersDoNotExpand) {
  auto f = parse_rt("FROM a\nRUN <<'EOF' bash\n$X\nEOF\nCOPY <<\"EOF\" /x\n$Y\nEOF\n");
  ASSERT_EQ(shapes(f), (Shapes{{"FROM", 1, 1}, {"RUN", 2, 4}, {"COPY", 5, 7}}));
  EXPECT_EQ(f.instructions[1].heredocs.at(0).name, "EOF");
  EXPECT_FALSE(f.instructions[1].heredocs.at(0).expand);
  EXPECT_EQ(f.instructions[1].heredocs.at(0).body, "$X\n");
  EXPECT_EQ(f.instructions[2].heredocs.at(0).name, "EOF");
  EXPECT_FALSE(f.instructions[2].heredocs.at(0).expand);
  EXPECT_EQ(f.text(f.instructions[1].heredocs.at(0).marker), "<<'EOF'");
}

TEST(Heredoc, PartlyQuotedDelimiter) {
  auto f = parse_rt("FROM a\nRUN <<eo\"f\"\nx\neof\n");
  ASSERT_EQ(shapes(f), (Shapes{{"FROM", 1, 1}, {"RUN", 2, 4}}));
  EXPECT_EQ(f.instructions[1].heredocs.at(0).name, "eof");
  EXPECT_FALSE(f.instructions[1].heredocs.at(0).expand);
}

TEST(Heredoc, EscapedQuoteInDelimiter) {
  // `\'` is an escaped quote: the name keeps the quote and still expands.
  auto f = parse_rt("FROM a\nRUN <<eo\\'f\nx\neo'f\n");
  ASSERT_EQ(shapes(f), (Shapes{{"FROM", 1, 1}, {"RUN", 2, 4}}));
  EXPECT_EQ(f.instructions[1].heredocs.at(0).name, "eo'f");
  EXPECT_TRUE(f.instructions[1].heredocs.at(0).expand);

  auto g = parse_rt("FROM a\nRUN <<'e'o\\'f\nx\neo'f\n");
  ASSERT_EQ(shapes(g), (Shapes{{"FROM", 1, 1}, {"RUN", 2, 4}}));
  EXPECT_EQ(g.instructions[1].heredocs.at(0).name, "eo'f");
  EXPECT_FALSE(g.instructions[1].heredocs.at(0).expand);
}

TEST(Heredoc, QuotedDelimiterWithASpace) {
  auto f = parse_rt("FROM a\nRUN <<'one two'\nx\none two\n");
  ASSERT_EQ(shapes(f), (Shapes{{"FROM", 1, 1}, {"RUN", 2, 4}}));
  EXPECT_EQ(f.instructions[1].heredocs.at(0).name, "one two");
  EXPECT_FALSE(f.instructions[1].heredocs.at(0).expand);
}

TEST(Heredoc, DottedDelimiter) {
  auto f = parse_rt("FROM a\nCOPY <<file.txt /dest\nhello\nfile.txt\n");
  ASSERT_EQ(shapes(f), (Shapes{{"FROM", 1, 1}, {"COPY", 2, 4}}));
  EXPECT_EQ(f.instructions[1].heredocs.at(0).name, "file.txt");
}

TEST(Heredoc, SpaceAfterTheOperatorIsAllowed) {
  // processPossibleHeredoc keeps the blanks after `<<` in the same word.
  auto f = parse_rt("FROM a\nRUN cat << EOF\nx\nEOF\nRUN cat <<  EOF  > /out\ny\nEOF\n");
  ASSERT_EQ(shapes(f), (Shapes{{"FROM", 1, 1}, {"RUN", 2, 4}, {"RUN", 5, 7}}));
  EXPECT_EQ(f.instructions[1].heredocs.at(0).name, "EOF");
  EXPECT_EQ(f.instructions[1].heredocs.at(0).body, "x\n");
  EXPECT_EQ(f.instructions[2].heredocs.at(0).name, "EOF");
  EXPECT_EQ(f.instructions[2].heredocs.at(0).body, "y\n");
}

TEST(Heredoc, SpaceBeforeADashMakesItPartOfTheName) {
  auto f = parse_rt("FROM a\nRUN << -EOF\nx\n-EOF\n");
  ASSERT_EQ(shapes(f), (Shapes{{"FROM", 1, 1}, {"RUN", 2, 4}}));
  const Heredoc& h = f.instructions[1].heredocs.at(0);
  EXPECT_EQ(h.name, "-EOF");
  EXPECT_FALSE(h.chomp);
}

TEST(Heredoc, SpaceAfterChompDashIsNoHeredoc) {
  // `<<-` and `EOF` are two words; `<<-` alone has no delimiter.
  auto f = parse_rt("FROM a\nRUN <<- EOF\nx\nEOF\n");
  ASSERT_EQ(shapes(f), (Shapes{{"FROM", 1, 1}, {"RUN", 2, 2}, {"X", 3, 3}, {"EOF", 4, 4}}));
  EXPECT_TRUE(f.instructions[1].heredocs.empty());
}

TEST(Heredoc, GluedToAWordIsNoHeredoc) {
  // `cat<<EOF` is one word that does not start with `<<`.
  auto f = parse_rt("FROM a\nRUN cat<<EOF\nx\nEOF\n");
  ASSERT_EQ(shapes(f), (Shapes{{"FROM", 1, 1}, {"RUN", 2, 2}, {"X", 3, 3}, {"EOF", 4, 4}}));
  EXPECT_TRUE(f.instructions[1].heredocs.empty());
}

TEST(Heredoc, PunctuationAfterTheDelimiterBelongsToIt) {
  // `<<EOF;` names the delimiter `EOF;`: a plain `EOF` line is body.
  auto f = parse_rt("FROM a\nRUN cat <<EOF; echo\nx\nEOF\nEOF;\n");
  ASSERT_EQ(shapes(f), (Shapes{{"FROM", 1, 1}, {"RUN", 2, 5}}));
  EXPECT_EQ(f.instructions[1].heredocs.at(0).name, "EOF;");
  EXPECT_EQ(f.instructions[1].heredocs.at(0).body, "x\nEOF\n");
}

TEST(Heredoc, ModifiedVariableSwallowsTheWordBeforeIt) {
  // BuildKit's lexer resets the current word while it expands `${x:-y}` (the
  // nested processStopOn shares its buffer), so `<<EOF${x:-y}` loses `<<EOF`
  // and is no heredoc, while a separate `${x:-y}` word is harmless.
  auto f = parse_rt("FROM a\nRUN cat <<EOF${x:-y}\nEOF\n");
  ASSERT_EQ(shapes(f), (Shapes{{"FROM", 1, 1}, {"RUN", 2, 2}, {"EOF", 3, 3}}));
  EXPECT_TRUE(f.instructions[1].heredocs.empty());

  auto g = parse_rt("FROM a\nRUN ${x:-y} <<EOF\nx\nEOF\n");
  ASSERT_EQ(shapes(g), (Shapes{{"FROM", 1, 1}, {"RUN", 2, 4}}));
  EXPECT_EQ(g.instructions[1].heredocs.size(), 1u);

  // A plain `${x}` does not reset anything: it is a valid delimiter.
  auto h = parse_rt("FROM a\nRUN <<${EOF}\nx\n${EOF}\n");
  ASSERT_EQ(shapes(h), (Shapes{{"FROM", 1, 1}, {"RUN", 2, 4}}));
  EXPECT_EQ(h.instructions[1].heredocs.at(0).name, "${EOF}");
}

TEST(Heredoc, InstructionSpanCoversBodyAndTerminator) {
  auto f = parse_rt("FROM a\nRUN <<EOF\nx\nEOF\nRUN b\n");
  const auto& r = f.instructions[1];
  EXPECT_EQ(f.text(r.span), "RUN <<EOF\nx\nEOF\n");
  EXPECT_EQ(r.logical, "RUN <<EOF");
  EXPECT_EQ(f.text(r.heredocs.at(0).body_span), "x\n");
}

TEST(Heredoc, FileDescriptor) {
  auto f = parse_rt("FROM a\nRUN 2<<EOF cat\nx\nEOF\nRUN 3<<A\nA\n");
  ASSERT_EQ(shapes(f), (Shapes{{"FROM", 1, 1}, {"RUN", 2, 4}, {"RUN", 5, 6}}));
  EXPECT_EQ(f.instructions[1].heredocs.at(0).fd, 2u);
  EXPECT_EQ(f.instructions[1].heredocs.at(0).name, "EOF");
  EXPECT_EQ(f.text(f.instructions[1].heredocs.at(0).marker).substr(0, 6), "2<<EOF");
  EXPECT_EQ(f.instructions[2].heredocs.at(0).fd, 3u);
  EXPECT_EQ(f.instructions[2].heredocs.at(0).body, "");
}

TEST(Heredoc, SeveralOnOneLineAreReadInOrder) {
  auto f = parse_rt("FROM a\nCOPY <<one <<\"two\" /d/\n1\none\n2\ntwo\nRUN x\n");
  ASSERT_EQ(shapes(f), (Shapes{{"FROM", 1, 1}, {"COPY", 2, 6}, {"RUN", 7, 7}}));
  const auto& c = f.instructions[1];
  ASSERT_EQ(c.heredocs.size(), 2u);
  EXPECT_EQ(c.heredocs[0].name, "one");
  EXPECT_TRUE(c.heredocs[0].expand);
  EXPECT_EQ(c.heredocs[0].body, "1\n");
  EXPECT_EQ(c.heredocs[1].name, "two");
  EXPECT_FALSE(c.heredocs[1].expand);
  EXPECT_EQ(c.heredocs[1].body, "2\n");
  EXPECT_EQ(f.text(c.heredocs[0].marker), "<<one");
  EXPECT_EQ(f.text(c.heredocs[1].marker), "<<\"two\"");
}

TEST(Heredoc, SeveralWhoseBodiesNameEachOther) {
  auto f = parse_rt("FROM a\nCOPY <<X <<Y /dest\nY\nX\nX\nY\n");
  ASSERT_EQ(shapes(f), (Shapes{{"FROM", 1, 1}, {"COPY", 2, 6}}));
  ASSERT_EQ(f.instructions[1].heredocs.size(), 2u);
  EXPECT_EQ(f.instructions[1].heredocs[0].body, "Y\n");
  EXPECT_EQ(f.instructions[1].heredocs[1].body, "X\n");
}

TEST(Heredoc, InRunCopyAndAdd) {
  auto f = parse_rt(
      "FROM a\n"
      "RUN --mount=type=cache,target=/c <<EOT\nx\nEOT\n"
      "copy <<EOF /etc/x\ny\nEOF\n"
      "ADD <<-\"X\" /y\n\tz\n\tX\n");
  ASSERT_EQ(shapes(f), (Shapes{{"FROM", 1, 1}, {"RUN", 2, 4}, {"COPY", 5, 7}, {"ADD", 8, 10}}));
  EXPECT_EQ(test::flag_words(f.instructions[1]), (std::vector<std::string>{"--mount=type=cache,target=/c"}));
  EXPECT_EQ(f.instructions[1].heredocs.at(0).name, "EOT");
  EXPECT_EQ(f.instructions[2].heredocs.at(0).body, "y\n");
  const Heredoc& add = f.instructions[3].heredocs.at(0);
  EXPECT_EQ(add.name, "X");
  EXPECT_TRUE(add.chomp);
  EXPECT_FALSE(add.expand);
  EXPECT_EQ(add.body, "\tz\n");
}

TEST(Heredoc, OnlyRunCopyAddAndOnbuildOfThemTakeHeredocs) {
  // USER cannot hold a heredoc: the would-be body lines are instructions.
  auto f = parse_rt("FROM a\nUSER <<EOF\nbody\nEOF\nCMD cat <<EOF\nENV A=<<EOF\n");
  ASSERT_EQ(shapes(f),
            (Shapes{{"FROM", 1, 1}, {"USER", 2, 2}, {"BODY", 3, 3}, {"EOF", 4, 4}, {"CMD", 5, 5}, {"ENV", 6, 6}}));
  for (const auto& i : f.instructions) EXPECT_TRUE(i.heredocs.empty()) << i.keyword;
}

TEST(Heredoc, ExecFormIsNotAHeredoc) {
  auto f = parse_rt("FROM a\nRUN [\"cat\", \"<<EOF\"]\nRUN [\"<<'EOF'\"]\nCOPY [\"<<EOF\", \"/x\"]\nRUN b\n");
  ASSERT_EQ(shapes(f), (Shapes{{"FROM", 1, 1}, {"RUN", 2, 2}, {"RUN", 3, 3}, {"COPY", 4, 4}, {"RUN", 5, 5}}));
  for (const auto& i : f.instructions) EXPECT_TRUE(i.heredocs.empty()) << i.keyword;
  EXPECT_TRUE(f.instructions[1].exec_form);
}

TEST(Heredoc, InsideQuotesIsNotAHeredoc) {
  auto f = parse_rt("FROM a\nRUN echo \"<<EOF\" '<<B'\nRUN x\n");
  ASSERT_EQ(shapes(f), (Shapes{{"FROM", 1, 1}, {"RUN", 2, 2}, {"RUN", 3, 3}}));
  EXPECT_TRUE(f.instructions[1].heredocs.empty());
}

TEST(Heredoc, LineThatFailsToLexHasNoHeredoc) {
  // The word lexer's error is ignored and yields no words, so no heredoc:
  // an unbalanced quote, or an unterminated `${`.
  auto f = parse_rt("FROM a\nRUN <<EOF echo 'x\nEOF\n");
  ASSERT_EQ(shapes(f), (Shapes{{"FROM", 1, 1}, {"RUN", 2, 2}, {"EOF", 3, 3}}));
  EXPECT_TRUE(f.instructions[1].heredocs.empty());

  auto g = parse_rt("FROM a\nRUN <<EOF echo ${\nx\nEOF\n");
  ASSERT_EQ(shapes(g), (Shapes{{"FROM", 1, 1}, {"RUN", 2, 2}, {"X", 3, 3}, {"EOF", 4, 4}}));
  EXPECT_TRUE(g.instructions[1].heredocs.empty());
}

TEST(Heredoc, AfterAContinuedLine) {
  auto f = parse_rt("FROM a\nRUN cat <<EOF \\\n  > /file\nbody\nEOF\nRUN x\n");
  ASSERT_EQ(shapes(f), (Shapes{{"FROM", 1, 1}, {"RUN", 2, 5}, {"RUN", 6, 6}}));
  EXPECT_EQ(f.instructions[1].arguments, "cat <<EOF   > /file");
  EXPECT_EQ(f.instructions[1].heredocs.at(0).body, "body\n");
}

TEST(Heredoc, BacktickEscapeFileStillFindsHeredocs) {
  auto f = parse_rt("# escape=`\nFROM a\nRUN <<EOF\nx\nEOF\n");
  ASSERT_EQ(shapes(f), (Shapes{{"FROM", 2, 2}, {"RUN", 3, 5}}));
  EXPECT_EQ(f.instructions[1].heredocs.size(), 1u);
}

TEST(Heredoc, CrlfBodyAndTerminator) {
  auto f = parse_rt("FROM a\r\nRUN <<EOF\r\necho\r\nEOF\r\nRUN b\r\n");
  ASSERT_EQ(shapes(f), (Shapes{{"FROM", 1, 1}, {"RUN", 2, 4}, {"RUN", 5, 5}}));
  const Heredoc& h = f.instructions[1].heredocs.at(0);
  EXPECT_EQ(h.body, "echo\r\n");
  EXPECT_EQ(f.text(h.terminator), "EOF");
}

TEST(Heredoc, TerminatorWithoutFinalNewline) {
  auto f = parse_rt("FROM a\nRUN <<EOF\necho\nEOF");
  ASSERT_EQ(shapes(f), (Shapes{{"FROM", 1, 1}, {"RUN", 2, 4}}));
  EXPECT_EQ(f.instructions[1].heredocs.at(0).body, "echo\n");
  EXPECT_FALSE(f.has_errors()) << test::describe(f);
}

TEST(Heredoc, UnterminatedIsAnErrorButRoundTrips) {
  auto f = parse_rt("FROM a\nRUN <<EOF\necho\nmore\n");
  const Diagnostic* d = find_diag(f, "unterminated-heredoc");
  ASSERT_NE(d, nullptr) << test::describe(f);
  EXPECT_EQ(d->severity, Severity::Error);
  EXPECT_EQ(d->line, 2);  // BuildKit locates it from the instruction's first line
  ASSERT_EQ(f.instructions.size(), 2u);
  EXPECT_EQ(f.instructions[1].end_line, 4);
  ASSERT_EQ(f.instructions[1].heredocs.size(), 1u);
  EXPECT_TRUE(f.instructions[1].heredocs[0].terminator.empty());
  EXPECT_EQ(f.instructions[1].heredocs[0].body, "echo\nmore\n");
}

TEST(Heredoc, TrailingSpaceAfterTerminatorLeavesItUnterminated) {
  auto f = parse_rt("FROM a\nRUN <<EOF\nx\nEOF \n");
  EXPECT_NE(find_diag(f, "unterminated-heredoc"), nullptr) << test::describe(f);
}

TEST(Heredoc, SecondOfTwoUnterminated) {
  auto f = parse_rt("FROM a\nRUN <<A <<B\na\nA\n");
  EXPECT_NE(find_diag(f, "unterminated-heredoc"), nullptr) << test::describe(f);
  EXPECT_TRUE(f.has_errors());
}

}  // namespace
}  // namespace dockerfix
