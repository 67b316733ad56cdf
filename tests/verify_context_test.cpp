// The build context tar: what .dockerignore leaves out, the Dockerfile text
// under test in place of the file on disk, root ownership, symlinks kept,
// and a Dockerfile outside the context hidden from COPY as `docker build -f` does.
#include <archive.h>
#include <archive_entry.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include "verify/build_context.h"

namespace dockerfix::verify {
namespace {

namespace fs = std::filesystem;

struct TarEntry {
  std::string data, link;
  int64_t uid = -1, gid = -1;
  bool dir = false;
};

std::map<std::string, TarEntry> read_tar(const fs::path& p) {
  std::map<std::string, TarEntry> out;
  archive* a = archive_read_new();
  archive_read_support_format_all(a);
  EXPECT_EQ(archive_read_open_filename(a, p.c_str(), 10240), ARCHIVE_OK);
  archive_entry* e;
  while (archive_read_next_header(a, &e) == ARCHIVE_OK) {
    TarEntry t;
    t.uid = archive_entry_uid(e);
    t.gid = archive_entry_gid(e);
    t.dir = archive_entry_filetype(e) == AE_IFDIR;
    if (archive_entry_symlink(e)) t.link = archive_entry_symlink(e);
    char buf[4096];
    for (la_ssize_t n; (n = archive_read_data(a, buf, sizeof buf)) > 0;) t.data.append(buf, static_cast<size_t>(n));
    out[archive_entry_pathname(e)] = t;
  }
  archive_read_free(a);
  return out;
}

void write(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << text;
}

class VerifyContext : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = fs::temp_directory_path() / ("dockerfix-context-test-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    ctx = dir / "ctx";
    write(ctx / "Dockerfile", "FROM scratch\n");
    write(ctx / ".dockerignore", "*.log\nnode_modules\nvendor\n!vendor/keep.txt\nDockerfile\n");
    write(ctx / "app.js", "console.log(1)\n");
    write(ctx / "debug.log", "x");
    write(ctx / "node_modules/m/index.js", "x");
    write(ctx / "vendor/keep.txt", "kept");
    write(ctx / "vendor/drop.txt", "dropped");
    write(ctx / "src/lib/a.txt", "a");
    fs::create_symlink("app.js", ctx / "link.js");
    tar = dir / "ctx.tar";
  }
  void TearDown() override { fs::remove_all(dir); }
  fs::path dir, ctx, tar;
};

TEST_F(VerifyContext, HonoursDockerIgnoreAndSendsTheTextUnderTest) {
  ContextTar t = write_context(ctx, ctx / "Dockerfile", "FROM scratch\nUSER 1000\n", tar);
  EXPECT_EQ(t.dockerfile, "Dockerfile");
  auto entries = read_tar(tar);
  ASSERT_TRUE(entries.count("Dockerfile"));  // sent although .dockerignore lists it (the engine drops it from COPY)
  EXPECT_EQ(entries["Dockerfile"].data, "FROM scratch\nUSER 1000\n");
  EXPECT_TRUE(entries.count(".dockerignore"));
  EXPECT_EQ(entries["app.js"].data, "console.log(1)\n");
  EXPECT_FALSE(entries.count("debug.log"));
  EXPECT_FALSE(entries.count("node_modules"));
  EXPECT_FALSE(entries.count("node_modules/m/index.js"));
  EXPECT_EQ(entries["vendor/keep.txt"].data, "kept");
  EXPECT_FALSE(entries.count("vendor/drop.txt"));
  EXPECT_TRUE(entries["src/"].dir) << "directories are named with a trailing slash";
  EXPECT_EQ(entries["src/lib/a.txt"].data, "a");
  EXPECT_EQ(entries["link.js"].link, "app.js");
  for (const auto& [name, e] : entries) {
    EXPECT_EQ(e.uid, 0) << name;
    EXPECT_EQ(e.gid, 0) << name;
  }
  EXPECT_EQ(t.files, entries.size());
}

TEST_F(VerifyContext, ADockerfileOutsideTheContextIsHiddenFromCopy) {
  write(dir / "elsewhere/Dockerfile", "FROM scratch\n");
  ContextTar t = write_context(ctx, dir / "elsewhere/Dockerfile", "FROM scratch\nCMD [\"x\"]\n", tar);
  EXPECT_EQ(t.dockerfile.rfind(".dockerfile.", 0), 0u);
  auto entries = read_tar(tar);
  EXPECT_EQ(entries[t.dockerfile].data, "FROM scratch\nCMD [\"x\"]\n");
  // The context's own Dockerfile is not the one built, so .dockerignore applies to it.
  EXPECT_FALSE(entries.count("Dockerfile"));
  const std::string& ignore = entries[".dockerignore"].data;
  EXPECT_NE(ignore.find("*.log\n"), std::string::npos);
  EXPECT_NE(ignore.find("\n" + t.dockerfile + "\n.dockerignore\n"), std::string::npos);
}

TEST_F(VerifyContext, AMissingContextIsAnError) {
  EXPECT_THROW(write_context(dir / "nope", dir / "nope/Dockerfile", "FROM scratch\n", tar), ContextError);
}

}  // namespace
}  // namespace dockerfix::verify
