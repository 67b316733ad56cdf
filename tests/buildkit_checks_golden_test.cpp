// dockerfix's BuildKit checks against BuildKit's own expectations: for each
// Dockerfile of BuildKit's build-check tests that the corpus holds,
// corpus/buildkit-checks/expected.jsonl (made by generate.py beside it from
// moby/buildkit's dockerfile_check_test.go) lists the warnings BuildKit's
// test asserts: rule, line and message. dockerfix must report exactly those,
// under the rules' BuildKit names, with the test's .dockerignore and build
// arguments. BuildKit's "unmarshal" list is used where the test gives one:
// it covers every stage, as dockerfix checks every stage; BuildKit's test
// does not assert that list's line numbers (checkLintWarning compares rule,
// description, URL and message), so there lines are not compared either.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <tuple>

#include "dockerfix/fix.h"
#include "tests/test_support.h"

namespace dockerfix::fix {
namespace {

namespace fs = std::filesystem;
using Warning = std::tuple<int, std::string, std::string>;  // line, rule, message

bool lines_asserted(const nlohmann::json& e) { return !e.contains("unmarshal_warnings"); }

std::vector<Warning> expected_of(const nlohmann::json& e) {
  std::vector<Warning> out;
  const auto& list = lines_asserted(e) ? e["warnings"] : e["unmarshal_warnings"];
  for (const auto& w : list)
    out.emplace_back(lines_asserted(e) ? w["line"].get<int>() : 0, w["rule"].get<std::string>(),
                     w["message"].get<std::string>());
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<Warning> dockerfix_of(const nlohmann::json& e, const std::string& text, const fs::path& work) {
  fs::remove_all(work);
  fs::create_directories(work);
  { std::ofstream(work / "Dockerfile", std::ios::binary) << text; }
  if (e.contains("dockerignore")) std::ofstream(work / ".dockerignore", std::ios::binary) << e["dockerignore"].get<std::string>();
  Options o;
  o.model.context = work;
  if (e.contains("build_args"))
    for (const auto& [k, v] : e["build_args"].items()) o.model.build_args[k] = v.get<std::string>();
  Selection s;  // as the command line: rules off by default only where the Dockerfile switches them on
  for (const RuleInfo* r : rule_table())
    if (!r->enabled_by_default) s.off_by_default.emplace_back(r->id);
  std::vector<Warning> out;
  for (const auto& f : check(parse(text, (work / "Dockerfile").string()), model::KnowledgeBase::builtin(), o, s)) {
    auto name = buildkit_name(*find_rule(f.rule));
    if (name) out.emplace_back(lines_asserted(e) ? f.line : 0, std::string(*name), f.message);
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string text_of(const std::vector<Warning>& v) {
  std::string out;
  for (const auto& [line, rule, msg] : v) out += "  " + std::to_string(line) + " " + rule + ": " + msg + "\n";
  return out.empty() ? "  (none)\n" : out;
}

TEST(BuildKitChecksGolden, FindingsAreBuildKitsOnItsOwnTestDockerfiles) {
  std::ifstream in(fs::path(DOCKERFIX_SOURCE_DIR) / "corpus" / "buildkit-checks" / "expected.jsonl");
  ASSERT_TRUE(in) << "corpus/buildkit-checks/expected.jsonl";
  const fs::path work = fs::temp_directory_path() / ("dockerfix-bk-golden-" + std::to_string(getpid()));
  size_t compared = 0, warnings = 0;
  std::string line;
  while (std::getline(in, line)) {
    auto e = nlohmann::json::parse(line);
    if (e.value("unparsed", false)) continue;
    const fs::path file = test::corpus_dir() / e["file"].get<std::string>();
    ASSERT_TRUE(fs::exists(file)) << file;
    auto want = expected_of(e);
    auto got = dockerfix_of(e, test::read_file(file), work);
    ++compared;
    warnings += want.size();
    EXPECT_EQ(got, want) << e["file"].get<std::string>() << " (dockerfile_check_test.go line " << e["test_line"]
                         << ")\nBuildKit:\n" << text_of(want) << "dockerfix:\n" << text_of(got);
  }
  fs::remove_all(work);
  std::cout << "BuildKit's check tests: " << compared << " Dockerfiles, " << warnings << " warnings compared\n";
  EXPECT_GE(compared, 70u);
}

}  // namespace
}  // namespace dockerfix::fix
