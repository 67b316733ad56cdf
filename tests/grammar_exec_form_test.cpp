// Exec (JSON array) form vs shell form. Reference: BuildKit
// parser/line_parsers.go parseJSON / parseMaybeJSON / parseMaybeJSONToList /
// parseHealthConfig: Go's encoding/json decides; any JSON error means shell
// form, but a valid array holding a non-string is a parse error.
#include "tests/grammar_helpers.h"

namespace dockerfix {
namespace {
using test::find_error_message;
using test::parse_rt;
using test::Shapes;
using test::shapes;
using Words = std::vector<std::string>;

constexpr const char* kNotStrings = "when using JSON array syntax, arrays must be comprised of strings only";

TEST(ExecForm, CmdEntrypointRunShell) {
  auto f = parse_rt(
      "FROM a\n"
      "CMD [\"node\", \"server.js\"]\n"
      "ENTRYPOINT [\"/bin/tini\", \"--\"]\n"
      "RUN [\"apt-get\", \"update\"]\n"
      "SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\n");
  ASSERT_EQ(f.instructions.size(), 5u);
  for (size_t k = 1; k < 5; ++k) EXPECT_TRUE(f.instructions[k].exec_form) << f.instructions[k].keyword;
  EXPECT_EQ(f.instructions[1].exec, (Words{"node", "server.js"}));
  EXPECT_EQ(f.instructions[2].exec, (Words{"/bin/tini", "--"}));
  EXPECT_EQ(f.instructions[4].exec, (Words{"/bin/bash", "-o", "pipefail", "-c"}));
  EXPECT_EQ(f.instructions[1].arguments, "[\"node\", \"server.js\"]");
  EXPECT_FALSE(f.has_errors()) << test::describe(f);
}

TEST(ExecForm, CopyAddVolumeAndHealthcheckCmd) {
  auto f = parse_rt(
      "FROM a\n"
      "COPY [\"a b\", \"/c d/\"]\n"
      "ADD [\"x\", \"/y\"]\n"
      "VOLUME [\"/data\"]\n"
      "HEALTHCHECK --interval=5s CMD [\"curl\", \"-f\", \"x\"]\n");
  EXPECT_EQ(f.instructions[1].exec, (Words{"a b", "/c d/"}));
  EXPECT_TRUE(f.instructions[2].exec_form);
  EXPECT_EQ(f.instructions[3].exec, (Words{"/data"}));
  const auto& h = f.instructions[4];
  EXPECT_TRUE(h.exec_form);
  EXPECT_EQ(h.exec, (Words{"curl", "-f", "x"}));
  EXPECT_EQ(h.arguments, "CMD [\"curl\", \"-f\", \"x\"]");
}

TEST(ExecForm, JsonEscapesAreDecoded) {
  auto f = parse_rt("FROM a\nCMD [\"a\\u00e9\\n\", \"q\\\"x\", \"s\\/l\", \"\\\\\", \"\\ud83d\\ude00\"]\n");
  ASSERT_TRUE(f.instructions[1].exec_form);
  EXPECT_EQ(f.instructions[1].exec, (Words{"a\xC3\xA9\n", "q\"x", "s/l", "\\", "\xF0\x9F\x98\x80"}));
}

TEST(ExecForm, LoneSurrogateAndInvalidUtf8BecomeReplacementCharacters) {
  // Go's decoder replaces both with U+FFFD instead of failing.
  auto f = parse_rt("FROM a\nCMD [\"\\ud800\", \"\xff\"]\n");
  ASSERT_TRUE(f.instructions[1].exec_form);
  EXPECT_EQ(f.instructions[1].exec, (Words{"\xEF\xBF\xBD", "\xEF\xBF\xBD"}));
}

TEST(ExecForm, BlanksAroundTheArray) {
  auto f = parse_rt("FROM a\nCMD  [ \"a\" , \"b\" ]  \n");
  ASSERT_TRUE(f.instructions[1].exec_form);
  EXPECT_EQ(f.instructions[1].exec, (Words{"a", "b"}));
}

TEST(ExecForm, EmptyArray) {
  auto f = parse_rt("FROM a\nCMD []\n");
  EXPECT_TRUE(f.instructions[1].exec_form);
  EXPECT_TRUE(f.instructions[1].exec.empty());
  EXPECT_FALSE(f.has_errors()) << test::describe(f);
}

TEST(ExecForm, AcrossContinuationLines) {
  auto f = parse_rt("FROM a\nCMD [\"a\", \\\n  \"b\"]\n");
  ASSERT_EQ(shapes(f), (Shapes{{"FROM", 1, 1}, {"CMD", 2, 3}}));
  EXPECT_TRUE(f.instructions[1].exec_form);
  EXPECT_EQ(f.instructions[1].exec, (Words{"a", "b"}));
}

TEST(ExecForm, InvalidJsonIsShellForm) {
  const char* cases[] = {
      "FROM a\nENTRYPOINT ['a']\n",           // single quotes
      "FROM a\nCMD [\"a\"\n",                 // unterminated bracket
      "FROM a\nCMD [\"a]\n",                  // unterminated string
      "FROM a\nCMD [\"a\",]\n",               // trailing comma
      "FROM a\nCMD [\"a\"] b\n",              // text after the array
      "FROM a\nCMD [\"a\tb\"]\n",             // raw control character in a string
      "FROM a\nCMD {\"a\": 1}\n",             // not an array
      "FROM a\nRUN [\"echo\", \"[\\\"x\\\"]\"\n",  // JSON inside a string, unterminated
  };
  for (const char* src : cases) {
    SCOPED_TRACE(::testing::PrintToString(std::string(src)));
    auto f = parse_rt(src);
    ASSERT_EQ(f.instructions.size(), 2u);
    EXPECT_FALSE(f.instructions[1].exec_form);
    EXPECT_TRUE(f.instructions[1].exec.empty());
    EXPECT_FALSE(f.has_errors()) << test::describe(f);
  }
}

TEST(ExecForm, SyntaxErrorAnywhereWinsOverNonStrings) {
  // encoding/json validates the whole text before decoding: trailing text or
  // a NUL byte after the array makes it shell form, even around a non-string.
  const std::string cases[] = {
      "FROM a\nCMD [\"a\", 1] x\n",
      std::string("FROM a\nRUN [\"a\"]\0\n", 18),
      std::string("FROM a\nRUN [\"a\", 1]\0\n", 21),
  };
  for (const auto& src : cases) {
    SCOPED_TRACE(::testing::PrintToString(src));
    auto f = parse_rt(src);
    ASSERT_EQ(f.instructions.size(), 2u);
    EXPECT_FALSE(f.instructions[1].exec_form);
    EXPECT_FALSE(f.has_errors()) << test::describe(f);
  }
}

TEST(ExecForm, ShellFormArgumentsKeepTheText) {
  auto f = parse_rt("FROM a\nENTRYPOINT ['a', 'b']\n");
  EXPECT_EQ(f.instructions[1].arguments, "['a', 'b']");
}

TEST(ExecForm, NonStringElementIsAnError) {
  const char* cases[] = {
      "FROM a\nCMD [\"a\", 1]\n",
      "FROM a\nRUN [\"a\", null]\n",
      "FROM a\nENTRYPOINT [\"a\", [\"b\"]]\n",
      "FROM a\nCOPY [\"a\", true]\n",
      "FROM a\nVOLUME [\"/d\", {}]\n",
      "FROM a\nSHELL [1]\n",
      "FROM a\nHEALTHCHECK --interval=5s CMD [\"a\", 1]\n",
      "FROM a\nCMD [\"\xff\", 1]\n",  // invalid UTF-8 is no JSON syntax error
  };
  for (const char* src : cases) {
    SCOPED_TRACE(::testing::PrintToString(std::string(src)));
    auto f = parse_rt(src);
    const Diagnostic* d = find_error_message(f, kNotStrings);
    ASSERT_NE(d, nullptr) << test::describe(f);
    EXPECT_EQ(d->line, 2);
    EXPECT_TRUE(f.has_errors());
    // The instruction is still there, verbatim.
    EXPECT_EQ(shapes(f).size(), 2u);
  }
}

TEST(ExecForm, InstructionsWithoutExecFormIgnoreArrays) {
  // USER, WORKDIR, EXPOSE, STOPSIGNAL, FROM, MAINTAINER: plain strings even when
  // they look like JSON, so a non-string element is no error either.
  auto f = parse_rt(
      "FROM a\nUSER [\"a\", 1]\nWORKDIR [\"/x\"]\nEXPOSE [\"80\"]\nSTOPSIGNAL [\"x\"]\nMAINTAINER [\"m\"]\n");
  ASSERT_EQ(f.instructions.size(), 6u);
  for (const auto& i : f.instructions) EXPECT_FALSE(i.exec_form) << i.keyword;
  EXPECT_FALSE(f.has_errors()) << test::describe(f);
  EXPECT_EQ(f.instructions[1].arguments, "[\"a\", 1]");
}

TEST(ExecForm, BacktickEscapeFileKeepsJsonEscapes) {
  auto f = parse_rt("# escape=`\nFROM a\nCMD [\"c:\\\\app\\\\run.exe\", \"-x\"]\n");
  ASSERT_TRUE(f.instructions[1].exec_form);
  EXPECT_EQ(f.instructions[1].exec, (Words{"c:\\app\\run.exe", "-x"}));
}

}  // namespace
}  // namespace dockerfix
