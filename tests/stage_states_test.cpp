// BuildKit's dispatch states share one state between the instructions that
// change nothing: an ENV or ARG must make a new one, never change the state
// the instructions before it (or a stage built on it) see.
#include <gtest/gtest.h>

#include "dockerfix/fix.h"
#include "transforms/buildkit_support.h"

namespace dockerfix::fix::buildkit {
namespace {

TEST(StageStates, EnvAndArgChangeOnlyWhatComesAfter) {
  const Dockerfile f = parse(
      "ARG G=g\n"            // 0: before the first FROM
      "FROM scratch AS a\n"  // 1
      "WORKDIR /w\n"         // 2
      "ENV X=1\n"            // 3
      "ARG G\n"              // 4
      "RUN true\n"           // 5
      "FROM a\n"             // 6: built on a
      "ENV X=2 Y=$X\n"       // 7
      "RUN true\n",          // 8
      "Dockerfile");
  const Options options;
  const model::BuildModel m = model::analyze(f, model::KnowledgeBase::builtin(), options.model);
  const Context ctx{f, m, options, style_of(f)};
  const StageStates& s = stage_states(ctx);
  ASSERT_EQ(s.size(), 9u);
  EXPECT_EQ(s[0], nullptr);
  for (size_t i : {1, 2, 3}) {
    ASSERT_NE(s[i], nullptr) << i;
    EXPECT_FALSE(s[i]->env.count("X")) << i;  // the ENV itself expands with the state before it
  }
  EXPECT_EQ(s[2], s[1]);  // WORKDIR changes nothing
  EXPECT_EQ(s[4]->env.at("X"), "1");
  EXPECT_FALSE(s[4]->declared_args.count("G"));
  EXPECT_EQ(s[5]->env.at("G"), "g");  // the global default
  EXPECT_TRUE(s[5]->declared_args.count("G"));
  EXPECT_EQ(s[6]->env.at("X"), "1");  // stage a's state at its end
  EXPECT_TRUE(s[6]->declared_args.count("G"));
  EXPECT_EQ(s[8]->env.at("X"), "2");
  EXPECT_EQ(s[8]->env.at("Y"), "1");  // ENV's values expand with the state before it
  // Stage a's states are as they were after b's ENV.
  EXPECT_EQ(s[5]->env.at("X"), "1");
  EXPECT_FALSE(s[5]->env.count("Y"));
  // Asked again, the same states (kept with the model).
  EXPECT_EQ(&stage_states(ctx), &s);
}

}  // namespace
}  // namespace dockerfix::fix::buildkit
