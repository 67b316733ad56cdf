#include "verify/build_context.h"

#include <archive.h>
#include <archive_entry.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <memory>
#include <random>
#include <sstream>
#include <vector>

#include <fmt/format.h>

#include "verify/dockerignore.h"

namespace dockerfix::verify {

namespace fs = std::filesystem;

namespace {

using Archive = std::unique_ptr<archive, decltype(&archive_write_free)>;
using Entry = std::unique_ptr<archive_entry, decltype(&archive_entry_free)>;

std::string read_all(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) throw ContextError("cannot read " + p.string());
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string random_hex(size_t n) {
  std::random_device rd;
  std::string out;
  while (out.size() < n) out += fmt::format("{:08x}", rd());
  return out.substr(0, n);
}

class Writer {
 public:
  explicit Writer(const fs::path& out) : a_(archive_write_new(), archive_write_free) {
    archive_write_set_format_pax_restricted(a_.get());
    if (archive_write_open_filename(a_.get(), out.c_str()) != ARCHIVE_OK)
      throw ContextError("cannot write " + out.string() + ": " + archive_error_string(a_.get()));
  }
  ~Writer() {
    if (a_) archive_write_close(a_.get());
  }

  // One entry; `data` is the content of a regular file, `link` a symlink's target.
  void add(const std::string& name, const struct stat& st, const std::string* data, const std::string& link = {}) {
    Entry e(archive_entry_new(), archive_entry_free);
    // Directories end in '/', as Go's archive/tar (the CLI's) writes them.
    const std::string path = S_ISDIR(st.st_mode) ? name + "/" : name;
    archive_entry_set_pathname(e.get(), path.c_str());
    archive_entry_set_mode(e.get(), st.st_mode);
    archive_entry_set_mtime(e.get(), st.st_mtime, 0);
    archive_entry_set_uid(e.get(), 0);  // the CLI sends the context owned by root
    archive_entry_set_gid(e.get(), 0);
    if (S_ISLNK(st.st_mode)) archive_entry_set_symlink(e.get(), link.c_str());
    archive_entry_set_size(e.get(), data ? static_cast<la_int64_t>(data->size()) : 0);
    if (archive_write_header(a_.get(), e.get()) != ARCHIVE_OK)
      throw ContextError(fmt::format("cannot add {} to the build context: {}", name, archive_error_string(a_.get())));
    if (data && !data->empty() && archive_write_data(a_.get(), data->data(), data->size()) < 0)
      throw ContextError(fmt::format("cannot add {} to the build context: {}", name, archive_error_string(a_.get())));
    ++files;
    bytes += data ? data->size() : 0;
  }

  size_t files = 0;
  uint64_t bytes = 0;

 private:
  Archive a_;
};

struct stat lstat_of(const fs::path& p) {
  struct stat st {};
  if (::lstat(p.c_str(), &st) != 0) throw ContextError("cannot read " + p.string());
  return st;
}

}  // namespace

ContextTar write_context(const fs::path& context_dir, const fs::path& dockerfile_path, const std::string& dockerfile_text,
                         const fs::path& out) {
  std::error_code ec;
  const fs::path root = fs::weakly_canonical(context_dir, ec);
  if (ec || !fs::is_directory(root)) throw ContextError("the build context " + context_dir.string() + " is not a directory");
  std::string ignore_text;
  if (fs::exists(root / ".dockerignore")) ignore_text = read_all(root / ".dockerignore");

  ContextTar result;
  bool inside = false;
  if (!dockerfile_path.empty()) {
    fs::path df = fs::weakly_canonical(dockerfile_path, ec);
    fs::path rel = ec ? fs::path() : df.lexically_relative(root);
    if (!rel.empty() && *rel.begin() != ".." && fs::exists(df)) {
      inside = true;
      result.dockerfile = rel.generic_string();
    }
  }
  std::string sent_ignore = ignore_text;
  if (!inside) {
    // As `docker build -f ../Dockerfile`: the file rides along under a
    // random name that .dockerignore hides from COPY.
    result.dockerfile = ".dockerfile." + random_hex(20);
    if (!sent_ignore.empty() && sent_ignore.back() != '\n') sent_ignore += '\n';
    sent_ignore += result.dockerfile + "\n.dockerignore\n";
  }
  const DockerIgnore ignore(ignore_text);

  Writer w(out);
  // Names sorted in each directory, so the same tree gives the same tar.
  std::vector<std::pair<fs::path, std::string>> todo{{root, ""}};
  bool wrote_ignore = false;
  while (!todo.empty()) {
    auto [dir, prefix] = todo.back();
    todo.pop_back();
    std::vector<fs::path> names;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) names.push_back(it->path());
    if (ec) throw ContextError("cannot read " + dir.string() + ": " + ec.message());
    std::sort(names.begin(), names.end());
    std::vector<std::pair<fs::path, std::string>> subdirs;
    for (const auto& p : names) {
      std::string rel = prefix + p.filename().string();
      struct stat st = lstat_of(p);
      const bool is_dockerfile = inside && rel == result.dockerfile;
      const bool is_ignore_file = rel == ".dockerignore";
      // The Dockerfile and .dockerignore are always sent; the engine itself
      // drops them from COPY when .dockerignore lists them.
      if (!is_dockerfile && !is_ignore_file && ignore.excluded(rel)) {
        if (S_ISDIR(st.st_mode) && ignore.may_reinclude_below(rel)) subdirs.push_back({p, rel + "/"});
        continue;
      }
      if (S_ISDIR(st.st_mode)) {
        w.add(rel, st, nullptr);
        subdirs.push_back({p, rel + "/"});
      } else if (S_ISLNK(st.st_mode)) {
        std::string target(4096, '\0');
        ssize_t n = ::readlink(p.c_str(), target.data(), target.size());
        if (n < 0) throw ContextError("cannot read the link " + p.string());
        target.resize(static_cast<size_t>(n));
        w.add(rel, st, nullptr, target);
      } else if (S_ISREG(st.st_mode)) {
        std::string data = is_dockerfile ? dockerfile_text : is_ignore_file ? sent_ignore : read_all(p);
        if (is_ignore_file) wrote_ignore = true;
        w.add(rel, st, &data);
      }
      // Sockets, fifos and devices are left out, as the CLI leaves sockets.
    }
    for (auto it = subdirs.rbegin(); it != subdirs.rend(); ++it) todo.push_back(*it);
  }
  struct stat st = lstat_of(root);
  st.st_mode = S_IFREG | 0644;
  if (!inside) {
    std::string text = dockerfile_text;
    w.add(result.dockerfile, st, &text);
    if (!wrote_ignore) w.add(".dockerignore", st, &sent_ignore);
  }
  result.files = w.files;
  result.bytes = w.bytes;
  return result;
}

}  // namespace dockerfix::verify
