// What the fixed-point loop reuses between versions of a file (issue 19):
// RUN analyses memoised across versions (model/run_analysis.h) and facts
// kept with a model (BuildModel::derived) must give what a fresh analysis
// gives.
#include <gtest/gtest.h>

#include <fstream>

#include "dockerfix/runtime_facts.h"
#include "model/context_files.h"
#include "model/run_analysis.h"
#include "tests/test_support.h"
#include "transforms/rules/runtime_reasons.h"

namespace dockerfix::model {
namespace {

namespace fs = std::filesystem;

// Every RUN fact of `m` as text, spans included.
std::string run_facts(const BuildModel& m) {
  std::string out;
  for (const auto& st : m.steps) {
    out += "step " + std::to_string(st.instruction) + "\n";
    for (const auto& c : st.commands) {
      out += "  command" + std::string(c.nested ? " nested" : "") + " program " + std::to_string(c.program) + " @" +
             std::to_string(c.span.begin) + "-" + std::to_string(c.span.end) + " then " +
             std::to_string(static_cast<int>(c.then)) + ":";
      for (const auto& w : c.words)
        out += " [" + w.raw + "|" + w.value + "@" + std::to_string(w.span.begin) + "-" + std::to_string(w.span.end) + "]";
      out += "\n";
    }
    for (const auto& n : st.needs_root)
      out += "  root " + n.reason + " " + n.command + " @" + std::to_string(n.span.begin) + "-" +
             std::to_string(n.span.end) + " " + n.script + ":" + std::to_string(n.script_line) + "\n";
  }
  for (const auto& s : m.stages)
    for (const auto& u : s.created_users) out += "user " + u.name + "\n";
  return out;
}

TEST(RunMemo, ARunThatMovedHasTheSpansOfAFreshAnalysis) {
  const std::string first =
      "FROM debian:bookworm\n"
      "RUN apt-get update && apt-get install -y curl \\\n"
      "    && useradd -m app\n"
      "RUN sh -c 'chown app /srv'\n"
      "RUN [\"useradd\", \"-m\", \"web\"]\n";
  // The same RUNs further down, as after a fix inserts a line above them.
  const std::string second = "FROM debian:bookworm\nLABEL a=b\n" + first.substr(first.find("RUN"));
  Dockerfile f1 = parse(first), f2 = parse(second);
  const KnowledgeBase& kb = KnowledgeBase::builtin();
  RunMemo memo;
  const std::string once = run_facts(analyze(f1, kb, {}, memo));
  EXPECT_EQ(once, run_facts(analyze(f1, kb, {})));
  const std::string moved = run_facts(analyze(f2, kb, {}, memo));
  EXPECT_EQ(moved, run_facts(analyze(f2, kb, {})));
  EXPECT_NE(once, moved);  // the spans did move
}

TEST(RunMemo, ARunInAnotherWorkdirIsAnalysedAgain) {
  const KnowledgeBase& kb = KnowledgeBase::builtin();
  Dockerfile f1 = parse("FROM debian:bookworm\nWORKDIR /home/app\nRUN touch x\n");
  Dockerfile f2 = parse("FROM debian:bookworm\nWORKDIR /usr/lib\nRUN touch x\n");
  RunMemo memo;
  analyze(f1, kb, {}, memo);
  EXPECT_EQ(run_facts(analyze(f2, kb, {}, memo)), run_facts(analyze(f2, kb, {})));
}

// A RUN that runs a script copied from the build context depends on the COPY
// before it: the same RUN after another COPY reads another script.
TEST(RunMemo, ARunReadingAScriptFromTheContextFollowsTheCopies) {
  const fs::path dir = fs::path(testing::TempDir()) / "run_memo_context";
  fs::create_directories(dir);
  std::ofstream(dir / "install.sh") << "apt-get install -y curl\n";
  std::ofstream(dir / "hello.sh") << "echo hello\n";
  Options o;
  o.context = dir;
  const KnowledgeBase& kb = KnowledgeBase::builtin();
  Dockerfile f1 = parse("FROM debian:bookworm\nCOPY install.sh /setup.sh\nUSER 1000\nRUN /setup.sh\n");
  Dockerfile f2 = parse("FROM debian:bookworm\nCOPY hello.sh /setup.sh\nUSER 1000\nRUN /setup.sh\n");
  RunMemo memo;
  const std::string with_install = run_facts(analyze(f1, kb, o, memo));
  EXPECT_NE(with_install.find("package-install"), std::string::npos) << with_install;
  const std::string with_hello = run_facts(analyze(f2, kb, o, memo));
  EXPECT_EQ(with_hello, run_facts(analyze(f2, kb, o)));
  EXPECT_EQ(with_hello.find("package-install"), std::string::npos) << with_hello;
}

// One review's ContextFiles read a file of the build context once (the
// context does not change while a file is reviewed), give what
// read_context_file gives, and refuse what it refuses; a new review reads
// the file again.
TEST(ContextFiles, AReviewReadsEachContextFileOnce) {
  const fs::path dir = fs::path(testing::TempDir()) / "context_files_once";
  fs::create_directories(dir / "sub");
  std::ofstream(dir / "run.sh") << "echo one\n";
  std::ofstream(fs::path(testing::TempDir()) / "outside.sh") << "echo outside\n";
  RunMemo review;
  ContextFiles& files = review.context_files();
  const std::string* text = files.read(dir, "run.sh");
  ASSERT_NE(text, nullptr);
  EXPECT_EQ(*text, *read_context_file(dir, "run.sh"));
  EXPECT_EQ(files.read(dir, "missing.sh"), nullptr);
  EXPECT_EQ(files.read(dir, "../outside.sh"), nullptr);  // never outside the context
  EXPECT_EQ(files.read(dir, "sub"), nullptr);            // not a regular file
  EXPECT_EQ(files.read(dir / "missing", "run.sh"), nullptr);
  std::ofstream(dir / "run.sh") << "echo two\n";
  EXPECT_EQ(files.read(dir, "run.sh"), text);  // the same text, not read again
  EXPECT_EQ(*text, "echo one\n");
  RunMemo next;
  EXPECT_EQ(*next.context_files().read(dir, "run.sh"), "echo two\n");
}

// The runtime facts of a model analysed in a review read the ENTRYPOINT's
// script through the review's ContextFiles; once the review is over they read
// the build context again.
TEST(ContextFiles, RuntimeFactsReadThroughTheReviewWhileItLasts) {
  const fs::path dir = fs::path(testing::TempDir()) / "context_files_runtime";
  fs::create_directories(dir);
  auto write = [&](const char* body) { std::ofstream(dir / "entrypoint.sh") << body; };
  write("#!/bin/sh\nexec gosu app \"$@\"\n");
  Options o;
  o.context = dir;
  Dockerfile f = parse("FROM debian:bookworm\nCOPY entrypoint.sh /entrypoint.sh\nENTRYPOINT [\"/entrypoint.sh\"]\nCMD [\"nginx\"]\n");
  const KnowledgeBase& kb = KnowledgeBase::builtin();
  auto drops = [](const RuntimeFacts& rf) { return rf.privilege_drops.size(); };
  auto review = std::make_unique<RunMemo>();
  BuildModel during = analyze(f, kb, o, *review);
  BuildModel after = analyze(f, kb, o, *review);
  const size_t with_gosu = drops(runtime_facts(f, analyze(f, kb, o), {}, dir));
  EXPECT_GT(with_gosu, 0u);
  EXPECT_EQ(drops(runtime_facts(f, during, {}, dir)), with_gosu);
  write("#!/bin/sh\nexec \"$@\"\n");
  BuildModel again = analyze(f, kb, o, *review);
  EXPECT_EQ(drops(runtime_facts(f, again, {}, dir)), with_gosu);  // read once in the review
  review.reset();
  EXPECT_EQ(drops(runtime_facts(f, after, {}, dir)), 0u);  // the review is over: read afresh
}

std::string evidence_text(const Evidence& e) {
  return e.reason + "|" + (e.instruction ? std::to_string(*e.instruction) : "-") + "|" + std::to_string(e.line) + "|" +
         e.script + ":" + std::to_string(e.script_line) + "|" + e.source;
}

std::string command_text(const EffectiveCommand& c) {
  auto list = [](const std::vector<std::string>& v) {
    std::string out;
    for (const auto& x : v) out += "[" + x + "]";
    return out;
  };
  return std::to_string(static_cast<int>(c.origin)) + " " + list(c.entrypoint) + " " + list(c.cmd) + " " + list(c.argv) +
         (c.own ? " own " : " ") + evidence_text(c.evidence) + " " + c.process + " " + c.wrapper + " " + c.interpreted +
         " " + list(c.exits_first) + " " + std::to_string(static_cast<int>(c.kind)) + " " + c.kind_reason;
}

std::string apt_text(const AptFact& a) {
  return a.release + " " + a.apt_version + " " + (a.retries_default ? std::to_string(*a.retries_default) : "-") + " " +
         evidence_text(a.evidence);
}

// Every field of the facts as text, evidence included.
std::string facts_text(const RuntimeFacts& rf) {
  std::string out = "stage " + std::to_string(rf.stage) + "\ncommand " + command_text(rf.command) + "\n";
  auto uid = [](const std::optional<uint32_t>& u) { return u ? std::to_string(*u) : std::string("-"); };
  for (const auto& d : rf.privilege_drops) out += "drop " + d.tool + " " + d.user + " " + evidence_text(d.evidence) + "\n";
  auto port = [&](const PortFact& p) {
    return std::to_string(p.port) + "/" + p.protocol + " " + std::to_string(static_cast<int>(p.source)) + " " +
           evidence_text(p.evidence);
  };
  for (const auto& p : rf.ports) out += "port " + port(p) + "\n";
  if (rf.probe_port) out += "probe " + port(*rf.probe_port) + "\n";
  for (const auto& sp : rf.root_state) out += "state " + sp.path + " " + sp.created_by + " " + evidence_text(sp.evidence) + "\n";
  for (const auto& v : rf.volumes)
    out += "volume " + v.path + " " + (v.instruction ? std::to_string(*v.instruction) : "-") + " " + evidence_text(v.evidence) + "\n";
  for (const auto& c : rf.capabilities) out += "cap " + c.program + " " + c.capability + " " + evidence_text(c.evidence) + "\n";
  if (rf.generated) out += "generated " + evidence_text(*rf.generated) + "\n";
  for (const auto& u : rf.users)
    out += "user " + u.name + " " + uid(u.uid) + " " + u.origin + (u.deleted ? " deleted " : " ") + evidence_text(u.evidence) + "\n";
  for (const auto& p : rf.packages)
    out += "package " + p.name + " " + p.manager + " " + std::to_string(p.instruction) + " " +
           (p.removed_at ? std::to_string(*p.removed_at) : "-") + " " + evidence_text(p.evidence) + "\n";
  for (const auto& t : rf.removed_tools) out += "removed " + t.tool + " " + evidence_text(t.evidence) + "\n";
  for (const auto& t : rf.user_tools) out += "user tool " + t.tool + " " + t.package + " " + evidence_text(t.evidence) + "\n";
  out += "family " + rf.family.family + (rf.family.inferred ? " inferred " : " ") + rf.family.package_manager + " " +
         evidence_text(rf.family.evidence) + "\n";
  out += "shell " + std::to_string(static_cast<int>(rf.shell.state)) + (rf.shell.inferred ? " inferred " : " ") +
         evidence_text(rf.shell.evidence) + "\n";
  return out + "apt " + apt_text(rf.apt) + "\n";
}

// runtime_command(), runtime_privilege_drops(), runtime_generated() and
// runtime_apt() computed on their own give what the whole facts give, for
// every stage of every corpus file (scripts read from the file's directory,
// as check does); the whole facts computed after them (reusing them) are
// those computed from scratch, field by field; once the whole facts are
// known they are handed out.
TEST(DerivedFacts, RuntimeCommandAndAptAreThoseOfTheWholeFacts) {
  const KnowledgeBase& kb = KnowledgeBase::builtin();
  size_t stages = 0;
  for (const auto& path : test::corpus_files()) {
    const Dockerfile f = parse(test::read_file(path), path.string());
    Options o;
    o.context = path.parent_path();
    const BuildModel parts = analyze(f, kb, o), whole = analyze(f, kb, o);
    std::vector<std::optional<size_t>> asked{std::nullopt, whole.stages.size()};  // the final stage, and none
    for (size_t s = 0; s < whole.stages.size(); ++s) asked.push_back(s);
    for (auto s : asked) {
      ++stages;
      const EffectiveCommand& command = runtime_command(f, parts, s, o.context);
      const AptFact& apt = runtime_apt(f, parts, s, o.context);
      const std::vector<PrivilegeDrop>& drops = runtime_privilege_drops(f, parts, s, o.context);
      const std::optional<Evidence>& generated = runtime_generated(f, parts, s, o.context);
      const RuntimeFacts& rf = runtime_facts(f, whole, s, o.context);
      const std::string where = path.string() + " stage " + (s ? std::to_string(*s) : "final");
      ASSERT_EQ(command_text(command), command_text(rf.command)) << where;
      ASSERT_EQ(apt_text(apt), apt_text(rf.apt)) << where;
      ASSERT_EQ(drops.size(), rf.privilege_drops.size()) << where;
      for (size_t k = 0; k < drops.size(); ++k)
        ASSERT_EQ(drops[k].tool + " " + drops[k].user + " " + evidence_text(drops[k].evidence),
                  rf.privilege_drops[k].tool + " " + rf.privilege_drops[k].user + " " + evidence_text(rf.privilege_drops[k].evidence))
            << where;
      ASSERT_EQ(generated.has_value(), rf.generated.has_value()) << where;
      if (generated) ASSERT_EQ(evidence_text(*generated), evidence_text(*rf.generated)) << where;
      // nonroot-final-user asks these parts first: what they refuse for is
      // what the whole facts refuse for.
      if (auto early = fix::needs_root(generated, command, drops)) ASSERT_EQ(early, fix::needs_root(rf)) << where;
      // The whole facts of `parts` are made from the parts kept: the same.
      const RuntimeFacts& reused = runtime_facts(f, parts, s, o.context);
      ASSERT_EQ(facts_text(reused), facts_text(rf)) << where;
      EXPECT_EQ(&runtime_command(f, whole, s, o.context), &rf.command);
      EXPECT_EQ(&runtime_apt(f, whole, s, o.context), &rf.apt);
      EXPECT_EQ(&runtime_privilege_drops(f, whole, s, o.context), &rf.privilege_drops);
      EXPECT_EQ(&runtime_generated(f, whole, s, o.context), &rf.generated);
    }
  }
  EXPECT_GT(stages, 10000u) << "corpus missing at " << test::corpus_dir();
}

// A RUN that runs a script is reused when the COPYs before it copied the
// same script (moved, or with other COPYs around it), and analysed again
// when they no longer copy it: each time what a fresh analysis gives.
TEST(RunMemo, ARunReadingAScriptIsReusedWhileTheSameScriptIsCopied) {
  const fs::path dir = fs::path(testing::TempDir()) / "run_memo_same_copy";
  fs::create_directories(dir);
  std::ofstream(dir / "install.sh") << "apt-get install -y curl\nuseradd -m app\n";
  Options o;
  o.context = dir;
  const KnowledgeBase& kb = KnowledgeBase::builtin();
  const std::string run = "USER 1000\nRUN sh /setup.sh && ./go.sh\n";
  const std::vector<std::string> versions{
      "FROM debian:bookworm\nCOPY install.sh /setup.sh\n" + run,
      "FROM debian:bookworm\nLABEL a=b\nCOPY install.sh /setup.sh\n" + run,            // moved
      "FROM debian:bookworm\nCOPY install.sh /setup.sh\nCOPY x /opt/x\n" + run,        // another COPY
      "FROM debian:bookworm\nCOPY install.sh /setup.sh\nCOPY go.sh /go.sh\n" + run,    // one it looks up
      "FROM debian:bookworm\n" + run,                                                   // not copied any more
      "FROM debian:bookworm\nCOPY install.sh /setup.sh\n" + run};
  RunMemo memo;
  for (const auto& text : versions) {
    Dockerfile f = parse(text);
    const std::string memoised = run_facts(analyze(f, kb, o, memo));
    EXPECT_EQ(memoised, run_facts(analyze(f, kb, o))) << text;
    EXPECT_EQ(memoised.find("package-install") != std::string::npos, text.find("install.sh") != std::string::npos) << text;
  }
}

TEST(DerivedFacts, RuntimeFactsAreComputedOncePerModelAndAfreshForACopy) {
  Dockerfile f = parse("FROM node:20\nEXPOSE 3000\nCMD [\"node\", \"server.js\"]\n");
  BuildModel m = analyze(f, KnowledgeBase::builtin(), {});
  const RuntimeFacts& a = runtime_facts(f, m);
  EXPECT_EQ(&a, &runtime_facts(f, m));
  EXPECT_EQ(&a, &runtime_facts(f, m, 0));  // the final stage, named
  // A copy may be changed: it keeps none of the original's answers.
  BuildModel copy = m;
  copy.stages[0].facts = nullptr;
  const RuntimeFacts& b = runtime_facts(f, copy);
  EXPECT_NE(&a, &b);
  // Without the knowledge base's entry the family is inferred, or unknown.
  EXPECT_TRUE(a.family.family != b.family.family || a.family.inferred != b.family.inferred);
}

}  // namespace
}  // namespace dockerfix::model
