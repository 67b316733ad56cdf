// What a run's list of inputs holds (issue 19: memory flat in the number of
// files): file arguments cost nothing beyond the argument list, a directory
// walk no more than its paths; and the inputs come out as discovery always
// ordered them.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "cli/discovery.h"
#include "cli/input_list.h"

namespace fs = std::filesystem;
using dockerfix::cli::Config;
using dockerfix::cli::discover;
using dockerfix::cli::InputList;

namespace {

struct TempDir {
  fs::path path;
  TempDir() {
    std::string templ = (fs::temp_directory_path() / "dockerfix-inputs-XXXXXX").string();
    path = mkdtemp(templ.data());
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  void file(const std::string& rel) const {
    fs::create_directories((path / rel).parent_path());
    std::ofstream(path / rel) << "FROM scratch\n";
  }
};

}  // namespace

TEST(InputList, FileArgumentsHoldNothingPerFile) {
  TempDir dir;
  dir.file("Dockerfile");
  const std::string file = (dir.path / "Dockerfile").string();
  auto held_for = [&](size_t n) {
    const std::vector<std::string> args(n, file);
    auto found = discover(args, Config{});
    EXPECT_EQ(found.files.size(), n);
    EXPECT_TRUE(found.errors.empty());
    EXPECT_EQ(found.files[n - 1].path, file);
    return found.files.held_bytes();
  };
  // The same file named a hundred or ten thousand times: the same few runs.
  EXPECT_EQ(held_for(100), held_for(10000));
}

TEST(InputList, ArgumentsInterleavedWithErrorsKeepTheirPlaces) {
  TempDir dir;
  dir.file("a/Dockerfile");
  dir.file("b/Dockerfile");
  const std::string a = (dir.path / "a/Dockerfile").string(), b = (dir.path / "b/Dockerfile").string();
  const std::vector<std::string> args{a, (dir.path / "missing").string(), b, "-", a};
  auto found = discover(args, Config{});
  ASSERT_EQ(found.files.size(), 5u);  // a missing file is the reader's error, in its turn
  for (size_t i = 0; i < args.size(); ++i) {
    EXPECT_EQ(found.files[i].path, args[i]);
    EXPECT_EQ(found.files.path(i), args[i]);
    EXPECT_TRUE(found.files[i].resolved.empty());
  }
}

TEST(InputList, SymlinkArgumentKeepsItsTarget) {
  TempDir dir;
  dir.file("real/Dockerfile");
  fs::create_symlink(dir.path / "real/Dockerfile", dir.path / "Dockerfile");
  const std::vector<std::string> args{(dir.path / "real/Dockerfile").string(), (dir.path / "Dockerfile").string()};
  // Outside a repository a file argument's tree is the working directory.
  const fs::path was = fs::current_path();
  fs::current_path(dir.path);
  auto found = discover(args, Config{});
  fs::current_path(was);
  ASSERT_EQ(found.files.size(), 2u);
  EXPECT_TRUE(found.files[0].resolved.empty());
  EXPECT_EQ(found.files[1].resolved, fs::canonical(dir.path / "real/Dockerfile").string());
}

TEST(InputList, WalkHoldsItsPathsAndLittleElse) {
  TempDir dir;
  size_t bytes = 0;
  const size_t n = 2000;
  for (size_t i = 0; i < n; ++i) {
    const std::string rel = std::to_string(i % 40) + "/" + std::to_string(i) + ".Dockerfile";
    dir.file(rel);
    bytes += (dir.path / rel).string().size() + 1;
  }
  auto found = discover({dir.path.string()}, Config{});
  ASSERT_EQ(found.files.size(), n);
  // Each path's bytes and one offset, with room to grow (a vector or a
  // string doubles); an Input of three strings per file was over 96 bytes.
  EXPECT_LE(found.files.held_bytes(), 2 * (bytes + n * sizeof(size_t)) + 4096);
}

TEST(InputList, WalkSortsByWholePath) {
  TempDir dir;
  // '-' and '.' sort before '/': a/Dockerfile comes after a-b/... and a.Dockerfile.
  for (const char* rel : {"a/Dockerfile", "a-b/Dockerfile", "a.Dockerfile", "a/b/Dockerfile", "a/Dockerfile.x", "B/Dockerfile"})
    dir.file(rel);
  const std::string root = dir.path.string();
  auto found = discover({root, root + "/a"}, Config{});
  std::vector<std::string> got;
  for (size_t i = 0; i < found.files.size(); ++i) got.push_back(std::string(found.files.path(i)));
  const std::vector<std::string> want{root + "/B/Dockerfile", root + "/a-b/Dockerfile", root + "/a.Dockerfile",
                                      root + "/a/Dockerfile", root + "/a/Dockerfile.x", root + "/a/b/Dockerfile",
                                      // the second directory argument, sorted on its own after the first
                                      root + "/a/Dockerfile", root + "/a/Dockerfile.x", root + "/a/b/Dockerfile"};
  EXPECT_EQ(got, want);
}

TEST(InputList, RunsOfArgumentsAndPaths) {
  const std::vector<std::string> args{"x", "y", "z"};
  InputList list(&args);
  list.add_argument(0);
  list.add_path("p/2");
  list.add_path("p/1", "/target/1");
  list.sort_from(1);
  list.add_argument(2, "/target/z");
  list.add_argument(1);
  ASSERT_EQ(list.size(), 5u);
  EXPECT_EQ(list.path(0), "x");
  EXPECT_EQ(list.path(1), "p/1");
  EXPECT_EQ(list[1].resolved, "/target/1");  // the target follows its path through the sort
  EXPECT_EQ(list.path(2), "p/2");
  EXPECT_TRUE(list[2].resolved.empty());
  EXPECT_EQ(list.path(3), "z");
  EXPECT_EQ(list[3].resolved, "/target/z");
  EXPECT_EQ(list.path(4), "y");
  EXPECT_TRUE(list[4].resolved.empty());
}
