// The merged view of layers (whiteouts, opaque directories, links) and the
// facts read from real tar streams (gzip, zstd, plain), including the stop
// once every question is answered.
#include <archive.h>
#include <archive_entry.h>

#include <gtest/gtest.h>

#include "images/facts.h"
#include "images/rootfs.h"

namespace dockerfix::images {
namespace {

using Kind = RootFs::Kind;
using Answer = RootFs::Answer;

struct Entry {
  Kind kind;
  std::string path, data_or_target;
};

// A tar built with libarchive's writer, compressed as asked.
std::string make_tar(const std::vector<Entry>& entries, const std::string& filter) {
  struct archive* a = archive_write_new();
  archive_write_set_format_pax_restricted(a);
  if (filter == "gzip") archive_write_add_filter_gzip(a);
  if (filter == "zstd") archive_write_add_filter_zstd(a);
  archive_write_set_bytes_in_last_block(a, 1);
  std::vector<char> buf(4 << 20);
  size_t used = 0;
  EXPECT_EQ(archive_write_open_memory(a, buf.data(), buf.size(), &used), ARCHIVE_OK);
  for (const auto& e : entries) {
    struct archive_entry* ae = archive_entry_new();
    archive_entry_set_pathname(ae, e.path.c_str());
    archive_entry_set_perm(ae, 0755);
    if (e.kind == Kind::Dir) archive_entry_set_filetype(ae, AE_IFDIR);
    if (e.kind == Kind::File) {
      archive_entry_set_filetype(ae, AE_IFREG);
      archive_entry_set_size(ae, static_cast<la_int64_t>(e.data_or_target.size()));
    }
    if (e.kind == Kind::Symlink) {
      archive_entry_set_filetype(ae, AE_IFLNK);
      archive_entry_set_symlink(ae, e.data_or_target.c_str());
    }
    if (e.kind == Kind::Hardlink) {
      archive_entry_set_filetype(ae, AE_IFREG);
      archive_entry_set_hardlink(ae, e.data_or_target.c_str());
    }
    archive_write_header(a, ae);
    if (e.kind == Kind::File) archive_write_data(a, e.data_or_target.data(), e.data_or_target.size());
    archive_entry_free(ae);
  }
  archive_write_close(a);
  archive_write_free(a);
  return std::string(buf.data(), used);
}

// Feeds a layer in pieces of `chunk` bytes; counts what was pulled.
bool feed(FactsReader& r, const std::string& layer, size_t chunk = 512, size_t* pulled = nullptr) {
  size_t pos = 0;
  std::function<std::string_view()> pull = [&]() -> std::string_view {
    size_t n = std::min(chunk, layer.size() - pos);
    std::string_view v(layer.data() + pos, n);
    pos += n;
    return v;
  };
  bool done = r.read_layer(pull, "test layer");
  if (pulled) *pulled = pos;
  return done;
}

std::vector<Entry> debian_base() {
  return {{Kind::Dir, "etc", ""},
          {Kind::Dir, "usr/bin", ""},
          {Kind::Dir, "usr/sbin", ""},
          {Kind::Symlink, "bin", "usr/bin"},
          {Kind::Symlink, "sbin", "usr/sbin"},
          {Kind::File, "usr/lib/os-release", "ID=debian\nVERSION_ID=\"12\"\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n"},
          {Kind::Symlink, "etc/os-release", "../usr/lib/os-release"},
          {Kind::File, "etc/passwd", "root:x:0:0:root:/root:/bin/bash\nold:x:1200:1200::/home/old:/bin/bash\n"},
          {Kind::File, "etc/group", "root:x:0:\nold:x:1200:\n"},
          {Kind::File, "usr/bin/dash", "ELF"},
          {Kind::Symlink, "usr/bin/sh", "dash"},
          {Kind::File, "usr/bin/curl", "ELF"},
          {Kind::File, "usr/sbin/useradd", "ELF"},
          {Kind::File, "usr/sbin/groupadd", "ELF"},
          {Kind::File, "usr/bin/apt-get", "ELF"}};
}

TEST(RootFs, UpperLayerHidesLowerAndWhiteoutsDelete) {
  RootFs fs({"etc/passwd"});
  // top layer: deletes usr/bin/curl, replaces /etc wholesale
  fs.add("usr/bin/.wh.curl", Kind::File, "");
  fs.add("etc/.wh..wh..opq", Kind::File, "");
  EXPECT_TRUE(fs.add("etc/passwd", Kind::File, ""));
  fs.set_content("etc/passwd", "top");
  fs.end_layer();
  // lower layer
  EXPECT_FALSE(fs.add("usr/bin/curl", Kind::File, ""));
  EXPECT_FALSE(fs.add("etc/passwd", Kind::File, ""));
  EXPECT_FALSE(fs.add("etc/group", Kind::File, ""));
  EXPECT_FALSE(fs.add("./etc/os-release", Kind::Symlink, "../usr/lib/os-release"));
  fs.add("usr/bin/wget", Kind::File, "");
  fs.end_layer();
  EXPECT_EQ(fs.resolve("/usr/bin/curl").answer, Answer::No);  // known before the end
  EXPECT_EQ(fs.resolve("/etc/group").answer, Answer::No);
  EXPECT_EQ(fs.resolve("/usr/bin/wget").answer, Answer::Yes);
  EXPECT_EQ(fs.resolve("/usr/bin/pgrep").answer, Answer::NotYet);
  EXPECT_EQ(fs.content("/etc/passwd"), "top");
  fs.finish();
  EXPECT_EQ(fs.resolve("/usr/bin/pgrep").answer, Answer::No);
}

TEST(RootFs, WhiteoutDoesNotDeleteInItsOwnLayer) {
  RootFs fs({});
  fs.add("app/.wh.data", Kind::File, "");
  fs.add("app/data", Kind::File, "");  // the same layer recreates it
  fs.end_layer();
  fs.finish();
  EXPECT_EQ(fs.resolve("/app/data").answer, Answer::Yes);
}

TEST(RootFs, FileInUpperLayerHidesLowerDirectory) {
  RootFs fs({});
  fs.add("opt", Kind::Symlink, "/srv");
  fs.end_layer();
  EXPECT_FALSE(fs.add("opt/tool", Kind::File, ""));
  fs.add("srv/tool", Kind::File, "");
  fs.end_layer();
  fs.finish();
  auto r = fs.resolve("/opt/tool");
  EXPECT_EQ(r.answer, Answer::Yes);
  EXPECT_EQ(r.path, "srv/tool");
}

TEST(RootFs, SymlinksAndHardlinksResolve) {
  RootFs fs({});
  fs.add("bin", Kind::Symlink, "usr/bin");
  fs.add("usr/bin", Kind::Dir, "");
  fs.add("usr/bin/busybox", Kind::File, "");
  fs.add("usr/bin/sh", Kind::Hardlink, "usr/bin/busybox");
  fs.add("loop/a", Kind::Symlink, "b");
  fs.add("loop/b", Kind::Symlink, "a");
  fs.end_layer();
  fs.finish();
  auto r = fs.resolve("/bin/sh");
  ASSERT_EQ(r.answer, Answer::Yes);
  EXPECT_EQ(fs.canonical(r.path), "usr/bin/busybox");
  EXPECT_EQ(fs.resolve("/loop/a").answer, Answer::No);
  EXPECT_EQ(fs.resolve("/usr/bin").answer, Answer::No);  // a directory is not a file
  EXPECT_EQ(fs.resolve("/usr/bin/busybox/x").answer, Answer::No);
}

TEST(Facts, DebianLikeLayersWithWhiteoutsInGzipAndZstd) {
  for (const std::string lower_filter : {"gzip", "zstd", "none"}) {
    FactsReader r;
    std::string upper = make_tar({{Kind::File, "usr/bin/.wh.curl", ""},
                                  {Kind::Dir, "etc", ""},
                                  {Kind::File, "etc/.wh..wh..opq", ""},
                                  {Kind::File, "etc/passwd", "root:x:0:0:root:/root:/bin/bash\nsvc:x:2000:2000::/srv:/bin/bash\n"}},
                                 "zstd");
    EXPECT_FALSE(feed(r, upper));
    EXPECT_FALSE(feed(r, make_tar(debian_base(), lower_filter)));
    model::LearnedFacts f = r.facts({});
    EXPECT_EQ(f.os_release["id"], "debian") << lower_filter;  // /usr/lib/os-release: /etc's link is hidden
    ASSERT_EQ(f.users.size(), 2u);
    EXPECT_EQ(f.users[1].name, "svc");
    EXPECT_EQ(f.users[1].uid, 2000u);
    EXPECT_TRUE(f.groups.empty());  // the opaque /etc hid the lower /etc/group
    EXPECT_EQ(f.shell, "/usr/bin/dash");
    EXPECT_FALSE(f.busybox);
    EXPECT_EQ(f.tools.count("curl"), 0u);
    EXPECT_EQ(f.tools["useradd"], "/usr/sbin/useradd");
    EXPECT_EQ(f.tools["apt-get"], "/usr/bin/apt-get");
  }
}

TEST(Facts, BusyboxAppletsByHardLinkWhicheverNameComesFirst) {
  FactsReader r;
  feed(r, make_tar({{Kind::File, "bin/[", "ELF busybox"},
                    {Kind::Hardlink, "bin/busybox", "bin/["},
                    {Kind::Hardlink, "bin/sh", "bin/["},
                    {Kind::Hardlink, "bin/adduser", "bin/["},
                    {Kind::Hardlink, "bin/addgroup", "bin/["},
                    {Kind::File, "usr/bin/wget", "a GNU wget"}},
                   "gzip"));
  model::LearnedFacts f = r.facts({});
  EXPECT_TRUE(f.busybox);
  EXPECT_EQ(f.tools["adduser"], "busybox");
  EXPECT_EQ(f.tools["wget"], "/usr/bin/wget");
  model::LockedImage e{"b:1", std::string("sha256:") + std::string(64, 'a'), "", "linux/amd64", "", "registry", f};
  model::ImageFacts k = model::knowledge_facts(e);
  EXPECT_EQ(k.family, "busybox");
  EXPECT_EQ(k.user_tool, "adduser-busybox");
}

TEST(Facts, ReadingStopsOnceEverythingIsKnown) {
  // Every question answered by the first entries, then filler: the reader
  // stops pulling long before the layer's end. With one tool missing, only
  // the whole layer (and any below it) can tell, so all of it is read.
  auto layer_with = [](bool every_tool) {
    std::vector<Entry> entries = {{Kind::File, "etc/os-release", "ID=alpine\n"},
                                  {Kind::File, "etc/passwd", "root:x:0:0:root:/root:/bin/sh\n"},
                                  {Kind::File, "etc/group", "root:x:0:\n"},
                                  {Kind::File, "bin/busybox", "ELF"},
                                  {Kind::Hardlink, "bin/sh", "bin/busybox"},
                                  {Kind::File, "usr/bin/busybox", "ELF"},
                                  {Kind::File, "sbin/busybox", "ELF"}};
    for (const auto& tool : model::probed_tools())
      if (every_tool || tool != "yum") entries.push_back({Kind::Hardlink, "bin/" + tool, "bin/busybox"});
    for (int i = 0; i < 1500; ++i) entries.push_back({Kind::File, "filler/" + std::to_string(i), std::string(100, 'x')});
    return make_tar(entries, "none");
  };
  std::string all = layer_with(true);
  FactsReader r;
  size_t pulled = 0;
  EXPECT_TRUE(feed(r, all, 4096, &pulled));
  EXPECT_LT(pulled, all.size() / 4);
  model::LearnedFacts f = r.facts({});
  EXPECT_EQ(f.os_release["id"], "alpine");
  EXPECT_EQ(f.tools.size(), model::probed_tools().size());

  std::string partial = layer_with(false);
  FactsReader r2;
  EXPECT_FALSE(feed(r2, partial, 4096, &pulled));
  EXPECT_EQ(pulled, partial.size());
  EXPECT_EQ(r2.facts({}).tools.count("yum"), 0u);
}

TEST(Facts, BrokenLayerIsAnErrorNamingIt) {
  FactsReader r;
  std::string garbage(2048, '\x5a');
  try {
    feed(r, garbage);
    FAIL() << "no error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("test layer"), std::string::npos) << e.what();
  }
}

TEST(Facts, TextFiles) {
  auto os = parse_os_release("# c\nNAME=\"Alpine Linux\"\nID=alpine\nID_LIKE='rhel fedora'\nVERSION_ID=3.20.0\r\nPRETTY_NAME=\"A \\\"q\\\" B\"\n");
  EXPECT_EQ(os["id"], "alpine");
  EXPECT_EQ(os["id_like"], "rhel fedora");
  EXPECT_EQ(os["version_id"], "3.20.0");
  EXPECT_EQ(os["pretty_name"], "A \"q\" B");
  EXPECT_EQ(os.count("name"), 0u);
  auto users = parse_passwd("root:x:0:0:root:/root:/bin/sh\n#x\nshort:x:1\n+nis::::::\napp:x:1001:1002:App:/home/app:\n");
  ASSERT_EQ(users.size(), 2u);
  EXPECT_EQ(users[1].name, "app");
  EXPECT_EQ(users[1].gid, 1002u);
  EXPECT_EQ(users[1].home, "/home/app");
  EXPECT_EQ(users[1].shell, "");
  auto groups = parse_group("root:x:0:\ndocker:x:999:app\nbad\n");
  ASSERT_EQ(groups.size(), 2u);
  EXPECT_EQ(groups[1].gid, 999u);
  auto config = parse_image_config(nlohmann::json::parse(
      R"({"config":{"User":"1000:1000","Entrypoint":null,"Cmd":["a","b"],"ExposedPorts":{"80/tcp":{}},
          "Healthcheck":{"Test":["CMD","x"]},"Labels":{"k":"v"},"WorkingDir":"/w","Env":["A=1"]}})"));
  EXPECT_EQ(config.user, "1000:1000");
  EXPECT_TRUE(config.entrypoint.empty());
  EXPECT_EQ(config.cmd, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(config.exposed_ports, (std::vector<std::string>{"80/tcp"}));
  EXPECT_EQ(config.healthcheck, (std::vector<std::string>{"CMD", "x"}));
  EXPECT_EQ(config.labels["k"], "v");
}

}  // namespace
}  // namespace dockerfix::images
