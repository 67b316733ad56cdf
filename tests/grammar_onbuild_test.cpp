// ONBUILD <instruction>. Reference: BuildKit line_parsers.go parseSubCommand
// (the trigger is parsed like a line of its own, its errors are the file's)
// and parser.go canContainHeredoc (ONBUILD of RUN/COPY/ADD takes heredocs,
// attached to the ONBUILD node itself).
#include "tests/grammar_helpers.h"

namespace dockerfix {
namespace {
using test::flag_words;
using test::parse_rt;
using test::Shapes;
using test::shapes;

TEST(Onbuild, TriggerIsParsedAsAnInstruction) {
  auto f = parse_rt("FROM a\nONBUILD RUN make install\n");
  ASSERT_EQ(shapes(f), (Shapes{{"FROM", 1, 1}, {"ONBUILD", 2, 2}}));
  const auto& o = f.instructions[1];
  EXPECT_EQ(o.arguments, "RUN make install");
  ASSERT_TRUE(o.onbuild);
  EXPECT_EQ(o.onbuild->keyword, "RUN");
  EXPECT_TRUE(o.onbuild->known);
  EXPECT_EQ(o.onbuild->arguments, "make install");
  EXPECT_EQ(f.text(o.onbuild->keyword_span), "RUN");
  EXPECT_FALSE(f.has_errors()) << test::describe(f);
}

TEST(Onbuild, TriggerFlagsAndSpelling) {
  auto f = parse_rt("FROM a\nonbuild copy --chown=1:1 . /app\n");
  const auto& o = f.instructions[1];
  EXPECT_EQ(o.keyword, "ONBUILD");
  EXPECT_TRUE(o.flags.empty());
  ASSERT_TRUE(o.onbuild);
  EXPECT_EQ(o.onbuild->keyword, "COPY");
  EXPECT_EQ(f.text(o.onbuild->keyword_span), "copy");
  EXPECT_EQ(flag_words(*o.onbuild), (std::vector<std::string>{"--chown=1:1"}));
  EXPECT_EQ(f.text(o.onbuild->flags[0].span), "--chown=1:1");
  EXPECT_EQ(o.onbuild->arguments, ". /app");
}

TEST(Onbuild, TriggerInExecForm) {
  auto f = parse_rt("FROM a\nONBUILD CMD [\"a\", \"b\"]\n");
  const auto& o = f.instructions[1];
  ASSERT_TRUE(o.onbuild);
  EXPECT_TRUE(o.onbuild->exec_form);
  EXPECT_EQ(o.onbuild->exec, (std::vector<std::string>{"a", "b"}));
}

TEST(Onbuild, TriggerErrorsAreErrors) {
  auto f = parse_rt("FROM a\nONBUILD CMD [\"a\", 1]\n");
  EXPECT_NE(test::find_error_message(f, "arrays must be comprised of strings only"), nullptr) << test::describe(f);

  auto g = parse_rt("FROM a\nONBUILD ENV A\n");
  const Diagnostic* d = test::find_error_message(g, "ENV must have two arguments");
  ASSERT_NE(d, nullptr) << test::describe(g);
  EXPECT_EQ(d->line, 2);
}

TEST(Onbuild, AcrossContinuationLines) {
  auto f = parse_rt("FROM a\nONBUILD RUN a \\\n  b\n");
  ASSERT_EQ(shapes(f), (Shapes{{"FROM", 1, 1}, {"ONBUILD", 2, 3}}));
  ASSERT_TRUE(f.instructions[1].onbuild);
  EXPECT_EQ(f.instructions[1].onbuild->arguments, "a   b");
}

TEST(Onbuild, RunHeredoc) {
  auto f = parse_rt("FROM a\nONBUILD RUN <<EOF\necho hi\nEOF\nRUN b\n");
  ASSERT_EQ(shapes(f), (Shapes{{"FROM", 1, 1}, {"ONBUILD", 2, 4}, {"RUN", 5, 5}}));
  const auto& o = f.instructions[1];
  ASSERT_EQ(o.heredocs.size(), 1u);  // BuildKit attaches it to the ONBUILD node
  EXPECT_EQ(o.heredocs[0].name, "EOF");
  EXPECT_EQ(o.heredocs[0].body, "echo hi\n");
  ASSERT_TRUE(o.onbuild);
  EXPECT_EQ(o.onbuild->keyword, "RUN");
}

TEST(Onbuild, LowerCaseCopyHeredoc) {
  auto f = parse_rt("FROM a\nonbuild copy <<-EOF /x\n\tbody\n\tEOF\n");
  ASSERT_EQ(shapes(f), (Shapes{{"FROM", 1, 1}, {"ONBUILD", 2, 4}}));
  ASSERT_EQ(f.instructions[1].heredocs.size(), 1u);
  EXPECT_TRUE(f.instructions[1].heredocs[0].chomp);
}

TEST(Onbuild, ExecFormTriggerHasNoHeredoc) {
  auto f = parse_rt("FROM a\nONBUILD RUN [\"<<EOF\"]\nRUN b\n");
  ASSERT_EQ(shapes(f), (Shapes{{"FROM", 1, 1}, {"ONBUILD", 2, 2}, {"RUN", 3, 3}}));
  EXPECT_TRUE(f.instructions[1].heredocs.empty());
}

TEST(Onbuild, TriggerThatCannotHoldHeredocs) {
  auto f = parse_rt("FROM a\nONBUILD USER <<EOF\nEOF\n");
  ASSERT_EQ(shapes(f), (Shapes{{"FROM", 1, 1}, {"ONBUILD", 2, 2}, {"EOF", 3, 3}}));
  EXPECT_TRUE(f.instructions[1].heredocs.empty());
}

TEST(Onbuild, WithoutTrigger) {
  // parseSubCommand accepts an empty rest; only the build rejects it later.
  auto f = parse_rt("FROM a\nONBUILD\n");
  ASSERT_EQ(shapes(f), (Shapes{{"FROM", 1, 1}, {"ONBUILD", 2, 2}}));
  EXPECT_FALSE(f.instructions[1].onbuild);
}

TEST(Onbuild, UnknownAndNestedTriggersKeepBoundaries) {
  auto f = parse_rt("FROM a\nONBUILD FOO bar\nONBUILD ONBUILD RUN x\nRUN y\n");
  ASSERT_EQ(shapes(f), (Shapes{{"FROM", 1, 1}, {"ONBUILD", 2, 2}, {"ONBUILD", 3, 3}, {"RUN", 4, 4}}));
  ASSERT_TRUE(f.instructions[1].onbuild);
  EXPECT_FALSE(f.instructions[1].onbuild->known);
  ASSERT_TRUE(f.instructions[2].onbuild);
  EXPECT_EQ(f.instructions[2].onbuild->keyword, "ONBUILD");
}

}  // namespace
}  // namespace dockerfix
