// The shell view rules read RUNs through (dockerfix/model.h RunCommand):
// wrappers seen through, values after quote removal, raw spans, and the
// query API.
#include <gtest/gtest.h>

#include "dockerfix/model.h"

namespace dockerfix::model {
namespace {

std::vector<RunCommand> commands(const std::string& run) {
  Dockerfile f = parse("FROM debian:12\n" + run + "\n");
  auto m = analyze(f, KnowledgeBase::builtin());
  return m.step_for(1)->commands;
}

TEST(ShellView, WrappersAreSeenThrough) {
  for (std::string run : {"RUN env DEBIAN_FRONTEND=noninteractive apt-get install -y x", "RUN sudo -u root apt-get install -y x",
                          "RUN nice -n 5 nohup apt-get install -y x", "RUN exec apt-get install -y x",
                          "RUN time apt-get install -y x", "RUN command apt-get install -y x",
                          "RUN timeout 60 apt-get install -y x", "RUN /usr/bin/apt-get install -y x"}) {
    auto c = commands(run);
    ASSERT_EQ(c.size(), 1u) << run;
    EXPECT_EQ(c[0].name(), "apt-get") << run;
    EXPECT_EQ(c[0].subcommand(), "install") << run;
    EXPECT_TRUE(c[0].has_flag("-y")) << run;
  }
}

TEST(ShellView, ValuesAfterQuoteRemovalRawSpansAndLiterals) {
  Dockerfile f = parse("FROM debian:12\nRUN c\"url\" -o \"$OUT\" 'https://x y'\n");
  auto m = analyze(f, KnowledgeBase::builtin());
  const auto& c = m.step_for(1)->commands.at(0);
  EXPECT_EQ(c.name(), "curl");
  ASSERT_EQ(c.words.size(), 4u);
  EXPECT_EQ(c.words[0].raw, "c\"url\"");
  EXPECT_EQ(f.text(c.words[0].span), "c\"url\"");
  EXPECT_TRUE(c.words[0].literal);
  EXPECT_EQ(c.words[2].value, "$OUT");
  EXPECT_FALSE(c.words[2].literal);
  EXPECT_EQ(c.words[3].value, "https://x y");
  EXPECT_EQ(c.flag_value("-o"), "$OUT");
  auto ops = c.operands({"-o"});
  ASSERT_EQ(ops.size(), 1u);
  EXPECT_EQ(ops[0]->value, "https://x y");
  EXPECT_EQ(c.insert_after(0).begin, c.words[0].span.end);
}

TEST(ShellView, CombinedShortFlagsAndFlagValues) {
  auto c = commands("RUN useradd -ms /bin/sh -u1001 --home=/srv/app -- -odd")[0];
  EXPECT_TRUE(c.has_flag("-m"));
  EXPECT_TRUE(c.has_flag("-s"));
  EXPECT_TRUE(c.has_flag("-u"));
  EXPECT_FALSE(c.has_flag("-g"));
  EXPECT_TRUE(c.has_flag("--home"));
  EXPECT_EQ(c.flag_value("-u"), "1001");
  EXPECT_EQ(c.flag_value("--home"), "/srv/app");
  EXPECT_FALSE(c.has_flag("-o")) << "after --, words are operands";
  auto ops = c.operands({"-s"});
  ASSERT_EQ(ops.size(), 1u);
  EXPECT_EQ(ops[0]->value, "-odd");
}

TEST(ShellView, ShDashCStringsAreCommandsWithSpansIntoTheFile) {
  Dockerfile f = parse("FROM debian:12\nRUN sh -c 'apt-get update && curl -o /x https://x'\n");
  auto m = analyze(f, KnowledgeBase::builtin());
  const auto& cs = m.step_for(1)->commands;
  ASSERT_EQ(cs.size(), 3u);
  EXPECT_EQ(cs[0].name(), "sh");
  EXPECT_TRUE(cs[1].nested);
  EXPECT_EQ(cs[1].name(), "apt-get");
  EXPECT_EQ(cs[2].name(), "curl");
  for (const auto& c : cs)
    for (const auto& w : c.words) EXPECT_EQ(f.text(w.span), w.raw);
}

TEST(ShellView, ExecFormWords) {
  auto c = commands("RUN [\"/usr/bin/env\", \"X=1\", \"curl\", \"-o\", \"/x\", \"https://x\"]")[0];
  EXPECT_EQ(c.name(), "curl");
  EXPECT_EQ(c.flag_value("-o"), "/x");
}

TEST(Capabilities, FromTheDataNotTheRules) {
  const auto& kb = KnowledgeBase::builtin();
  auto facts = [&](const char* ref) { return kb.lookup(parse_image_ref(ref)); };
  ASSERT_NE(facts("alpine:3.20"), nullptr);
  EXPECT_EQ(facts("alpine:3.20")->wget, "busybox");
  EXPECT_EQ(facts("alpine:3.20")->adduser, "busybox");
  EXPECT_TRUE(facts("alpine:3.20")->has_tool("pgrep"));
  EXPECT_EQ(facts("debian:12")->wget, "gnu");
  EXPECT_EQ(facts("debian:12")->adduser, "debian");
  EXPECT_FALSE(facts("debian:12")->has_tool("pgrep"));
  // A config entry states its own, or gets its family's.
  auto own = KnowledgeBase::from_yaml(
      "images:\n  - name: a\n    match: {repository: [corp/a]}\n    family: alpine\n  - name: b\n    match: {repository: "
      "[corp/b]}\n    family: alpine\n    wget: gnu\n    tools: [curl]\n",
      "c.yaml");
  EXPECT_EQ(own.lookup(parse_image_ref("corp/a:1"))->wget, "busybox");
  EXPECT_EQ(own.lookup(parse_image_ref("corp/b:1"))->wget, "gnu");
  EXPECT_TRUE(own.lookup(parse_image_ref("corp/b:1"))->has_tool("curl"));
  EXPECT_FALSE(own.lookup(parse_image_ref("corp/b:1"))->has_tool("pgrep"));
}

}  // namespace
}  // namespace dockerfix::model
