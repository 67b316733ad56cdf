// Per-instruction argument forms: ENV / LABEL (parseNameVal, with the legacy
// `ENV key value` form), ARG (parseNameOrNameVal), HEALTHCHECK
// (parseHealthConfig), FROM, and unknown instructions (parseIgnore: BuildKit's
// parser keeps them as nodes, the build rejects them). Reference: BuildKit
// parser/line_parsers.go and parser.go newNodeFromLine.
#include "tests/grammar_helpers.h"

namespace dockerfix {
namespace {
using test::find_diag;
using test::find_error_message;
using test::parse_rt;
using test::Shapes;
using test::shapes;

TEST(Env, KeyValueAndLegacyForms) {
  auto f = parse_rt("FROM a\nENV A=1 B=\"two words\" C=three\\ words\nENV k v w\n");
  EXPECT_FALSE(f.has_errors()) << test::describe(f);
  EXPECT_EQ(f.instructions[1].arguments, "A=1 B=\"two words\" C=three\\ words");
  EXPECT_EQ(f.instructions[2].arguments, "k v w");
}

TEST(Env, NoValueIsAnError) {
  auto f = parse_rt("FROM a\nENV NOVALUE\nRUN x\n");
  const Diagnostic* d = find_error_message(f, "ENV must have two arguments");
  ASSERT_NE(d, nullptr) << test::describe(f);
  EXPECT_EQ(d->message, "ENV must have two arguments");
  EXPECT_EQ(d->line, 2);
  // The rest of the file is still parsed.
  EXPECT_EQ(shapes(f), (Shapes{{"FROM", 1, 1}, {"ENV", 2, 2}, {"RUN", 3, 3}}));
}

TEST(Env, TrailingBlanksDoNotMakeASecondArgument) {
  auto f = parse_rt("FROM a\nENV A   \n");
  EXPECT_NE(find_error_message(f, "ENV must have two arguments"), nullptr) << test::describe(f);
}

TEST(Env, MixingFormsIsAnError) {
  auto f = parse_rt("FROM a\nENV A=1 B\n");
  const Diagnostic* d = find_error_message(f, "Syntax error - can't find = in \"B\". Must be of the form: name=value");
  ASSERT_NE(d, nullptr) << test::describe(f);
  EXPECT_EQ(d->line, 2);
}

TEST(Env, TheWordInTheMessageIsGoQuoted) {
  // errors.Errorf("... can't find = in %q ...", word): Go escapes `\` and `"`.
  auto f = parse_rt("FROM a\nENV A=1 B\\\"C\n");
  const Diagnostic* d = find_error_message(f, "Syntax error - can't find = in ");
  ASSERT_NE(d, nullptr) << test::describe(f);
  EXPECT_EQ(d->message, "Syntax error - can't find = in \"B\\\\\\\"C\". Must be of the form: name=value");
}

TEST(Label, KeyValue) {
  auto f = parse_rt("FROM a\nLABEL org.opencontainers.image.title=\"x y\" \"key with space\"=v\n");
  EXPECT_FALSE(f.has_errors()) << test::describe(f);
  EXPECT_EQ(f.instructions[1].arguments, "org.opencontainers.image.title=\"x y\" \"key with space\"=v");
}

TEST(Label, Errors) {
  auto f = parse_rt("FROM a\nLABEL a=b c\n");
  EXPECT_NE(find_error_message(f, "Syntax error - can't find = in \"c\". Must be of the form: name=value"), nullptr)
      << test::describe(f);
  auto g = parse_rt("FROM a\nLABEL single\n");
  EXPECT_NE(find_error_message(g, "LABEL must have two arguments"), nullptr) << test::describe(g);
  // The legacy form is valid for LABEL too.
  EXPECT_FALSE(parse_rt("FROM a\nLABEL maintainer someone else\n").has_errors());
}

TEST(Arg, NamesAndDefaults) {
  auto f = parse_rt("ARG A\nARG B=1 C\nARG D=\"x y\"\nFROM a\n");
  EXPECT_FALSE(f.has_errors()) << test::describe(f);
  EXPECT_EQ(shapes(f), (Shapes{{"ARG", 1, 1}, {"ARG", 2, 2}, {"ARG", 3, 3}, {"FROM", 4, 4}}));
  EXPECT_EQ(f.instructions[1].arguments, "B=1 C");
}

TEST(From, StageNameAndArgBeforeFrom) {
  auto f = parse_rt("ARG BASE=alpine:3\nFROM ${BASE} AS build\nFROM build as final\n");
  EXPECT_EQ(shapes(f), (Shapes{{"ARG", 1, 1}, {"FROM", 2, 2}, {"FROM", 3, 3}}));
  EXPECT_EQ(f.instructions[1].arguments, "${BASE} AS build");
  EXPECT_EQ(f.instructions[2].arguments, "build as final");
  EXPECT_FALSE(f.has_errors()) << test::describe(f);
}

TEST(HealthcheckSyntax, NoneCmdAndFlags) {
  auto f = parse_rt(
      "FROM a\nHEALTHCHECK NONE\nHEALTHCHECK CMD curl -f http://localhost/ || exit 1\n"
      "HEALTHCHECK --interval=5s --retries=3 CMD [\"pgrep\", \"-x\", \"app\"]\n");
  EXPECT_FALSE(f.has_errors()) << test::describe(f);
  const auto& none = f.instructions[1];
  EXPECT_EQ(none.arguments, "NONE");
  EXPECT_FALSE(none.exec_form);
  EXPECT_TRUE(none.flags.empty());
  EXPECT_EQ(f.instructions[2].arguments, "CMD curl -f http://localhost/ || exit 1");
  EXPECT_FALSE(f.instructions[2].exec_form);
  const auto& exec = f.instructions[3];
  EXPECT_EQ(test::flag_words(exec), (std::vector<std::string>{"--interval=5s", "--retries=3"}));
  EXPECT_TRUE(exec.exec_form);
  EXPECT_EQ(exec.exec, (std::vector<std::string>{"pgrep", "-x", "app"}));
}

TEST(Unknown, KeptWithBuildKitBoundariesAndADiagnostic) {
  auto f = parse_rt("FROM a\nFOO bar \\\n  baz\nRUN x\n");
  ASSERT_EQ(shapes(f), (Shapes{{"FROM", 1, 1}, {"FOO", 2, 3}, {"RUN", 4, 4}}));
  const auto& u = f.instructions[1];
  EXPECT_FALSE(u.known);
  EXPECT_EQ(f.text(u.keyword_span), "FOO");
  EXPECT_EQ(u.arguments, "bar   baz");
  const Diagnostic* d = find_diag(f, "unknown-instruction");
  ASSERT_NE(d, nullptr) << test::describe(f);
  EXPECT_EQ(d->line, 2);
  EXPECT_EQ(d->column, 1);
  EXPECT_TRUE(f.instructions[2].known);
}

TEST(Unknown, IndentedUnknownInstructionColumn) {
  auto f = parse_rt("FROM a\n  BOGUS x\n");
  const Diagnostic* d = find_diag(f, "unknown-instruction");
  ASSERT_NE(d, nullptr) << test::describe(f);
  EXPECT_EQ(d->line, 2);
  EXPECT_EQ(d->column, 3);
}

TEST(Unknown, NoHeredocsAndNoJson) {
  auto f = parse_rt("FROM a\nFOO <<EOF\nEOF\nBAR [\"a\", 1]\n");
  ASSERT_EQ(shapes(f), (Shapes{{"FROM", 1, 1}, {"FOO", 2, 2}, {"EOF", 3, 3}, {"BAR", 4, 4}}));
  for (const auto& i : f.instructions) {
    EXPECT_TRUE(i.heredocs.empty());
    EXPECT_FALSE(i.exec_form);
  }
  EXPECT_EQ(find_error_message(f, "arrays must be comprised of strings only"), nullptr);
}

TEST(Unknown, LookalikeWordsAreUnknown) {
  // Words BuildKit does not dispatch, whatever they look like.
  auto f = parse_rt("FROM a\nCOPYFILE a b\nRUN: x\nADD-ON y\n");
  ASSERT_EQ(f.instructions.size(), 4u);
  for (size_t k = 1; k < 4; ++k) EXPECT_FALSE(f.instructions[k].known) << f.instructions[k].keyword;
}

}  // namespace
}  // namespace dockerfix
