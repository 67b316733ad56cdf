// The engine itself (rounds, convergence, verification, edits) and the seed
// Dockerfiles end to end. Each rule's own cases are fixture folders under
// transforms/rules/<id>/cases/, run by rule_cases_test.cpp.
#include <gtest/gtest.h>

#include "cli/finding_text.h"
#include "dockerfix/fix.h"
#include "tests/test_support.h"
#include "transforms/rule_support.h"

namespace dockerfix::fix {
namespace {

// ---------------------------------------------------------------- seeds end to end
// Issue 13: whether openab needs root is not known, so its USER change is
// unsafe (made by --unsafe-fixes, as the human fix did); the retries are
// safe. openab is not known to be a service, so no HEALTHCHECK is guessed.
TEST(Seeds, Seed002OpenabNodeDockerfile) {
  std::string before = test::read_file(test::corpus_dir() / "openabdev__openab" / "before-pr73__Dockerfile.claude");
  const auto& kb = model::KnowledgeBase::builtin();
  std::string safe = fix(before, "Dockerfile.claude", kb, {}, {}).text;
  EXPECT_NE(safe.find("npm --fetch-retries=3 install"), std::string::npos);
  EXPECT_EQ(safe.find("\nUSER "), std::string::npos);
  std::string after = fix(before, "Dockerfile.claude", kb, {}, {}, FixScope{true}).text;
  EXPECT_NE(after.find("\nUSER node\n"), std::string::npos);
  EXPECT_EQ(after.find("HEALTHCHECK"), std::string::npos);
  EXPECT_EQ(after.find("useradd"), std::string::npos);  // node (uid 1000) is reused, not duplicated
  EXPECT_LT(after.find("USER node"), after.find("ENTRYPOINT"));
}

TEST(Seeds, Seed002OpenabDebianDockerfile) {
  std::string before = test::read_file(test::corpus_dir() / "openabdev__openab" / "before-pr73__Dockerfile");
  const auto& kb = model::KnowledgeBase::builtin();
  std::string safe = fix(before, "Dockerfile", kb, {}, {}).text;
  EXPECT_NE(safe.find("curl --retry 3 --retry-delay 5"), std::string::npos);
  EXPECT_EQ(safe.find("useradd"), std::string::npos);
  EXPECT_EQ(safe.find("Acquire::Retries"), std::string::npos);  // bookworm's apt retries 3 times already
  std::string after = fix(before, "Dockerfile", kb, {}, {}, FixScope{true}).text;
  EXPECT_NE(after.find("useradd -m -u 1000"), std::string::npos);
  EXPECT_NE(after.find("\nUSER agent\n"), std::string::npos);
}

TEST(Seeds, Seed000PixelArchScripts) {
  auto dir = std::filesystem::path(DOCKERFIX_SOURCE_DIR) / "corpus" / "seed000-pixelarch";
  Options o;
  o.model.context = dir;
  Selection s;
  s.only = {"root-for-privileged-steps"};
  std::string before = test::read_file(dir / "Dockerfile");
  std::string after = fix(before, "Dockerfile", model::KnowledgeBase::builtin(), o, s).text;
  auto root = after.find("USER root\nRUN /bin/bash /tmp/desktop_install.sh");
  ASSERT_NE(root, std::string::npos) << after;
  EXPECT_NE(after.find("rm -f /tmp/desktop_install.sh /tmp/desktop_setup.sh\nUSER midori-ai\n"), std::string::npos) << after;
}

// A rule that inserts a comment on every run: it never reaches a fixed point.
class NeverSettles : public Rule {
 public:
  const RuleInfo& info() const override {
    static constexpr RuleInfo kInfo{.id = "never-settles", .title = "test rule"};
    return kInfo;
  }
  std::vector<Finding> check(const Context& ctx) const override {
    Finding f = make_finding(ctx.file, id(), "again", ctx.file.instructions.front().keyword_span);
    f.fix.push_back(append_line(ctx.file, "# once more", ctx.style));
    return {f};
  }
};

TEST(Engine, AFixThatDoesNotConvergeIsDroppedAndReported) {
  std::vector<std::unique_ptr<Rule>> rules;
  rules.push_back(std::make_unique<NeverSettles>());
  rules.push_back(find_rule("network-retry")->make());
  std::string src = "FROM debian:12\nRUN curl -o x https://x\n";
  auto r = fix(parse(src), model::KnowledgeBase::builtin(), {}, {}, rules);
  EXPECT_EQ(r.text.find("# once more"), std::string::npos) << r.text;
  EXPECT_NE(r.text.find("curl --retry 3"), std::string::npos) << "the rule that settles is still applied";
  ASSERT_EQ(r.rejected.size(), 1u);
  EXPECT_EQ(r.rejected[0].rfind("never-settles: ", 0), 0u) << r.rejected[0];
  EXPECT_NE(r.rejected[0].find("converge"), std::string::npos) << r.rejected[0];
}

TEST(Edits, ManyEditsOverlapChecksAndOrder) {
  Edits e;
  EXPECT_TRUE(e.add({{10, 20}, "a"}));
  EXPECT_FALSE(e.add({{15, 25}, "b"}));  // overlaps
  EXPECT_FALSE(e.add({{12, 12}, "c"}));  // insertion inside a replacement
  EXPECT_FALSE(e.add({{5, 30}, "d"}));   // swallows it
  EXPECT_TRUE(e.add({{10, 10}, "<"}));   // at either end is fine
  EXPECT_TRUE(e.add({{20, 20}, ">"}));
  EXPECT_TRUE(e.add({{20, 20}, ">>"}));  // two at one offset keep their order
  EXPECT_FALSE(e.add_all({{{0, 0}, "x"}, {{18, 22}, "y"}}));
  EXPECT_TRUE(e.add_all({{{0, 0}, "x"}, {{25, 26}, "y"}}));
  std::string original(30, '.');
  EXPECT_EQ(e.apply(original), "x..........<a>>>.....y....");
}


// ---------------------------------------------------------------- applicability
// A test rule that appends `LABEL key=value` to a file without `LABEL key`,
// reporting "no label" at its first instruction; `info` says how it fixes.
class AppendsLabel : public Rule {
 public:
  AppendsLabel(const RuleInfo& info, std::string key, std::string value)
      : info_(info), key_(std::move(key)), value_(std::move(value)) {}
  const RuleInfo& info() const override { return info_; }
  std::vector<Finding> check(const Context& ctx) const override {
    if (ctx.file.source.find("LABEL " + key_) != std::string::npos) return {};
    Finding f = make_finding(ctx.file, id(), "no label", ctx.file.instructions.front().keyword_span);
    f.fix.push_back(append_line(ctx.file, "LABEL " + key_ + "=" + value_, ctx.style));
    return {f};
  }

 private:
  const RuleInfo& info_;
  std::string key_, value_;
};

// A test rule whose fix is unsafe.
constexpr RuleInfo kUnsafeLabel{.id = "unsafe-label", .title = "test rule", .applicability = Applicability::Unsafe};
std::unique_ptr<Rule> unsafe_label() { return std::make_unique<AppendsLabel>(kUnsafeLabel, "unsafe", "yes"); }

TEST(Applicability, UnsafeFixesOnlyWithUnsafeFixes) {
  std::vector<std::unique_ptr<Rule>> rules;
  rules.push_back(unsafe_label());
  rules.push_back(find_rule("network-retry")->make());
  const auto& kb = model::KnowledgeBase::builtin();
  const std::string src = "FROM debian:12\nRUN curl -o x https://x\n";
  auto safe = fix(parse(src), kb, {}, {}, rules);
  EXPECT_EQ(safe.text, "FROM debian:12\nRUN curl --retry 3 --retry-delay 5 -o x https://x\n");
  ASSERT_EQ(safe.unfixed.size(), 1u);
  EXPECT_EQ(safe.unfixed[0].applicability, Applicability::Unsafe);
  auto unsafe = fix(parse(src), kb, {}, {}, rules, FixScope{true});
  EXPECT_EQ(unsafe.text, "FROM debian:12\nRUN curl --retry 3 --retry-delay 5 -o x https://x\nLABEL unsafe=yes\n");
  EXPECT_EQ(unsafe.applied.size(), 2u);

  // check: the safe fix is [*], the unsafe one [unsafe], and the summary counts it apart.
  Review r = review(parse(src), kb, {}, {}, rules);
  ASSERT_EQ(r.findings.size(), 2u);
  EXPECT_EQ(r.fixable, 1u);
  EXPECT_EQ(r.more_with_unsafe, 1u);
  EXPECT_EQ(cli::finding_text("", r.findings[0], false), "1:1 unsafe-label no label [unsafe] (warning)\n");
  EXPECT_EQ(cli::finding_text("", r.findings[1], false),
            "2:5 network-retry curl without retries: add --retry 3 --retry-delay 5 [*] (info)\n");
  EXPECT_EQ(cli::summary_text(r.findings.size(), r.fixable, r.more_with_unsafe),
            "2 findings, 1 fixable (1 more with --unsafe-fixes)\n");
  Review all = review(parse(src), kb, {}, {}, rules, FixScope{true});
  EXPECT_EQ(all.fixable, 2u);
  EXPECT_EQ(all.more_with_unsafe, 0u);
  EXPECT_EQ(all.fixed.text, unsafe.text);

  // Without the count (JSON, SARIF, -q: nothing shows it) the second
  // fixed-point run is skipped; findings and fixes are the same.
  Review uncounted = review(parse(src), kb, {}, {}, rules, FixScope{}, false);
  EXPECT_EQ(uncounted.more_with_unsafe, 0u);
  EXPECT_EQ(uncounted.fixable, r.fixable);
  ASSERT_EQ(uncounted.findings.size(), r.findings.size());
  for (size_t i = 0; i < r.findings.size(); ++i)
    EXPECT_EQ(cli::finding_text("", uncounted.findings[i], false), cli::finding_text("", r.findings[i], false));
  EXPECT_EQ(uncounted.fixed.text, r.fixed.text);
}

// A test rule that says it never fixes, yet offers a fix.
constexpr RuleInfo kClaimsNever{.id = "claims-never", .title = "test rule", .fix = FixAvailability::Never};

// The fix loop skips rules that never fix on the texts it makes, so the
// engine holds a rule to what it declares: its fix is never made, neither
// on the file as read nor after another rule's fix, and check offers none.
TEST(Engine, ARuleThatNeverFixesMakesNoFix) {
  std::vector<std::unique_ptr<Rule>> rules;
  rules.push_back(find_rule("network-retry")->make());
  rules.push_back(std::make_unique<AppendsLabel>(kClaimsNever, "x", "y"));
  const auto& kb = model::KnowledgeBase::builtin();
  const std::string src = "FROM debian:12\nRUN curl -o x https://x\n";
  for (FixScope scope : {FixScope{}, FixScope{true}}) {
    auto fixed = fix(parse(src), kb, {}, {}, rules, scope);
    EXPECT_EQ(fixed.text, "FROM debian:12\nRUN curl --retry 3 --retry-delay 5 -o x https://x\n");
    ASSERT_EQ(fixed.unfixed.size(), 1u);  // still reported on the fixed text
    EXPECT_EQ(fixed.unfixed[0].rule, "claims-never");
    EXPECT_TRUE(fixed.unfixed[0].fix.empty());
    Review r = review(parse(src), kb, {}, {}, rules, scope);
    ASSERT_EQ(r.findings.size(), 2u);
    EXPECT_EQ(r.fixable, 1u);
    EXPECT_EQ(r.more_with_unsafe, 0u);
    for (const auto& f : r.findings)
      if (f.rule == "claims-never") EXPECT_TRUE(f.fix.empty() && !f.will_fix);
  }
}

// ---------------------------------------------------------------- check lists what apply does
TEST(Review, FixesThatAppearAfterAnotherRulesFixAreListed) {
  // copy-chown has nothing to do until nonroot-final-user makes the image run as agent.
  // gunicorn: a service that runs unprivileged, so the USER change is safe (issue 13).
  const std::string src = "FROM debian:12\nCOPY app /home/agent/app\nCMD [\"gunicorn\", \"app:app\"]\n";
  Selection s;
  s.only = {"nonroot-final-user", "copy-chown"};
  const auto& kb = model::KnowledgeBase::builtin();
  auto before = check(parse(src), kb, {}, s);
  ASSERT_EQ(before.size(), 1u);  // what check listed before issue 12
  Review r = review(parse(src), kb, {}, s);
  ASSERT_EQ(r.findings.size(), 2u);
  EXPECT_EQ(r.fixable, 2u);
  const Finding& later = r.findings[1];
  EXPECT_EQ(later.rule, "copy-chown");
  EXPECT_TRUE(later.after_other_fixes);
  EXPECT_EQ(later.line, 2);  // mapped back to the file as read
  EXPECT_EQ(later.column, 1);
  auto applied = fix(src, "Dockerfile", kb, {}, s);
  EXPECT_EQ(applied.applied.size(), r.fixable);
  EXPECT_EQ(applied.text, r.fixed.text);
  EXPECT_NE(applied.text.find("COPY --chown="), std::string::npos) << applied.text;
}

// ---------------------------------------------------------------- instruction mapping
// A rule that turns MAINTAINER into a LABEL; declaring the keyword change
// lets the engine match the instruction, else the fix is dropped.
class MaintainerToLabel : public Rule {
 public:
  explicit MaintainerToLabel(bool declare) : declare_(declare) {}
  const RuleInfo& info() const override {
    static constexpr RuleInfo kInfo{.id = "maintainer-label", .title = "test rule"};
    return kInfo;
  }
  std::vector<Finding> check(const Context& ctx) const override {
    std::vector<Finding> out;
    for (size_t i = 0; i < ctx.file.instructions.size(); ++i) {
      const auto& ins = ctx.file.instructions[i];
      if (ins.keyword != "MAINTAINER") continue;
      Finding f = make_finding(ctx.file, id(), "MAINTAINER is deprecated", ins.keyword_span);
      f.fix.push_back({{ins.keyword_span.begin, ins.arguments_span.end},
                       "LABEL org.opencontainers.image.authors=" + shell_word(ins.arguments)});
      if (declare_) f.changes.push_back({i, "LABEL"});
      out.push_back(std::move(f));
    }
    return out;
  }

 private:
  bool declare_;
};

// A rule that joins two adjacent RUNs into one.
class MergeRuns : public Rule {
 public:
  const RuleInfo& info() const override {
    static constexpr RuleInfo kInfo{.id = "merge-runs", .title = "test rule"};
    return kInfo;
  }
  std::vector<Finding> check(const Context& ctx) const override {
    const auto& ins = ctx.file.instructions;
    for (size_t i = 1; i < ins.size(); ++i) {
      if (ins[i - 1].keyword != "RUN" || ins[i].keyword != "RUN") continue;
      Finding f = make_finding(ctx.file, id(), "two RUNs", ins[i].keyword_span);
      f.fix.push_back({{ins[i - 1].arguments_span.end, ins[i].arguments_span.begin}, " && "});
      f.changes.push_back({i, "", true});
      return {f};
    }
    return {};
  }
};

TEST(Engine, ARuleDeclaresHowItChangesInstructions) {
  const auto& kb = model::KnowledgeBase::builtin();
  const std::string src = "FROM debian:12\nMAINTAINER Jane Doe <jane@example.com>\nRUN true\n";
  for (bool declare : {false, true}) {
    std::vector<std::unique_ptr<Rule>> rules;
    rules.push_back(std::make_unique<MaintainerToLabel>(declare));
    auto r = fix(parse(src), kb, {}, {}, rules);
    if (!declare) {
      EXPECT_EQ(r.text, src);
      ASSERT_EQ(r.rejected.size(), 1u);
      EXPECT_NE(r.rejected[0].find("changed instructions it did not mean to"), std::string::npos) << r.rejected[0];
    } else {
      EXPECT_EQ(r.text, "FROM debian:12\nLABEL org.opencontainers.image.authors='Jane Doe <jane@example.com>'\nRUN true\n");
      EXPECT_TRUE(r.rejected.empty()) << r.rejected[0];
    }
  }
  std::vector<std::unique_ptr<Rule>> merge;
  merge.push_back(std::make_unique<MergeRuns>());
  auto m = fix(parse("FROM debian:12\nRUN a\nRUN b\nCMD [\"x\"]\n"), kb, {}, {}, merge);
  EXPECT_EQ(m.text, "FROM debian:12\nRUN a && b\nCMD [\"x\"]\n");
  EXPECT_TRUE(m.rejected.empty()) << m.rejected[0];
}
}  // namespace
}  // namespace dockerfix::fix
