// The fixture repositories under tests/k8s/<case>/: repo/ is scanned;
// findings.txt is what check reports (mappings, then findings with
// file:line:col); fixed/<path> is each file after every fix is applied.
// Every edited file also passes verify_edits (bytes outside the edits
// unchanged, re-parsed documents as intended). DOCKERFIX_K8S_REGEN=1
// rewrites findings.txt and fixed/ from the current code: review the diff.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include <unistd.h>

#include "tests/k8s_support.h"

namespace dockerfix {
namespace {

using test::k8s_fixtures;

void write(const std::filesystem::path& p, const std::string& text) {
  std::filesystem::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << text;
}

class K8sCase : public ::testing::TestWithParam<std::string> {};

TEST_P(K8sCase, FindingsAndFixedFiles) {
  auto dir = k8s_fixtures() / GetParam();
  k8s::Config config;
  if (std::filesystem::exists(dir / "repo" / ".dockerfix.yaml")) {
    YAML::Node c = YAML::LoadFile((dir / "repo" / ".dockerfix.yaml").string());
    config = k8s::parse_config(c["kubernetes"], ".dockerfix.yaml");
  }
  auto run = test::k8s_run(dir / "repo", config);
  EXPECT_TRUE(run.inventory.problems.empty());
  EXPECT_TRUE(run.applied.rejected.empty()) << run.applied.rejected.front();
  bool regen = std::getenv("DOCKERFIX_K8S_REGEN") != nullptr;
  if (regen) {
    write(dir / "findings.txt", run.report);
    std::filesystem::remove_all(dir / "fixed");
    for (const auto& c : run.applied.files) write(dir / "fixed" / c.path, c.after);
  }
  EXPECT_EQ(test::read_file(dir / "findings.txt"), run.report);
  size_t expected_files = 0;
  if (std::filesystem::exists(dir / "fixed"))
    for (auto& e : std::filesystem::recursive_directory_iterator(dir / "fixed")) expected_files += e.is_regular_file();
  EXPECT_EQ(expected_files, run.applied.files.size());
  for (const auto& c : run.applied.files) {
    EXPECT_EQ(test::read_file(dir / "fixed" / c.path), c.after) << c.path;
    EXPECT_EQ("", k8s::verify_edits(c.before, c.after, c.edits, c.expect)) << c.path;
    // Each finding's own edits, alone on the original, pass too.
    for (size_t i : c.findings) {
      const auto& f = run.findings[i];
      auto alone = k8s::apply_edits(c.before, f.fix);
      ASSERT_TRUE(alone.has_value());
      EXPECT_EQ("", k8s::verify_edits(c.before, *alone, f.fix, f.expect)) << f.rule << " " << c.path;
    }
  }
  // Fixed once, nothing is left to fix: a copy with the fixed files has no
  // finding that still offers a fix.
  auto copy = std::filesystem::temp_directory_path() / ("dockerfix-k8s-" + GetParam() + "-" + std::to_string(::getpid()));
  std::filesystem::remove_all(copy);
  std::filesystem::copy(dir / "repo", copy, std::filesystem::copy_options::recursive);
  for (const auto& c : run.applied.files) write(copy / c.path, c.after);
  auto second = test::k8s_run(copy, config);
  for (const auto& f : second.findings) EXPECT_TRUE(f.fix.empty()) << "still fixable: " << f.rule << " " << f.where.file << ":" << f.where.line;
  std::filesystem::remove_all(copy);
}

INSTANTIATE_TEST_SUITE_P(Fixtures, K8sCase,
                         ::testing::Values("deploy-service", "cronjob", "statefulset", "kustomize", "helm-create",
                                           "seed002"));

}  // namespace
}  // namespace dockerfix
