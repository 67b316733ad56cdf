// Issue 13: fixes a maintainer merges unchanged. A fix that appears only
// after an unsafe fix is unsafe too (no --chown for a USER that only
// --unsafe-fixes adds), and over the corpus network-retry adds no flag that
// equals its tool's default or lowers it.
#include <gtest/gtest.h>

#include <regex>

#include "dockerfix/fix.h"
#include "dockerfix/runtime_facts.h"
#include "tests/test_support.h"

namespace dockerfix::fix {
namespace {

const char* kApp =
    "FROM debian:bookworm-slim\n"
    "WORKDIR /app\n"
    "COPY . /app\n"
    "CMD [\"/app/run\"]\n";

TEST(Precision, SafeApplyNeverChownsForAUserOnlyAnUnsafeFixAdds) {
  const auto& kb = model::KnowledgeBase::builtin();
  auto safe = fix(kApp, "Dockerfile", kb, {}, {});
  EXPECT_EQ(safe.text.find("USER"), std::string::npos) << safe.text;
  EXPECT_EQ(safe.text.find("chown"), std::string::npos) << safe.text;

  auto unsafe = fix(kApp, "Dockerfile", kb, {}, {}, FixScope{true});
  EXPECT_NE(unsafe.text.find("USER agent"), std::string::npos) << unsafe.text;
  EXPECT_NE(unsafe.text.find("COPY --chown=1000:1000 . /app"), std::string::npos) << unsafe.text;
  size_t dependent = 0;
  for (const auto& f : unsafe.applied)
    if (f.rule == "copy-chown" || f.rule == "workdir-owner") {
      ++dependent;
      EXPECT_EQ(f.applicability, Applicability::Unsafe) << f.rule << " depends on the unsafe USER change";
    }
  EXPECT_GE(dependent, 1u) << unsafe.text;

  // check with --unsafe-fixes marks the fixes that follow it unsafe too.
  Review r = review(parse(kApp, "Dockerfile"), kb, {}, {}, FixScope{true});
  for (const auto& f : r.findings)
    if (f.after_other_fixes) EXPECT_EQ(f.applicability, Applicability::Unsafe) << f.rule << ": " << f.message;
}

TEST(Precision, AFixAlreadyThereBeforeAnUnsafeFixStaysSafe) {
  const auto& kb = model::KnowledgeBase::builtin();
  const std::string src = std::string(kApp) + "RUN curl -fsSL -o /tmp/x https://example.com/x\n";
  auto unsafe = fix(src, "Dockerfile", kb, {}, {}, FixScope{true});
  bool curl = false;
  for (const auto& f : unsafe.applied)
    if (f.rule == "network-retry") {
      curl = true;
      EXPECT_EQ(f.applicability, Applicability::Safe);
    }
  EXPECT_TRUE(curl) << unsafe.text;
}

// The retries a flag written by network-retry asks for, and the tool's
// default; apt's depends on the stage's release.
struct Added {
  std::string tool;
  int value = 0;
};

std::optional<Added> parse_added(const std::string& text) {
  static const std::regex curl(R"(--retry (\d+) --retry-delay)"), wget(R"(--tries=(\d+))"),
      apt(R"(-o Acquire::Retries=(\d+))"), npm(R"(--fetch-retries=(\d+))"), pip(R"(--retries (\d+))");
  std::smatch m;
  for (auto [re, tool] : {std::pair{&curl, "curl"}, {&wget, "wget"}, {&apt, "apt"}, {&npm, "npm"}, {&pip, "pip"}})
    if (std::regex_search(text, m, *re)) return Added{tool, std::stoi(m[1])};
  return std::nullopt;
}

TEST(Precision, NetworkRetryAddsNoFlagThatChangesNothingOverTheCorpus) {
  const auto& kb = model::KnowledgeBase::builtin();
  Selection only;
  only.only = {"network-retry"};
  size_t files = 0, added = 0;
  std::vector<std::string> failures;
  for (const auto& path : test::corpus_files()) {
    const std::string src = test::read_file(path);
    Dockerfile parsed = parse(src, path.string());
    if (parsed.has_errors()) continue;
    ++files;
    auto result = fix(parsed, kb, {}, only);
    // Every fix is applied in the first round, on the file as read.
    auto m = model::analyze(parsed, kb, {});
    for (const auto& f : result.applied) {
      for (const auto& e : f.fix) {
        if (e.text.empty()) continue;  // APT:: removed from APT::Acquire::Retries
        auto a = parse_added(e.text);
        if (!a) {
          if (e.text.rfind("--fetch-retries=", 0) != 0) failures.push_back(path.string() + ": unexpected text " + e.text);
          continue;
        }
        ++added;
        int def = 0;
        if (a->tool == "apt") {
          const model::Step* step = nullptr;
          for (const auto& st : m.steps)
            if (parsed.instructions[st.instruction].span.begin <= e.range.begin &&
                e.range.begin <= parsed.instructions[st.instruction].span.end)
              step = &st;
          auto d = step ? model::runtime_facts(parsed, m, step->stage).apt.retries_default : std::nullopt;
          if (!d) {
            failures.push_back(path.string() + ": apt retries added where apt's release is not known");
            continue;
          }
          def = *d;
        } else {
          auto d = model::download_retry_default(a->tool);
          ASSERT_TRUE(d) << a->tool;
          def = d->retries;
        }
        int retries = a->tool == "wget" ? a->value - 1 : a->value;  // --tries counts the first try
        if (retries <= def)
          failures.push_back(path.string() + ": " + e.text + " does not raise " + a->tool + "'s default of " +
                             std::to_string(def) + " retries");
      }
    }
  }
  std::cout << "network-retry: " << added << " flags added in " << files << " corpus files\n";
  EXPECT_GT(files, 5900u);
  EXPECT_GT(added, 1000u);  // curl downloads are everywhere: the rule still works
  for (size_t i = 0; i < std::min<size_t>(failures.size(), 30); ++i) ADD_FAILURE() << failures[i];
  EXPECT_TRUE(failures.empty()) << failures.size() << " flags that change nothing";
}

}  // namespace
}  // namespace dockerfix::fix
