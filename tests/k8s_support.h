// Running the Kubernetes checks over a fixture repository the way the CLI
// will: scan, map images, the Dockerfiles' users from dockerfix's model,
// check, apply; and a text report of what came out.
#pragma once

#include <fmt/format.h>

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include "dockerfix/model.h"
#include "dockerfix/syntax.h"
#include "k8s/k8s.h"
#include "tests/test_support.h"

namespace dockerfix::test {

// A scratch repository: files written on creation, removed with it.
class TempRepo {
 public:
  TempRepo() : TempRepo(std::initializer_list<std::pair<std::string, std::string>>{}) {}
  TempRepo(std::initializer_list<std::pair<std::string, std::string>> files) {
    static int n = 0;
    root_ = std::filesystem::temp_directory_path() /
            fmt::format("dockerfix-k8s-{}-{}-{}", ::getpid(),
                        ::testing::UnitTest::GetInstance()->current_test_info()->name(), n++);
    std::filesystem::remove_all(root_);
    std::filesystem::create_directories(root_);
    for (const auto& [path, text] : files) write(path, text);
  }
  // Fills it with a copy of a fixture repository.
  void copy_from(const std::filesystem::path& from) const {
    std::filesystem::copy(from, root_, std::filesystem::copy_options::recursive);
  }
  ~TempRepo() {
    std::error_code ec;
    std::filesystem::remove_all(root_, ec);
  }
  TempRepo(const TempRepo&) = delete;
  TempRepo& operator=(const TempRepo&) = delete;
  void write(const std::string& path, const std::string& text) const {
    auto p = root_ / path;
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << text;
  }
  std::string read(const std::string& path) const { return read_file(root_ / path); }
  // Replace `from` (which must occur) with `to` in a file.
  void replace(const std::string& path, const std::string& from, const std::string& to) const {
    std::string t = read(path);
    auto at = t.find(from);
    EXPECT_NE(at, std::string::npos) << from << " not in " << path;
    if (at != std::string::npos) write(path, t.replace(at, from.size(), to));
  }
  const std::filesystem::path& root() const { return root_; }

 private:
  std::filesystem::path root_;
};

inline std::filesystem::path k8s_fixtures() { return std::filesystem::path(DOCKERFIX_SOURCE_DIR) / "tests" / "k8s"; }

inline k8s::ImageUsers k8s_users(const k8s::Inventory& inv) {
  k8s::ImageUsers users;
  for (const auto& d : inv.dockerfiles) {
    Dockerfile parsed = parse(read_file(inv.root / d), d);
    users[d] = k8s::image_user_of(parsed, model::analyze(parsed, model::KnowledgeBase::builtin()));
  }
  return users;
}

struct K8sRun {
  k8s::Inventory inventory;
  std::vector<k8s::ImageMapping> mappings;
  std::vector<k8s::Finding> findings;
  k8s::ApplyResult applied;
  std::string report;
};

inline std::string k8s_report(const k8s::Inventory& inv, const std::vector<k8s::ImageMapping>& maps,
                              const std::vector<k8s::Finding>& findings) {
  std::string out;
  for (const auto& m : maps) {
    const auto& w = inv.workloads[m.workload];
    out += fmt::format("map {} {} -> {} ({}{})\n", w.label(), w.containers[m.container].name,
                       m.dockerfile.empty() ? "-" : m.dockerfile, k8s::to_string(m.method),
                       m.dockerfile.empty() ? ": " + m.reason : "");
  }
  for (const auto& f : findings) {
    std::string fix = f.fix.empty() ? "none" : f.fix_safe ? "safe" : "unsafe";
    out += fmt::format("{} {}:{}:{} {} {} fix={}", f.rule, f.where.file, f.where.line, f.where.column, f.workload,
                       f.container, fix);
    if (!f.fix.empty()) out += " in " + f.fix_path;
    if (f.dockerfile_fix)
      out += fmt::format(" dockerfile-fix={}:{}",
                         f.dockerfile_fix->kind == k8s::DockerfileFix::Kind::NumericUser ? "numeric-user" : "pin-uid",
                         f.dockerfile_fix->uid ? std::to_string(*f.dockerfile_fix->uid) : "?");
    if (f.preferred == k8s::Side::Dockerfile) out += " preferred=dockerfile";
    if (f.assumed_mapping) out += " assumed";
    out += "\n";
  }
  return out;
}

inline K8sRun k8s_run(const std::filesystem::path& root, const k8s::Config& config = {},
                      const k8s::ScanOptions& options = {.helm = {"none"}, .files = {}}) {
  K8sRun r;
  r.inventory = k8s::scan(root, options);
  r.mappings = k8s::map_images(r.inventory, config);
  r.findings = k8s::check(r.inventory, r.mappings, k8s_users(r.inventory));
  r.applied = k8s::apply(r.inventory, r.findings);
  r.report = k8s_report(r.inventory, r.mappings, r.findings);
  return r;
}

}  // namespace dockerfix::test
