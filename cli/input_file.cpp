#include "cli/input_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include <fmt/core.h>

#include "cli/input_check.h"
#include "cli/test_hook.h"

namespace dockerfix::cli {
namespace fs = std::filesystem;

namespace {

// Reads until EOF or limit + 1 bytes; false on a read error (errno set).
bool read_bounded(int fd, size_t limit, std::string& out) {
  char buffer[1 << 16];
  while (out.size() <= limit) {
    size_t want = std::min(sizeof buffer, limit + 1 - out.size());
    ssize_t n = ::read(fd, buffer, want);
    if (n == 0) return true;
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    out.append(buffer, static_cast<size_t>(n));
  }
  return true;
}

std::string kind_of(mode_t mode) {
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a regular file";
}

}  // namespace

InputFile::~InputFile() {
  if (dir_fd >= 0) ::close(dir_fd);
}

ReadStatus open_input(const Input& input, size_t max_size, InputFile& file, std::string& bytes, std::string& error,
                      bool for_writing) {
  bytes.clear();
  file.path = input.path;
  if (input.path == "-") {
    if (!read_bounded(STDIN_FILENO, max_size, bytes)) {
      error = fmt::format("cannot read standard input: {}", std::strerror(errno));
      return ReadStatus::Failed;
    }
    if (bytes.size() > max_size) {
      error = over_limit("standard input", max_size);
      return ReadStatus::TooLarge;
    }
    return ReadStatus::Ok;
  }
  test_pause("before-open", input.path);
  const fs::path target(input.resolved.empty() ? input.path : input.resolved);
  auto fail = [&](int err) {
    error = fmt::format("cannot read '{}': {}", input.path, std::strerror(err));
    return ReadStatus::Failed;
  };
  file.name = target.filename().string();
  if (file.name.empty() || file.name == "." || file.name == "..") return fail(EISDIR);
  // A file only read needs no directory: two system calls a file fewer.
  if (for_writing) {
    const fs::path dir = target.parent_path().empty() ? fs::path(".") : target.parent_path();
    file.dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (file.dir_fd < 0) return fail(errno);
  }
  // O_NONBLOCK: opening a FIFO must not wait for a writer before it is refused.
  constexpr int kRead = O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC;
  int fd = for_writing ? ::openat(file.dir_fd, file.name.c_str(), kRead) : ::open(target.c_str(), kRead);
  if (fd < 0 && errno == ELOOP) {
    error = fmt::format("{}: {} is a symlink now, not the file found when the run started; not followed",
                        input.path, input.resolved.empty() ? "it" : "its target '" + input.resolved + "'");
    return ReadStatus::Failed;
  }
  if (fd < 0) return fail(errno);
  auto done = [&](ReadStatus status) {
    ::close(fd);
    return status;
  };
  if (::fstat(fd, &file.st) != 0) return done(fail(errno));
  if (S_ISDIR(file.st.st_mode)) return done(fail(EISDIR));
  if (!S_ISREG(file.st.st_mode)) {
    error = fmt::format("{}: {}, not a regular file; dockerfix reads regular files (give - to read a pipe)",
                        input.path, kind_of(file.st.st_mode));
    return done(ReadStatus::Failed);
  }
  // A huge file is refused from its size alone, before it is read.
  if (static_cast<unsigned long long>(file.st.st_size) > max_size) {
    error = too_large(input.path, static_cast<size_t>(file.st.st_size), max_size);
    return done(ReadStatus::TooLarge);
  }
  if (!read_bounded(fd, max_size, bytes)) return done(fail(errno));
  if (bytes.size() > max_size) {  // it grew since fstat
    error = over_limit(input.path, max_size);
    return done(ReadStatus::TooLarge);
  }
  return done(ReadStatus::Ok);
}

std::string changed_since_read(const InputFile& file) {
  struct stat now {};
  if (::fstatat(file.dir_fd, file.name.c_str(), &now, AT_SYMLINK_NOFOLLOW) != 0)
    return fmt::format("{}: {} while dockerfix ran; not rewritten", file.path,
                       errno == ENOENT ? "removed" : std::string("cannot check it: ") + std::strerror(errno));
  if (S_ISLNK(now.st_mode))
    return fmt::format("{}: replaced by a symlink while dockerfix ran; not rewritten", file.path);
  if (!S_ISREG(now.st_mode))
    return fmt::format("{}: replaced by {} while dockerfix ran; not rewritten", file.path, kind_of(now.st_mode));
  if (now.st_dev != file.st.st_dev || now.st_ino != file.st.st_ino)
    return fmt::format("{}: replaced by another file while dockerfix ran; not rewritten", file.path);
  auto same = [](const timespec& a, const timespec& b) { return a.tv_sec == b.tv_sec && a.tv_nsec == b.tv_nsec; };
  // ctime too: a chmod, chown or new hard link meanwhile would be undone.
  if (now.st_size != file.st.st_size || !same(now.st_mtim, file.st.st_mtim) || !same(now.st_ctim, file.st.st_ctim))
    return fmt::format("{}: changed while dockerfix ran; not rewritten (run it again)", file.path);
  return {};
}

}  // namespace dockerfix::cli
