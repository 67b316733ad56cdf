// Heredocs (BuildKit parser.go heredoc handling and parser_heredoc_test.go).
#include "tests/grammar_helpers.h"

namespace dockerfix {
namespace {
using test::has_code;
using test::parse_rt;

TEST(Heredoc, BasicBodyAndBoundaries) {
  auto f = parse_rt("FROM a\nRUN <<EOF\necho hi\necho there\nEOF\nRUN b\n");
  ASSERT_EQ(f.instructions.size(), 3u);
  const auto& r = f.instructions[1];
  ASSERT_EQ(r.heredocs.size(), 1u);
  EXPECT_EQ(r.heredocs[0].name, "EOF");
  EXPECT_TRUE(r.heredocs[0].expand);
  EXPECT_EQ(r.heredocs[0].body, "echo hi\necho there\n");
  EXPECT_EQ(r.end_line, 5);
  EXPECT_EQ(f.text(r.heredocs[0].marker), "<<EOF");
}

TEST(Heredoc, QuotedDelimiterDoesNotExpand) {
  auto f = parse_rt("FROM a\nRUN <<'EOF' bash\n$X\nEOF\nCOPY <<\"E\"O /x\nhi\nEO\n");
  EXPECT_FALSE(f.instructions[1].heredocs[0].expand);
  EXPECT_EQ(f.instructions[2].heredocs[0].name, "EO");
  EXPECT_FALSE(f.instructions[2].heredocs[0].expand);
}

TEST(Heredoc, ChompStripsTabsBeforeTerminator) {
  auto f = parse_rt("FROM a\nRUN <<-EOF\n\techo\n\t\tEOF\nRUN b\n");
  ASSERT_EQ(f.instructions.size(), 3u);
  EXPECT_TRUE(f.instructions[1].heredocs[0].chomp);
  EXPECT_EQ(f.instructions[1].end_line, 4);
}

TEST(Heredoc, SpaceAfterOperatorAndFileDescriptor) {
  auto f = parse_rt("FROM a\nRUN cat << EOF\nx\nEOF\nRUN cat 3<<A\ny\nA\n");
  EXPECT_EQ(f.instructions[1].heredocs.size(), 1u);
  EXPECT_EQ(f.instructions[2].heredocs[0].fd, 3u);
}

TEST(Heredoc, SeveralOnOneLine) {
  auto f = parse_rt("FROM a\nCOPY <<one <<two /dest/\n1\none\n2\ntwo\nRUN x\n");
  ASSERT_EQ(f.instructions[1].heredocs.size(), 2u);
  EXPECT_EQ(f.instructions[1].heredocs[1].body, "2\n");
  EXPECT_EQ(f.instructions[1].end_line, 6);
}

TEST(Heredoc, NotInExecFormQuotesOrOtherInstructions) {
  auto f = parse_rt("FROM a\nRUN [\"cat\", \"<<EOF\"]\nRUN echo \"<<EOF\"\nENV A=<<EOF\nCMD cat <<EOF\n");
  for (const auto& i : f.instructions) EXPECT_TRUE(i.heredocs.empty()) << i.keyword;
  EXPECT_EQ(f.instructions.size(), 5u);
}

TEST(Heredoc, OnbuildRunHeredoc) {
  auto f = parse_rt("FROM a\nONBUILD RUN <<EOF\necho\nEOF\n");
  ASSERT_EQ(f.instructions.size(), 2u);
  EXPECT_EQ(f.instructions[1].heredocs.size(), 1u);
}

TEST(Heredoc, UnterminatedIsAnErrorButRoundTrips) {
  auto f = parse_rt("FROM a\nRUN <<EOF\necho\n");
  EXPECT_TRUE(has_code(f, "unterminated-heredoc"));
  EXPECT_EQ(f.instructions[1].end_line, 3);
}

TEST(Heredoc, CrlfTerminator) {
  auto f = parse_rt("FROM a\r\nRUN <<EOF\r\necho\r\nEOF\r\nRUN b\r\n");
  ASSERT_EQ(f.instructions.size(), 3u);
  EXPECT_EQ(f.instructions[1].heredocs[0].body, "echo\r\n");
}

TEST(Heredoc, UnbalancedQuoteOnLineMeansNoHeredoc) {
  // BuildKit's word lexer fails on the line, so it finds no heredoc.
  auto f = parse_rt("FROM a\nRUN <<EOF echo 'x\nEOF\n");
  EXPECT_TRUE(f.instructions[1].heredocs.empty());
  EXPECT_EQ(f.instructions.size(), 3u);
}

}  // namespace
}  // namespace dockerfix
