// Malformed and hostile input: files with no instructions, over-long lines,
// NUL bytes, invalid UTF-8, random bytes. The tree must always round-trip and
// satisfy its invariants; BuildKit's rejections become Error diagnostics.
// Reference: BuildKit parser.go (Parse: "file with no instructions", the
// bufio.Scanner limit of 64 KiB per line including its newline).
#include "tests/grammar_helpers.h"

#include <random>
#include <vector>

namespace dockerfix {
namespace {
using test::find_error_message;
using test::parse_rt;
using test::Shapes;
using test::shapes;

// A string literal with its NUL bytes.
template <size_t N>
std::string bytes(const char (&literal)[N]) {
  return std::string(literal, N - 1);
}

constexpr const char* kNoInstructions = "file with no instructions";
constexpr const char* kTooLong = "dockerfile line greater than max allowed size of 65535";

TEST(Malformed, EmptyFile) {
  auto f = parse_rt("");
  EXPECT_TRUE(f.instructions.empty());
  EXPECT_TRUE(f.tokens.empty() || (f.tokens.size() == 1 && f.tokens[0].span.empty()));
  const Diagnostic* d = find_error_message(f, kNoInstructions);
  ASSERT_NE(d, nullptr) << test::describe(f);
  EXPECT_EQ(d->code, "no-instructions");
  EXPECT_TRUE(f.has_errors());
}

TEST(Malformed, OnlyCommentsOrBlankLines) {
  for (const char* src : {"# just a comment\n\n", "   \n\t\n", "\n", "# a\n# b", "\xEF\xBB\xBF# c\r\n"}) {
    SCOPED_TRACE(::testing::PrintToString(std::string(src)));
    auto f = parse_rt(src);
    EXPECT_TRUE(f.instructions.empty());
    EXPECT_NE(find_error_message(f, kNoInstructions), nullptr) << test::describe(f);
  }
}

TEST(Malformed, ALoneEscapeIsAnInstructionWithNoKeyword) {
  // `\` alone continues an empty line into end of file: BuildKit adds a node
  // with an empty keyword, so this is not "a file with no instructions".
  for (const char* src : {"\\\n", "\\"}) {
    SCOPED_TRACE(::testing::PrintToString(std::string(src)));
    auto f = parse_rt(src);
    ASSERT_EQ(shapes(f), (Shapes{{"", 1, 1}}));
    EXPECT_FALSE(f.instructions[0].known);
    EXPECT_EQ(find_error_message(f, kNoInstructions), nullptr) << test::describe(f);
  }
  auto g = parse_rt("FROM a\n\\\n");
  EXPECT_EQ(shapes(g), (Shapes{{"FROM", 1, 1}, {"", 2, 2}}));
}

TEST(Malformed, LongestLineThatFits) {
  // A line and its newline must fit in 65536 bytes.
  std::string line = "RUN " + std::string(65535 - 4, 'x');
  auto f = parse_rt("FROM a\n" + line + "\nRUN y\n");
  EXPECT_EQ(shapes(f), (Shapes{{"FROM", 1, 1}, {"RUN", 2, 2}, {"RUN", 3, 3}}));
  EXPECT_FALSE(f.has_errors()) << test::describe(f);

  auto g = parse_rt("FROM a\n" + line);  // last line, no newline
  EXPECT_FALSE(g.has_errors()) << test::describe(g);

  auto h = parse_rt("FROM a\n" + line.substr(0, line.size() - 1) + "\r\nRUN y\n");  // 65534 + CRLF
  EXPECT_FALSE(h.has_errors()) << test::describe(h);
}

TEST(Malformed, LineOver64KiBIsAnError) {
  std::string line = "RUN " + std::string(65536 - 4, 'x');
  const std::string cases[] = {
      "FROM a\n" + line + "\nRUN y\n",             // 65536 + LF
      "FROM a\n" + line.substr(0, line.size() - 1) + "\r\nRUN y\n",  // 65535 + CRLF
      "FROM a\n" + line,                            // 65536 at end of file
      "FROM a\nRUN " + std::string(70000, 'x') + "\n",
  };
  for (const auto& src : cases) {
    SCOPED_TRACE(src.size());
    auto f = parse_rt(src);
    const Diagnostic* d = find_error_message(f, kTooLong);
    ASSERT_NE(d, nullptr) << test::describe(f);
    EXPECT_EQ(d->code, "line-too-long");
    EXPECT_EQ(d->severity, Severity::Error);
  }
}

TEST(Malformed, LongHeredocBodyLineIsAnErrorToo) {
  auto f = parse_rt("FROM a\nRUN <<EOF\n" + std::string(70000, 'y') + "\nEOF\n");
  EXPECT_NE(find_error_message(f, kTooLong), nullptr) << test::describe(f);
}

TEST(Malformed, NulBytes) {
  auto f = parse_rt(bytes("FROM a\nRUN \xff\xfe\0x \\\n\0\n"));
  ASSERT_EQ(shapes(f), (Shapes{{"FROM", 1, 1}, {"RUN", 2, 3}}));
  EXPECT_EQ(f.instructions[1].arguments, bytes("\xff\xfe\0x \0"));

  auto g = parse_rt(bytes("\0FROM a\n"));
  ASSERT_EQ(g.instructions.size(), 1u);
  EXPECT_FALSE(g.instructions[0].known);
}

TEST(Malformed, InvalidUtf8Everywhere) {
  const char* cases[] = {
      "\xff\xfe\xfd\n",
      "FROM \xc3\x28\nRUN \xe2\x82\n",
      "# escape=\xff\nFROM a\n",
      "FROM a\nCOPY --chown=\xff\x80 a b\n",
      "FROM a\nRUN <<\xff\n\xfe\n\xff\n",
      "FROM a\nLABEL \xff=\xfe\n",
      "\xEF\xBB\nFROM a\n",  // a truncated BOM
      "FROM a\nRUN \xf0\x9f\x98\\\n x\n",
  };
  for (const char* src : cases) {
    SCOPED_TRACE(::testing::PrintToString(std::string(src)));
    parse_rt(src);
  }
}

TEST(Malformed, UnclosedConstructsDoNotStopTheRestOfTheFile) {
  auto f = parse_rt("FROM a\nRUN echo \"unclosed\nCMD [\"a\"\nLABEL x\nENV A=\"b\nRUN ok\n");
  ASSERT_EQ(shapes(f),
            (Shapes{{"FROM", 1, 1}, {"RUN", 2, 2}, {"CMD", 3, 3}, {"LABEL", 4, 4}, {"ENV", 5, 5}, {"RUN", 6, 6}}));
  EXPECT_NE(find_error_message(f, "LABEL must have two arguments"), nullptr) << test::describe(f);
}

// Deterministic pseudo-random inputs: raw bytes, and files stitched from the
// pieces that make Dockerfile syntax tricky.
std::string random_bytes(std::mt19937& rng, size_t n) {
  std::uniform_int_distribution<int> byte(0, 255);
  std::string s(n, '\0');
  for (auto& c : s) c = static_cast<char>(byte(rng));
  return s;
}

std::string random_dockerfile(std::mt19937& rng) {
  static const std::vector<std::string> pieces = {
      "FROM a", "RUN ", "run", "COPY ", "ADD ", "ONBUILD ", "ENV ", "LABEL ", "CMD ", "HEALTHCHECK ",
      "USER ", "\n", "\r\n", "\r", " ", "\t", "\\", "`", "\\\n", "`\n", "#", "# escape=`\n",
      "# syntax=x\n", "<<EOF", "<<-EOF", "<<'EOF'", "<< EOF", "2<<EOF", "EOF\n", "\tEOF\n", "\"", "'",
      "[", "]", "[\"a\", \"b\"]", "[\"a\", 1]", "--from=x ", "--mount=type=cache,target=/x ", "-- ",
      "=", "A=b ", "${", "$x", "\xEF\xBB\xBF", std::string(1, '\0'), "\xff", "\xc3\xa9", "x",
  };
  std::uniform_int_distribution<size_t> pick(0, pieces.size() - 1);
  std::uniform_int_distribution<int> length(0, 60);
  std::string s;
  int n = length(rng);
  for (int k = 0; k < n; ++k) s += pieces[pick(rng)];
  return s;
}

TEST(Malformed, RandomBytesNeverCrashAndRoundTrip) {
  std::mt19937 rng(20240601);
  for (int k = 0; k < 300; ++k) {
    std::string src = random_bytes(rng, static_cast<size_t>(k * 13 % 700));
    SCOPED_TRACE("random bytes case " + std::to_string(k));
    parse_rt(src);
    if (HasFatalFailure() || HasNonfatalFailure()) break;
  }
}

TEST(Malformed, RandomDockerfileFragmentsNeverCrashAndRoundTrip) {
  std::mt19937 rng(7);
  for (int k = 0; k < 3000; ++k) {
    std::string src = random_dockerfile(rng);
    SCOPED_TRACE(::testing::PrintToString(src));
    parse_rt(src);
    if (HasFatalFailure() || HasNonfatalFailure()) break;
  }
}

}  // namespace
}  // namespace dockerfix
