// Fixes over the whole corpus: never crash, the result parses without new
// errors, every rule converges, a second run changes nothing, and no
// inserted USER names a user the model does not know.
#include <gtest/gtest.h>

#include <iostream>
#include <set>

#include "dockerfix/fix.h"
#include "tests/test_support.h"

namespace dockerfix::fix {
namespace {

size_t errors(const Dockerfile& f) {
  return static_cast<size_t>(std::count_if(f.diagnostics.begin(), f.diagnostics.end(),
                                           [](const Diagnostic& d) { return d.severity == dockerfix::Severity::Error; }));
}

TEST(FixCorpus, ApplyIsSafeAndIdempotent) {
  const auto& kb = model::KnowledgeBase::builtin();
  Options options;
  Selection all;
  size_t files = 0, changed = 0, rejected = 0;
  std::vector<std::string> failures;
  for (const auto& path : test::corpus_files()) {
    std::string src = test::read_file(path);
    auto first = fix(src, path.string(), kb, options, all);
    ++files;
    rejected += first.rejected.size();
    for (const auto& why : first.rejected)  // every rule settles on real files
      if (why.find("does not converge") != std::string::npos) failures.push_back(path.string() + ": " + why);
    if (first.text == src) continue;
    ++changed;
    Dockerfile before = parse(src), after = parse(first.text);
    if (errors(after) > errors(before)) failures.push_back(path.string() + ": new parse errors");
    auto second = fix(first.text, path.string(), kb, options, all);
    if (second.text != first.text) failures.push_back(path.string() + ": second apply changed the file");
    // Every USER the fix inserted names root, a number, or a user the model knows.
    auto m = model::analyze(after, kb, options.model);
    for (const auto& st : m.steps) {
      const auto& ins = after.instructions[st.instruction];
      if (ins.keyword != "USER" || before.source.find(std::string(after.text(ins.span))) != std::string::npos) continue;
      std::string name = ins.arguments.substr(0, ins.arguments.find(':'));
      bool numeric = !name.empty() && std::all_of(name.begin(), name.end(), ::isdigit);
      bool known = name == "root" || numeric;
      const auto& stage = m.stages[st.stage];
      for (const auto& u : stage.created_users) known = known || u.name == name;
      if (stage.facts)
        for (const auto& u : stage.facts->users) known = known || u.name == name;
      if (stage.facts && stage.facts->default_user) known = known || stage.facts->default_user->name == name;
      for (size_t i = 0; i < st.instruction; ++i)  // restoring a USER the file already set
        if (after.instructions[i].keyword == "USER" && after.instructions[i].arguments == ins.arguments) known = true;
      if (!known) failures.push_back(path.string() + ": inserted USER " + name + " that does not exist");
    }
  }
  std::cout << "fixes: " << changed << " of " << files << " corpus files changed, " << rejected
            << " fixes dropped by verification\n";
  EXPECT_GT(files, 5900u);
  EXPECT_GT(changed, 100u);
  for (size_t i = 0; i < std::min<size_t>(failures.size(), 40); ++i) ADD_FAILURE() << failures[i];
  EXPECT_TRUE(failures.empty()) << failures.size() << " failures in " << changed << " changed files";
}


// Issue 12: check lists every fix apply makes, also those that appear only
// after another rule's fix (copy-chown and workdir-owner once
// nonroot-final-user created the user), on a sample of the corpus.
TEST(FixCorpus, CheckListsEveryFixApplyMakes) {
  const auto& kb = model::KnowledgeBase::builtin();
  size_t files = 0, later = 0;
  std::vector<std::string> failures;
  const auto all = test::corpus_files();
  for (size_t i = 0; i < all.size(); i += 7) {
    std::string src = test::read_file(all[i]);
    Dockerfile parsed = parse(src, all[i].string());
    if (parsed.has_errors()) continue;
    ++files;
    // Safe fixes, and with --unsafe-fixes (most USER changes are unsafe since issue 13).
    for (FixScope scope : {FixScope{}, FixScope{true}}) {
      Review r = review(parsed, kb, {}, {}, scope);
      FixResult applied = fix(src, all[i].string(), kb, {}, {}, scope);
      std::multiset<std::string> listed, made;
      for (const auto& f : r.findings)
        if (f.will_fix) listed.insert(f.rule);
      for (const auto& f : r.findings) later += f.after_other_fixes ? 1 : 0;
      for (const auto& f : applied.applied) made.insert(f.rule);
      if (listed != made || r.fixed.text != applied.text) failures.push_back(all[i].string());
    }
  }
  std::cout << "check vs apply: " << files << " files, " << later << " fixes listed only once other fixes are made\n";
  EXPECT_GT(files, 800u);
  EXPECT_GT(later, 50u);
  for (size_t i = 0; i < std::min<size_t>(failures.size(), 20); ++i) ADD_FAILURE() << failures[i];
}

// The fix loop runs a rule on the texts it makes only when the rule can fix
// (engine.cpp, Baseline::may_fix), and the engine drops any fix of a rule
// that says it never fixes. Both are exact only while no such rule offers a
// fix: every rule declared `fix: never`, on every corpus file as read and as
// fixed with --unsafe-fixes (the texts the loop meets), offers none.
TEST(FixCorpus, RulesThatNeverFixOfferNoFix) {
  const auto& kb = model::KnowledgeBase::builtin();
  const Options options;
  std::vector<const Rule*> never;
  for (const auto& r : registry())
    if (r->info().fix == FixAvailability::Never) never.push_back(r.get());
  ASSERT_GT(never.size(), 20u);
  size_t found = 0;
  std::vector<std::string> failures;
  for (const auto& path : test::corpus_files()) {
    std::string src = test::read_file(path);
    for (std::string text : {src, fix(src, path.string(), kb, options, {}, FixScope{true}).text}) {
      Dockerfile file = parse(text, path.string());
      model::BuildModel m = model::analyze(file, kb, options.model);
      Context ctx{file, m, options, style_of(file)};
      for (const Rule* r : never)
        for (const auto& f : r->check(ctx)) {
          ++found;
          if (!f.fix.empty() || !f.changes.empty()) failures.push_back(path.string() + ": " + f.rule + " offers a fix");
        }
    }
  }
  std::cout << "rules that never fix: " << never.size() << " rules, " << found << " findings\n";
  EXPECT_GT(found, 1000u);
  for (size_t i = 0; i < std::min<size_t>(failures.size(), 20); ++i) ADD_FAILURE() << failures[i];
}
}  // namespace
}  // namespace dockerfix::fix
