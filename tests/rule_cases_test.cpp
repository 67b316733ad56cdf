// Every rule's fixtures: transforms/rules/<id>/cases/<name>/ holds
//   Dockerfile                the input
//   findings.txt              what `check --rule <id>` prints for it, without the path
//                             (`LINE:COL RULE MESSAGE [*]`), exactly
//   Dockerfile.fixed          what `apply --rule <id>` writes (absent: nothing changes)
//   Dockerfile.unsafe-fixed   what `apply --unsafe-fixes` writes, where it differs
//   .dockerfix.yaml           optional: the rule's options
//   context/                  optional: the build context (scripts a RUN runs)
//   dockerfix.lock            optional: learned image facts and digests, as beside a config
// and each fixed text must hold no fixable finding of the rule and be a fixed
// point. DOCKERFIX_UPDATE_CASES=1 rewrites findings.txt; =all also the fixed
// texts (review the diff before committing).
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "cli/config.h"
#include "cli/finding_text.h"
#include "dockerfix/fix.h"
#include "dockerfix/lock.h"
#include "dockerfix/rule_info.h"
#include "tests/test_support.h"

namespace dockerfix::fix {
namespace {

namespace fs = std::filesystem;

fs::path rules_dir() { return fs::path(DOCKERFIX_SOURCE_DIR) / "transforms" / "rules"; }

std::vector<fs::path> all_cases() {
  std::vector<fs::path> out;
  for (const auto& rule : fs::directory_iterator(rules_dir())) {
    if (!fs::is_directory(rule.path() / "cases")) continue;
    for (const auto& c : fs::directory_iterator(rule.path() / "cases"))
      if (fs::is_regular_file(c.path() / "Dockerfile")) out.push_back(c.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::optional<std::string> read_if(const fs::path& p) {
  if (!fs::is_regular_file(p)) return std::nullopt;
  return test::read_file(p);
}

void write(const fs::path& p, const std::string& text) { std::ofstream(p, std::ios::binary) << text; }

const char* update_mode() {
  const char* v = std::getenv("DOCKERFIX_UPDATE_CASES");
  return v ? v : "";
}

// The rule's options from the case's .dockerfix.yaml, read as the CLI reads them.
Options options_of(const fs::path& dir) {
  Options o;
  if (auto yaml = read_if(dir / ".dockerfix.yaml")) {
    auto config = cli::parse_config(*yaml, (dir / ".dockerfix.yaml").string(), dir);
    for (const auto& [setting, value] : config.settings)
      for (const RuleInfo* r : rule_table())
        for (const auto& option : r->options)
          if (option.setting == setting) set_option(o, option, value.text);
    cli::apply_rule_settings(config, o);  // trusted-registries, label-schema, strict-labels
  }
  if (fs::is_directory(dir / "context")) o.model.context = dir / "context";
  if (fs::is_regular_file(dir / "dockerfix.lock"))
    o.model.lock = std::make_shared<const model::Lock>(model::read_lock(dir / "dockerfix.lock"));
  return o;
}

// The shipped knowledge, with the case's lock in front as the CLI puts it.
model::KnowledgeBase knowledge_of(const Options& o) {
  model::KnowledgeBase kb = model::KnowledgeBase::builtin();
  if (o.model.lock) kb.prepend(model::lock_knowledge(*o.model.lock));
  return kb;
}

std::string findings_text(const Review& r) {
  std::string out;
  for (const auto& f : r.findings) out += cli::finding_text("", f, false);
  return out;
}

class RuleCase : public ::testing::TestWithParam<fs::path> {};

TEST_P(RuleCase, FindingsAndFixesAreExactlyTheFixtures) {
  const fs::path dir = GetParam();
  const std::string rule = dir.parent_path().parent_path().filename().string();
  ASSERT_NE(find_rule(rule), nullptr) << "no rule " << rule << " in the rule table for " << dir;
  const Options o = options_of(dir);
  const model::KnowledgeBase kb = knowledge_of(o);
  Selection only;
  only.only = {rule};
  const std::string input = test::read_file(dir / "Dockerfile");
  Dockerfile parsed = parse(input, "Dockerfile");
  ASSERT_FALSE(parsed.has_errors()) << dir;

  Review safe = review(parsed, kb, o, only);
  Review unsafe = review(parsed, kb, o, only, FixScope{true});
  const std::string found = findings_text(safe);
  const std::string mode = update_mode();
  if (!mode.empty()) {
    write(dir / "findings.txt", found);
    if (mode == "all") {
      if (safe.fixed.text != input) write(dir / "Dockerfile.fixed", safe.fixed.text);
      if (unsafe.fixed.text != safe.fixed.text) write(dir / "Dockerfile.unsafe-fixed", unsafe.fixed.text);
    }
  }
  EXPECT_EQ(found, read_if(dir / "findings.txt").value_or("(no findings.txt)")) << dir;
  const std::string want = read_if(dir / "Dockerfile.fixed").value_or(input);
  EXPECT_EQ(safe.fixed.text, want) << dir << ": apply";
  EXPECT_EQ(unsafe.fixed.text, read_if(dir / "Dockerfile.unsafe-fixed").value_or(want)) << dir << ": apply --unsafe-fixes";
  EXPECT_TRUE(safe.fixed.rejected.empty()) << dir << ": " << safe.fixed.rejected.front();

  for (auto [text, scope] : {std::pair{safe.fixed.text, FixScope{}}, std::pair{unsafe.fixed.text, FixScope{true}}}) {
    Dockerfile again = parse(text, "Dockerfile");
    Review second = review(again, kb, o, only, scope);
    for (const auto& f : second.findings) EXPECT_FALSE(f.will_fix) << dir << ": a fixable finding is left: " << f.message;
    EXPECT_EQ(second.fixed.text, text) << dir << ": a second apply changes the file";
  }
}

std::string case_name(const ::testing::TestParamInfo<fs::path>& info) {
  std::string name = info.param.parent_path().parent_path().filename().string() + "_" + info.param.filename().string();
  for (char& c : name)
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  return name;
}

INSTANTIATE_TEST_SUITE_P(Cases, RuleCase, ::testing::ValuesIn(all_cases()), case_name);

// Every folder is a rule of the table with a page and cases; every rule of
// the table has its folder.
TEST(RuleFolders, MatchTheRuleTable) {
  std::set<std::string> folders;
  for (const auto& d : fs::directory_iterator(rules_dir()))
    if (d.is_directory()) folders.insert(d.path().filename().string());
  std::set<std::string> table;
  for (const RuleInfo* r : rule_table()) {
    table.emplace(r->id);
    const fs::path dir = rules_dir() / std::string(r->id);
    EXPECT_TRUE(fs::is_regular_file(dir / "rule.cpp")) << r->id;
    EXPECT_TRUE(fs::is_regular_file(dir / "README.md")) << r->id;
    ASSERT_NE(r->page, nullptr) << r->id;
    EXPECT_EQ(r->page(), test::read_file(dir / "README.md")) << r->id << ": the compiled-in page is stale";
    size_t cases = 0;
    if (fs::is_directory(dir / "cases"))
      for ([[maybe_unused]] const auto& c : fs::directory_iterator(dir / "cases")) ++cases;
    EXPECT_GE(cases, 1u) << r->id << " has no cases";
  }
  EXPECT_EQ(folders, table);
}

}  // namespace
}  // namespace dockerfix::fix
