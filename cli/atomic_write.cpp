#include "cli/atomic_write.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include <fmt/core.h>

#include "cli/discovery.h"

namespace dockerfix::cli {
namespace fs = std::filesystem;

bool write_atomically(const std::string& path, const std::string& text, const std::string& tree_root,
                      std::string& error) {
  if (auto why = leaves_tree(path, tree_root); !why.empty()) {
    error = why;
    return false;
  }
  std::error_code ec;
  // Renaming over a symlink would replace the link itself with a file.
  fs::path target = fs::canonical(path, ec);
  if (ec) {
    error = fmt::format("{}: {}", path, ec.message());
    return false;
  }
  struct stat st {};
  if (::stat(target.c_str(), &st) != 0) {
    error = fmt::format("{}: {}", path, std::strerror(errno));
    return false;
  }
  std::string tmp = (target.parent_path() / ("." + target.filename().string() + ".dockerfix-XXXXXX")).string();
  int fd = ::mkstemp(tmp.data());
  if (fd < 0) {
    error = fmt::format("{}: cannot create a temporary file in {}: {}", path, target.parent_path().string(),
                        std::strerror(errno));
    return false;
  }
  auto fail = [&](const char* what) {
    error = fmt::format("{}: {}: {}", path, what, std::strerror(errno));
    ::close(fd);
    ::unlink(tmp.c_str());
    return false;
  };
  for (size_t done = 0; done < text.size();) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return fail("cannot write the temporary file");
    done += static_cast<size_t>(n);
  }
  if (::fchmod(fd, st.st_mode & 07777) != 0) return fail("cannot keep the file mode");
  // Owner too, when we may (running as root over someone else's checkout).
  if (st.st_uid != ::geteuid() || st.st_gid != ::getegid()) (void)!::fchown(fd, st.st_uid, st.st_gid);
  if (::fsync(fd) != 0) return fail("cannot flush the temporary file");
  if (::close(fd) != 0) {
    error = fmt::format("{}: cannot close the temporary file: {}", path, std::strerror(errno));
    ::unlink(tmp.c_str());
    return false;
  }
  if (::rename(tmp.c_str(), target.c_str()) != 0) {
    error = fmt::format("{}: cannot replace the file: {}", path, std::strerror(errno));
    ::unlink(tmp.c_str());
    return false;
  }
  return true;
}

}  // namespace dockerfix::cli
