// Flags, exec form, ENV/LABEL/ARG forms, ONBUILD, HEALTHCHECK
// (BuildKit line_parsers.go and split_command.go).
#include "tests/grammar_helpers.h"

namespace dockerfix {
namespace {
using test::has_code;
using test::parse_rt;

TEST(Arguments, FlagsAreSplitOffAndDecoded) {
  auto f = parse_rt("FROM a\nCOPY --from=build --chown=\"app:app\" --chmod=755 --link src /dst\n");
  const auto& c = f.instructions[1];
  ASSERT_EQ(c.flags.size(), 4u);
  EXPECT_EQ(c.flags[0].name, "from");
  EXPECT_EQ(*c.flags[0].value, "build");
  EXPECT_EQ(*c.flags[1].value, "app:app");
  EXPECT_EQ(f.text(c.flags[1].span), "--chown=\"app:app\"");
  EXPECT_FALSE(c.flags[3].value.has_value());
  EXPECT_EQ(c.arguments, "src /dst");
  EXPECT_EQ(f.text(c.arguments_span), "src /dst");
}

TEST(Arguments, DoubleDashEndsFlags) {
  auto f = parse_rt("FROM a\nRUN --network=none -- --not-a-flag\n");
  ASSERT_EQ(f.instructions[1].flags.size(), 1u);
  EXPECT_EQ(f.instructions[1].arguments, "--not-a-flag");
}

TEST(Arguments, MountFlagAcrossContinuation) {
  auto f = parse_rt("FROM a\nRUN --mount=type=cache,target=/root/.cache \\\n    pip install x\n");
  const auto& r = f.instructions[1];
  ASSERT_EQ(r.flags.size(), 1u);
  EXPECT_EQ(*r.flags[0].value, "type=cache,target=/root/.cache");
  EXPECT_EQ(r.arguments, "pip install x");
  EXPECT_EQ(f.text(r.arguments_span), "pip install x");
}

TEST(Arguments, ExecForm) {
  auto f = parse_rt("FROM a\nCMD [\"node\", \"server.js\", \"\\u00e9\\n\"]\nENTRYPOINT [\"a\" ,\n");
  const auto& cmd = f.instructions[1];
  EXPECT_TRUE(cmd.exec_form);
  ASSERT_EQ(cmd.exec.size(), 3u);
  EXPECT_EQ(cmd.exec[2], "\xC3\xA9\n");
  EXPECT_FALSE(f.instructions[2].exec_form);  // invalid JSON: shell form
}

TEST(Arguments, JsonArrayOfNonStringsIsAnError) {
  auto f = parse_rt("FROM a\nCMD [\"a\", 1]\n");
  EXPECT_TRUE(has_code(f, "invalid-instruction"));
}

TEST(Arguments, EnvForms) {
  EXPECT_FALSE(parse_rt("FROM a\nENV A=1 B=\"two words\"\nENV C three words\n").has_errors());
  auto missing = parse_rt("FROM a\nENV NOVALUE\n");
  ASSERT_TRUE(missing.has_errors());
  EXPECT_EQ(missing.diagnostics[0].message, "ENV must have two arguments");
  EXPECT_TRUE(parse_rt("FROM a\nLABEL a=b c\n").has_errors());
  EXPECT_FALSE(parse_rt("FROM a\nARG A\nARG B=1 C\n").has_errors());
}

TEST(Arguments, OnbuildTrigger) {
  auto f = parse_rt("FROM a\nONBUILD COPY --chown=1:1 . /app\n");
  const auto& o = f.instructions[1];
  ASSERT_TRUE(o.onbuild);
  EXPECT_EQ(o.onbuild->keyword, "COPY");
  EXPECT_EQ(o.onbuild->flags.size(), 1u);
  EXPECT_EQ(f.text(o.onbuild->keyword_span), "COPY");
}

TEST(Arguments, HealthcheckNoneAndCmd) {
  auto f = parse_rt("FROM a\nHEALTHCHECK NONE\nHEALTHCHECK --interval=5s CMD [\"curl\", \"-f\", \"x\"]\n");
  EXPECT_EQ(f.instructions[1].arguments, "NONE");
  EXPECT_EQ(f.instructions[2].flags[0].name, "interval");
  EXPECT_TRUE(f.instructions[2].exec_form);
}

TEST(Arguments, FromWithPlatformAndStageName) {
  auto f = parse_rt("ARG V=1\nFROM --platform=$BUILDPLATFORM golang:${V} AS build\n");
  EXPECT_EQ(f.instructions[1].flags[0].name, "platform");
  EXPECT_EQ(f.instructions[1].arguments, "golang:${V} AS build");
}

}  // namespace
}  // namespace dockerfix
