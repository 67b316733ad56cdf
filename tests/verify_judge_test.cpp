// How an image with fixes is judged against the original: builds, exit
// behaviour, the user it runs as and its health; and which uid is expected.
#include <gtest/gtest.h>

#include "verify/judge.h"
#include "verify/run.h"

namespace dockerfix::verify {
namespace {

ImageReport service(uint32_t uid, double seconds = 10) {
  ImageReport r;
  r.built = true;
  r.ran = true;
  r.run.started = true;
  r.run.still_running = true;
  r.run.seconds = seconds;
  r.run.uid = uid;
  return r;
}

ImageReport exited(int code, uint32_t uid) {
  ImageReport r = service(uid, 0.2);
  r.run.still_running = false;
  r.run.exit_code = code;
  return r;
}

ImageReport failed_build(const std::string& step) {
  ImageReport r;
  r.failing_step = step;
  r.build_error = "returned a non-zero code: 1";
  r.build_log = {"Permission denied"};
  return r;
}

Expectation uid(uint32_t u) {
  Expectation e;
  e.uid = u;
  e.who = "agent (uid " + std::to_string(u) + ")";
  return e;
}

TEST(VerifyJudge, AServiceMustStayUp) {
  Judgement j = judge(service(0), exited(1, 1000), uid(1000));
  EXPECT_EQ(j.verdict, Verdict::BrokeRuntime);
  EXPECT_NE(j.reason.find("exited with code 1"), std::string::npos);
  EXPECT_EQ(judge(service(0), service(1000), uid(1000)).verdict, Verdict::Proven);
}

TEST(VerifyJudge, ExitingTheSameWayIsFine) {
  EXPECT_EQ(judge(exited(3, 0), exited(3, 1000), uid(1000)).verdict, Verdict::Proven);
  EXPECT_EQ(judge(exited(0, 0), exited(0, 1000), uid(1000)).verdict, Verdict::Proven);
  EXPECT_EQ(judge(exited(0, 0), exited(2, 1000), uid(1000)).verdict, Verdict::BrokeRuntime);
  EXPECT_EQ(judge(exited(3, 0), exited(4, 1000), uid(1000)).verdict, Verdict::BrokeRuntime);
  // A fix may repair a failing container (seeds/001's socket).
  EXPECT_EQ(judge(exited(1, 1000), service(1000), uid(1000)).verdict, Verdict::Proven);
}

TEST(VerifyJudge, TheIntendedUser) {
  Judgement j = judge(service(0), service(0), uid(1000));
  EXPECT_EQ(j.verdict, Verdict::BrokeRuntime);
  EXPECT_NE(j.reason.find("runs as uid 0"), std::string::npos);
  Expectation nonroot;
  nonroot.nonroot = true;
  EXPECT_EQ(judge(service(0), service(0), nonroot).verdict, Verdict::BrokeRuntime);
  EXPECT_EQ(judge(service(0), service(33), nonroot).verdict, Verdict::Proven);
}

TEST(VerifyJudge, AHealthcheckMustBecomeHealthy) {
  ImageReport f = service(1000);
  f.run.has_healthcheck = true;
  f.run.health = "unhealthy";
  EXPECT_EQ(judge(service(0), f, uid(1000)).verdict, Verdict::BrokeRuntime);
  f.run.health = "healthy";
  f.run.healthy_after = 2;
  EXPECT_EQ(judge(service(0), f, uid(1000)).verdict, Verdict::Proven);
  // A one-shot tool exits before any probe: never healthy.
  ImageReport cli = exited(0, 1000);
  cli.run.has_healthcheck = true;
  cli.run.health = "starting";
  Judgement j = judge(exited(0, 0), cli, uid(1000));
  EXPECT_EQ(j.verdict, Verdict::BrokeRuntime);
  EXPECT_TRUE(j.health);
  // When the original cannot stay up here either, the probe cannot be tried.
  ImageReport crashing = exited(3, 1000);
  crashing.run.has_healthcheck = true;
  crashing.run.health = "starting";
  EXPECT_EQ(judge(exited(3, 0), crashing, uid(1000)).verdict, Verdict::NotProvable);
  // The original's own HEALTHCHECK never passed: not the fix's doing.
  ImageReport o = service(0);
  o.run.has_healthcheck = true;
  o.run.health = "unhealthy";
  ImageReport same = service(1000);
  same.run.has_healthcheck = true;
  same.run.health = "unhealthy";
  EXPECT_EQ(judge(o, same, uid(1000)).verdict, Verdict::Proven);
}

TEST(VerifyJudge, Builds) {
  EXPECT_EQ(judge(service(0), failed_build("Step 2/3 : RUN x"), uid(1000)).verdict, Verdict::BrokeBuild);
  // The original does not build: the same failure proves nothing...
  EXPECT_EQ(judge(failed_build("Step 4/4 : RUN y"), failed_build("Step 5/5 : RUN y"), uid(1000)).verdict,
            Verdict::NotProvable);
  // ...and a fix that makes it build is proven (seeds/000).
  Judgement j = judge(failed_build("Step 4/4 : RUN y"), exited(0, 1000), uid(1000));
  EXPECT_EQ(j.verdict, Verdict::Proven);
  EXPECT_NE(j.reason.find("repairs the build"), std::string::npos);
  EXPECT_EQ(judge(failed_build("Step 4/4 : RUN y"), exited(1, 1000), uid(1000)).verdict, Verdict::NotProvable);
  ImageReport no_start = service(1000);
  no_start.run.started = false;
  no_start.run.start_error = "unable to find user agent";
  EXPECT_EQ(judge(service(0), no_start, uid(1000)).verdict, Verdict::BrokeRuntime);
  // An image with no command starts neither before nor after: the fix changed nothing there.
  ImageReport no_command = service(0);
  no_command.run.started = false;
  no_command.run.start_error = "No command specified";
  ImageReport fixed_no_command = no_command;
  EXPECT_EQ(judge(no_command, fixed_no_command, uid(1000)).verdict, Verdict::Proven);
  EXPECT_EQ(judge(no_command, no_start, uid(1000)).verdict, Verdict::BrokeRuntime);
}

model::EffectiveUser user(model::EffectiveUser::State s, std::string name, std::optional<uint32_t> id) {
  model::EffectiveUser u;
  u.state = s;
  u.name = std::move(name);
  u.uid = id;
  return u;
}

TEST(VerifyJudge, ExpectedUser) {
  using S = model::EffectiveUser::State;
  auto root = user(S::Root, "root", 0);
  auto agent = user(S::NonRoot, "agent", 1000);
  // A new USER: its uid.
  Expectation e = expect_user(root, agent, service(0));
  ASSERT_TRUE(e.uid);
  EXPECT_EQ(*e.uid, 1000u);
  // The user unchanged: what the original was seen running as.
  e = expect_user(agent, agent, service(1000));
  EXPECT_EQ(e.uid.value_or(99), 1000u);
  // An entrypoint that drops privileges itself picks its own uid.
  e = expect_user(root, root, service(999));
  EXPECT_FALSE(e.uid);
  EXPECT_FALSE(e.nonroot);
  // A name without a known uid: anything but root.
  e = expect_user(root, user(S::NonRoot, "app", std::nullopt), service(0));
  EXPECT_TRUE(e.nonroot);
  // The original did not build: the model's user.
  e = expect_user(agent, agent, failed_build("Step 1/1 : RUN x"));
  EXPECT_EQ(e.uid.value_or(99), 1000u);
}

TEST(VerifyRun, Demultiplex) {
  std::string frames = std::string("\x01\0\0\0\0\0\0\x03", 8) + "out" + std::string("\x02\0\0\0\0\0\0\x04", 8) + "err\n";
  EXPECT_EQ(demultiplex(frames), "outerr\n");
  EXPECT_EQ(demultiplex("plain text from a TTY\n"), "plain text from a TTY\n");
}

}  // namespace
}  // namespace dockerfix::verify
