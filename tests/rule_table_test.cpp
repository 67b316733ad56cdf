// Every list of rules outside the rule table is derived from it or checked
// against it here: the JSON schema's enum, the README table (both written by
// `dockerfix rules --write`), the committed
// docs/rules/ pages, the config keys, SARIF metadata, commit texts and the
// --rule/--skip names.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/config.h"
#include "cli/rule_docs.h"
#include "dockerfix/fix.h"
#include "dockerfix/rule_info.h"
#include "git/commit_message.h"
#include "tests/test_support.h"

namespace dockerfix::fix {
namespace {

namespace fs = std::filesystem;

const fs::path kSource = DOCKERFIX_SOURCE_DIR;

std::vector<std::string> ids() {
  std::vector<std::string> out;
  for (const RuleInfo* r : rule_table()) out.emplace_back(r->id);
  return out;
}

// Runs the CLI; its stdout.
std::string cli(const std::string& args, int* status = nullptr) {
  std::string out;
  FILE* p = popen((std::string("'") + DOCKERFIX_CLI + "' " + args + " 2>&1").c_str(), "r");
  char buf[4096];
  for (size_t n; (n = fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
  int rc = pclose(p);
  if (status) *status = WEXITSTATUS(rc);
  return out;
}

TEST(RuleTable, IdsAliasesAndRegistryAgree) {
  std::set<std::string> names;
  // The registry is the table's Dockerfile rules, in its order; repository
  // rules (k8s-*) have no Rule object: the CLI runs them over manifests.
  const auto& reg = registry();
  size_t next = 0;
  for (size_t i = 0; i < rule_table().size(); ++i) {
    const RuleInfo* r = rule_table()[i];
    EXPECT_EQ(r->make == nullptr, r->scope == Scope::Repository) << r->id;
    if (r->scope == Scope::Dockerfile) {
      ASSERT_LT(next, reg.size()) << r->id;
      EXPECT_EQ(reg[next]->id(), r->id) << "registry order is the table's";
      EXPECT_EQ(&reg[next]->info(), r);
      ++next;
    }
    EXPECT_FALSE(r->title.empty()) << r->id;
    EXPECT_FALSE(r->commit_phrase.empty()) << r->id;
    EXPECT_FALSE(r->why.empty()) << r->id;
    EXPECT_EQ(r->security, !r->security_severity.empty()) << r->id;
    auto lower = [](std::string_view s) {
      std::string o(s);
      for (char& c : o) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      return o;
    };
    EXPECT_TRUE(names.insert(lower(r->id)).second) << r->id;
    for (auto a : r->aliases) EXPECT_TRUE(names.insert(lower(a)).second) << "alias " << a << " names two rules";
    for (const auto& o : r->options) {
      EXPECT_EQ(option_problem(o, o.default_value), "") << r->id << "." << o.name << ": its default is refused";
      EXPECT_EQ(option_value(Options{}, o.setting), o.default_value) << r->id << "." << o.name;
    }
  }
  EXPECT_EQ(next, reg.size());
}

TEST(RuleTable, JsonSchemaEnumIsTheTable) {
  auto schema = nlohmann::json::parse(test::read_file(kSource / "docs" / "check-json.schema.json"));
  std::vector<std::string> listed = schema["$defs"]["finding"]["properties"]["rule"]["anyOf"][0]["enum"];
  EXPECT_EQ(listed, ids()) << "update docs/check-json.schema.json's rule enum (in table order)";
}

TEST(RuleTable, ReadmeTableIsTheTable) {
  std::string readme = test::read_file(kSource / "README.md");
  auto updated = cli::with_readme_rules(readme);
  ASSERT_TRUE(updated) << "README.md lacks the <!-- rules:begin --> / <!-- rules:end --> markers";
  EXPECT_EQ(*updated, readme) << "README's rule table is stale: run dockerfix rules --format markdown --write docs/rules";
  for (const RuleInfo* r : rule_table())
    EXPECT_NE(readme.find(fmt::format("| [`{}`](docs/rules/{}.md) |", r->id, r->id)), std::string::npos) << r->id;
}

// Adding a rule is one folder, one registry line and one command: --write
// into a source tree's docs/rules rewrites the schema's enum and README's
// table in place and leaves every other byte alone.
TEST(RuleTable, WriteRefreshesSchemaEnumAndReadmeTable) {
  fs::path root = fs::temp_directory_path() / ("dockerfix-rule-sync-" + std::to_string(getpid()));
  fs::remove_all(root);
  fs::create_directories(root / "docs" / "rules");
  const std::string schema_head = "{\n  \"$defs\": {\"finding\": {\"properties\": {\n        \"rule\": {\n          \"description\": \"x\",\n          \"enum\": ";
  const std::string schema_tail = "\n        },\n        \"severity\": {\"enum\": [\"error\"]}\n  }}}\n}\n";
  { std::ofstream(root / "docs" / "check-json.schema.json") << schema_head << "[\"old-rule\",\n   \"gone\"]" << schema_tail; }
  { std::ofstream(root / "README.md") << "# t\n\nbefore\n<!-- rules:begin -->\n| stale |\n<!-- rules:end -->\nafter\n"; }
  int rc = -1;
  std::string out = cli("rules --format markdown --write '" + (root / "docs" / "rules").string() + "/'", &rc);
  ASSERT_EQ(rc, 0) << out;
  std::string schema = test::read_file(root / "docs" / "check-json.schema.json");
  EXPECT_TRUE(schema.starts_with(schema_head)) << schema;
  EXPECT_TRUE(schema.ends_with(schema_tail)) << schema;
  auto parsed = nlohmann::json::parse(schema);
  std::vector<std::string> listed = parsed["$defs"]["finding"]["properties"]["rule"]["enum"];
  EXPECT_EQ(listed, ids());
  EXPECT_EQ(parsed["$defs"]["finding"]["properties"]["severity"]["enum"], nlohmann::json::array({"error"}));
  std::string readme = test::read_file(root / "README.md");
  EXPECT_EQ(readme, "# t\n\nbefore\n<!-- rules:begin -->" + cli::readme_rules_region() + "<!-- rules:end -->\nafter\n");
  EXPECT_EQ(readme.find("stale"), std::string::npos);
  // A README without the markers is left alone; a schema without the enum is refused.
  { std::ofstream(root / "README.md") << "no markers\n"; }
  { std::ofstream(root / "docs" / "check-json.schema.json") << "{}\n"; }
  out = cli("rules --format markdown --write '" + (root / "docs" / "rules").string() + "'", &rc);
  EXPECT_EQ(rc, 2) << out;
  EXPECT_NE(out.find("check-json.schema.json: no \"rule\" property"), std::string::npos) << out;
  EXPECT_EQ(test::read_file(root / "README.md"), "no markers\n");
  fs::remove_all(root);
}

TEST(RuleTable, CommittedRulePagesAreWhatDockerfixRulesWrites) {
  fs::path dir = fs::temp_directory_path() / ("dockerfix-rule-pages-" + std::to_string(getpid()));
  fs::remove_all(dir);
  int rc = -1;
  std::string out = cli("rules --format markdown --write '" + dir.string() + "'", &rc);
  ASSERT_EQ(rc, 0) << out;
  std::set<std::string> written, committed;
  for (const auto& e : fs::directory_iterator(dir)) written.insert(e.path().filename().string());
  for (const auto& e : fs::directory_iterator(kSource / "docs" / "rules")) committed.insert(e.path().filename().string());
  EXPECT_EQ(written, committed);
  for (const auto& name : written)
    EXPECT_EQ(test::read_file(dir / name), test::read_file(kSource / "docs" / "rules" / name))
        << "docs/rules/" << name << " is stale: run dockerfix rules --format markdown --write docs/rules";
  fs::remove_all(dir);
}

TEST(RuleTable, ConfigKeysComeFromTheTable) {
  // Every option of every rule is a key its rule accepts, and an alias names the rule.
  for (const RuleInfo* r : rule_table())
    for (const auto& o : r->options) {
      std::string yaml = fmt::format("rules:\n  {}:\n    {}: {}\n", r->id, o.name, o.default_value);
      auto c = cli::parse_config(yaml, "c.yaml", ".");
      EXPECT_EQ(c.setting(std::string(o.setting)), std::string(o.default_value)) << yaml;
    }
  auto c = cli::parse_config("rules:\n  DL3057: off\n  dl3002:\n    uid: 4242\n", "c.yaml", ".");
  EXPECT_EQ(c.disabled, std::vector<std::string>{"healthcheck"});
  EXPECT_EQ(c.setting("uid"), "4242");
  try {
    cli::parse_config("rules:\n  healthcheck: off\n  DL3057: on\n", "c.yaml", ".");
    ADD_FAILURE() << "a rule given twice, by id and alias";
  } catch (const cli::ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("c.yaml:3: 'DL3057' is given twice in rules (also on line 2)"), std::string::npos)
        << e.what();
  }
}

TEST(RuleTable, SarifRuleMetadata) {
  fs::path f = fs::temp_directory_path() / ("dockerfix-sarif-" + std::to_string(getpid()) + ".Dockerfile");
  { std::ofstream(f) << "FROM debian:12\nRUN curl -o x https://x\nCMD [\"x\"]\n"; }
  auto log = nlohmann::json::parse(cli("check --no-config --format sarif '" + f.string() + "' 2>/dev/null"));
  fs::remove(f);
  const auto& rules = log["runs"][0]["tool"]["driver"]["rules"];
  ASSERT_EQ(rules.size(), rule_table().size());
  for (size_t i = 0; i < rules.size(); ++i) {
    const RuleInfo* r = rule_table()[i];
    EXPECT_EQ(rules[i]["id"], std::string(r->id));
    std::string level = r->severity == Severity::Error ? "error" : r->severity == Severity::Warning ? "warning" : "note";
    EXPECT_EQ(rules[i]["defaultConfiguration"]["level"], level) << r->id;
    EXPECT_EQ(rules[i]["properties"].contains("security-severity"), r->security) << r->id;
    if (r->security) EXPECT_EQ(rules[i]["properties"]["security-severity"], std::string(r->security_severity));
  }
  for (const auto& result : log["runs"][0]["results"]) {
    const RuleInfo* r = find_rule(result["ruleId"].get<std::string>());
    ASSERT_NE(r, nullptr);
    EXPECT_EQ(rules[result["ruleIndex"].get<size_t>()]["defaultConfiguration"]["level"], result["level"]);
  }
}

TEST(RuleTable, CommitPhrasesAndPullRequestTextsComeFromTheTable) {
  for (const RuleInfo* r : rule_table()) {
    gitlayer::MessageInput in{"fix(docker)", "agent", 1000, {{"Dockerfile", {{std::string(r->id), "m", 1}}}}};
    std::string phrase = fmt::format(fmt::runtime(r->commit_phrase), fmt::arg("user", "agent"), fmt::arg("uid", 1000));
    EXPECT_EQ(gitlayer::subject(in), "fix(docker): " + phrase);
    EXPECT_EQ(gitlayer::rule_rationale(std::string(r->id)), r->why);
    EXPECT_EQ(gitlayer::rule_docs_url(std::string(r->id)),
              "https://github.com/dockerfix/dockerfix/blob/main/docs/rules/" + std::string(r->id) + ".md");
  }
  // Registry order, whatever order the fixes came in.
  std::vector<gitlayer::FileChange> changes{{"a", {{"network-retry", "m", 1}, {"explicit-uid", "m", 2}}}};
  EXPECT_EQ(gitlayer::rules_of(changes), (std::vector<std::string>{"explicit-uid", "network-retry"}));
}

TEST(RuleTable, RuleAndSkipTakeAliasesAndSuggestForUnknownNames) {
  fs::path f = fs::temp_directory_path() / ("dockerfix-alias-" + std::to_string(getpid()) + ".Dockerfile");
  { std::ofstream(f) << "FROM debian:12\nRUN curl -o x https://x\nCMD [\"x\"]\n"; }
  int rc = -1;
  std::string out = cli("check --no-config --rule DL3002 '" + f.string() + "'", &rc);
  EXPECT_EQ(rc, 1) << out;
  EXPECT_NE(out.find("nonroot-final-user"), std::string::npos) << out;
  EXPECT_EQ(out.find("network-retry"), std::string::npos) << out;
  out = cli("check --no-config --skip dl3002,DL3057 '" + f.string() + "'", &rc);
  EXPECT_EQ(out.find("nonroot-final-user"), std::string::npos) << out;
  EXPECT_EQ(out.find("healthcheck"), std::string::npos) << out;
  EXPECT_NE(out.find("network-retry"), std::string::npos) << out;
  out = cli("check --no-config --rule nonroot-final-usr '" + f.string() + "'", &rc);
  EXPECT_EQ(rc, 2) << out;
  EXPECT_NE(out.find("unknown rule 'nonroot-final-usr'; did you mean 'nonroot-final-user'?"), std::string::npos) << out;
  out = cli("check --no-config --skip DL9002 '" + f.string() + "'", &rc);
  EXPECT_EQ(rc, 2) << out;
  EXPECT_NE(out.find("did you mean 'DL3002'?"), std::string::npos) << out;
  fs::remove(f);
}

}  // namespace
}  // namespace dockerfix::fix
