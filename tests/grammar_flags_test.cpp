// Builder flags (`--name=value` words right after the keyword). Reference:
// BuildKit parser/split_command.go extractBuilderFlags: only words starting
// with `--`, quotes removed, the escape token escapes the next byte, a bare
// `--` ends the flags, and this runs for every instruction, known or not.
#include "tests/grammar_helpers.h"

namespace dockerfix {
namespace {
using test::flag_words;
using test::parse_rt;
using test::Shapes;
using test::shapes;
using Words = std::vector<std::string>;

TEST(Flags, CopyFlags) {
  auto f = parse_rt("FROM a\nCOPY --from=build --chown=\"app:app\" --chmod=755 --link src /dst\n");
  const auto& c = f.instructions[1];
  ASSERT_EQ(c.flags.size(), 4u);
  EXPECT_EQ(c.flags[0].name, "from");
  EXPECT_EQ(c.flags[0].value, "build");
  EXPECT_EQ(c.flags[1].name, "chown");
  EXPECT_EQ(c.flags[1].value, "app:app");
  EXPECT_EQ(c.flags[2].name, "chmod");
  EXPECT_EQ(c.flags[2].value, "755");
  EXPECT_EQ(c.flags[3].name, "link");
  EXPECT_FALSE(c.flags[3].value.has_value());
  EXPECT_EQ(f.text(c.flags[0].span), "--from=build");
  EXPECT_EQ(f.text(c.flags[1].span), "--chown=\"app:app\"");
  EXPECT_EQ(f.text(c.flags[3].span), "--link");
  EXPECT_EQ(c.arguments, "src /dst");
  EXPECT_EQ(f.text(c.arguments_span), "src /dst");
  EXPECT_FALSE(f.has_errors()) << test::describe(f);
}

TEST(Flags, RunFlags) {
  auto f = parse_rt("FROM a\nRUN --mount=type=cache,target=/x --network=none --security=insecure make\n");
  const auto& r = f.instructions[1];
  EXPECT_EQ(flag_words(r),
            (Words{"--mount=type=cache,target=/x", "--network=none", "--security=insecure"}));
  ASSERT_EQ(r.flags.size(), 3u);
  EXPECT_EQ(r.flags[0].name, "mount");
  EXPECT_EQ(r.flags[0].value, "type=cache,target=/x");  // only the first `=` separates
  EXPECT_EQ(r.arguments, "make");
}

TEST(Flags, FromPlatformAndStageName) {
  auto f = parse_rt("ARG V=1\nFROM --platform=$BUILDPLATFORM golang:${V} AS build\n");
  ASSERT_EQ(shapes(f), (Shapes{{"ARG", 1, 1}, {"FROM", 2, 2}}));
  EXPECT_EQ(flag_words(f.instructions[1]), (Words{"--platform=$BUILDPLATFORM"}));
  EXPECT_EQ(f.instructions[1].arguments, "golang:${V} AS build");
}

TEST(Flags, HealthcheckFlags) {
  auto f = parse_rt(
      "FROM a\nHEALTHCHECK --interval=30s --timeout=3s --start-period=5s --start-interval=1s --retries=3 "
      "CMD curl -f http://localhost/\n");
  EXPECT_EQ(flag_words(f.instructions[1]), (Words{"--interval=30s", "--timeout=3s", "--start-period=5s",
                                                   "--start-interval=1s", "--retries=3"}));
  EXPECT_EQ(f.instructions[1].arguments, "CMD curl -f http://localhost/");
}

TEST(Flags, QuotesAndEscapesAreDecoded) {
  auto f = parse_rt("FROM a\nCOPY --chown=a\\ b --x=p\"q r\"s --y='' --z= s d\n");
  const auto& c = f.instructions[1];
  EXPECT_EQ(flag_words(c), (Words{"--chown=a b", "--x=pq rs", "--y=", "--z="}));
  ASSERT_EQ(c.flags.size(), 4u);
  EXPECT_EQ(c.flags[2].value, "");  // present but empty
  EXPECT_EQ(c.flags[3].value, "");
  EXPECT_EQ(f.text(c.flags[1].span), "--x=p\"q r\"s");
  EXPECT_EQ(c.arguments, "s d");
}

TEST(Flags, SingleQuotedMountValue) {
  auto f = parse_rt("FROM a\nRUN --mount='type=bind,source=a b,target=/c' ls\n");
  EXPECT_EQ(flag_words(f.instructions[1]), (Words{"--mount=type=bind,source=a b,target=/c"}));
  EXPECT_EQ(f.instructions[1].arguments, "ls");
}

TEST(Flags, UnterminatedQuoteRunsToTheEnd) {
  auto f = parse_rt("FROM a\nCOPY --chown=\"a b c\n");
  EXPECT_EQ(flag_words(f.instructions[1]), (Words{"--chown=a b c"}));
  EXPECT_EQ(f.instructions[1].arguments, "");
}

TEST(Flags, DoubleDashEndsTheFlags) {
  auto f = parse_rt("FROM a\nRUN --network=none -- --not-a-flag\n");
  EXPECT_EQ(flag_words(f.instructions[1]), (Words{"--network=none"}));
  EXPECT_EQ(f.instructions[1].arguments, "--not-a-flag");

  auto g = parse_rt("FROM a\nRUN --network=none --\n");
  EXPECT_EQ(flag_words(g.instructions[1]), (Words{"--network=none"}));
  EXPECT_EQ(g.instructions[1].arguments, "");
}

TEST(Flags, OnlyFlagsNoArguments) {
  auto f = parse_rt("FROM a\nRUN --network=none\n");
  EXPECT_EQ(flag_words(f.instructions[1]), (Words{"--network=none"}));
  EXPECT_EQ(f.instructions[1].arguments, "");
}

TEST(Flags, SingleDashIsNotAFlag) {
  auto f = parse_rt("FROM a\nRUN -x --y\n");
  EXPECT_TRUE(f.instructions[1].flags.empty());
  EXPECT_EQ(f.instructions[1].arguments, "-x --y");
}

TEST(Flags, AfterTheFirstArgumentTheyAreArguments) {
  auto f = parse_rt("FROM a\nCOPY a --chown=x b\n");
  EXPECT_TRUE(f.instructions[1].flags.empty());
  EXPECT_EQ(f.instructions[1].arguments, "a --chown=x b");
}

TEST(Flags, UnknownInstructionsHaveFlagsToo) {
  auto f = parse_rt("FROM a\nFOO --bar baz\n");
  ASSERT_EQ(shapes(f), (Shapes{{"FROM", 1, 1}, {"FOO", 2, 2}}));
  EXPECT_FALSE(f.instructions[1].known);
  EXPECT_EQ(flag_words(f.instructions[1]), (Words{"--bar"}));
  EXPECT_EQ(f.instructions[1].arguments, "baz");
}

TEST(Flags, AcrossContinuationLines) {
  auto f = parse_rt("FROM a\nCOPY --from=x \\\n     --chown=1:1 \\\n     a b\n");
  ASSERT_EQ(shapes(f), (Shapes{{"FROM", 1, 1}, {"COPY", 2, 4}}));
  const auto& c = f.instructions[1];
  EXPECT_EQ(flag_words(c), (Words{"--from=x", "--chown=1:1"}));
  EXPECT_EQ(f.text(c.flags[1].span), "--chown=1:1");
  EXPECT_EQ(f.position(c.flags[1].span.begin), (std::pair<int, int>{3, 6}));
  EXPECT_EQ(c.arguments, "a b");
  EXPECT_EQ(f.position(c.arguments_span.begin), (std::pair<int, int>{4, 6}));
}

TEST(Flags, TabsSeparateFlags) {
  auto f = parse_rt("FROM a\nCOPY\t--link\t--chmod=644\tx\ty\n");
  EXPECT_EQ(flag_words(f.instructions[1]), (Words{"--link", "--chmod=644"}));
  EXPECT_EQ(f.instructions[1].arguments, "x\ty");
}

TEST(Flags, NonAsciiBytesAreReadOneByteAtATime) {
  // extractBuilderFlags walks bytes, not runes: the byte 0xA0 (inside `à`,
  // C3 A0) counts as a space (unicode.IsSpace(U+00A0)) and ends the flag, and
  // each kept byte is written back as the rune of the same number, so C3
  // becomes U+00C3 (C3 83 in UTF-8).
  auto f = parse_rt("FROM a\nCOPY --chown=\xC3\xA0x y z\n");
  const auto& c = f.instructions[1];
  ASSERT_EQ(c.flags.size(), 1u);
  EXPECT_EQ(c.flags[0].name, "chown");
  EXPECT_EQ(c.flags[0].value, "\xC3\x83");
  EXPECT_EQ(c.arguments, "x y z");

  auto g = parse_rt("FROM a\nCOPY --a=b\xE3\x80\x80--c d\n");  // U+3000 has no A0/85 byte
  ASSERT_EQ(g.instructions[1].flags.size(), 1u);
  EXPECT_EQ(g.instructions[1].flags[0].value, "b\xC3\xA3\xC2\x80\xC2\x80--c");
  EXPECT_EQ(g.instructions[1].arguments, "d");
}

}  // namespace
}  // namespace dockerfix
