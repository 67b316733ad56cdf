#include "cli/atomic_write.h"

#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/core.h>

#include "cli/file_io.h"
#include "cli/test_hook.h"

namespace dockerfix::cli {
namespace {

constexpr int kCleanupSignals[] = {SIGHUP, SIGINT, SIGTERM, SIGPIPE};

// The temporary file being written, for the signal handler. Set and cleared
// with those signals blocked, so the handler sees either nothing or a name
// that exists.
volatile sig_atomic_t g_temp_set = 0;
int g_temp_dir = -1;
char g_temp_name[NAME_MAX + 1];

extern "C" void remove_temp_and_reraise(int sig) {
  if (g_temp_set) ::unlinkat(g_temp_dir, g_temp_name, 0);
  // SA_RESETHAND restored the default action; the signal is blocked until
  // this handler returns, then it ends the process as it would have.
  ::raise(sig);
}

void install_cleanup_handlers() {
  static bool installed = false;
  if (installed) return;
  installed = true;
  for (int sig : kCleanupSignals) {
    struct sigaction old {};
    // A signal the caller ignores (nohup, a shell's trap '' PIPE) stays ignored.
    if (::sigaction(sig, nullptr, &old) != 0 || old.sa_handler != SIG_DFL) continue;
    struct sigaction sa {};
    sa.sa_handler = remove_temp_and_reraise;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESETHAND;
    ::sigaction(sig, &sa, nullptr);
  }
}

// Blocks the cleanup signals for its lifetime.
class SignalsBlocked {
 public:
  SignalsBlocked() {
    sigset_t set;
    sigemptyset(&set);
    for (int sig : kCleanupSignals) sigaddset(&set, sig);
    ::sigprocmask(SIG_BLOCK, &set, &old_);
  }
  ~SignalsBlocked() { ::sigprocmask(SIG_SETMASK, &old_, nullptr); }

 private:
  sigset_t old_;
};

// `.NAME.dockerfix-tmp-XXXXXX`, created exclusively in `dir` and registered
// for the signal handler. Returns the descriptor, or -1 with errno set.
int create_temp(int dir, const std::string& name, std::string& temp) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  // Room for the dot, the infix and the suffix within NAME_MAX.
  std::string base = "." + name.substr(0, NAME_MAX - 1 - kTempInfix.size() - 6) + std::string(kTempInfix);
  for (int attempt = 0; attempt < 100; ++attempt) {
    unsigned char random[6];
    if (::getrandom(random, sizeof random, 0) != static_cast<ssize_t>(sizeof random)) return -1;
    temp = base;
    for (unsigned char r : random) temp += kAlphabet[r % (sizeof kAlphabet - 1)];
    SignalsBlocked blocked;
    int fd = ::openat(dir, temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0 && errno == EEXIST) continue;
    if (fd >= 0) {
      g_temp_dir = dir;
      std::memcpy(g_temp_name, temp.c_str(), temp.size() + 1);
      g_temp_set = 1;
    }
    return fd;
  }
  errno = EEXIST;
  return -1;
}

std::string read_only(const InputFile& file) {
  struct stat st {};
  if (::fstatat(file.dir_fd, file.name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) return {};  // changed_since_read says
  // By the mode bits, not access(2) alone: root may write anything, but a
  // file marked read-only is not dockerfix's to replace.
  if ((st.st_mode & 0222) == 0)
    return fmt::format("{}: read-only (mode {:04o}); not rewritten (make it writable to fix it)", file.path,
                       st.st_mode & 07777);
  if (::faccessat(file.dir_fd, file.name.c_str(), W_OK, AT_EACCESS) != 0)
    return fmt::format("{}: cannot be written ({}); not rewritten", file.path, std::strerror(errno));
  return {};
}

}  // namespace

bool write_atomically(const InputFile& file, const std::string& text, std::string& error, std::string& note) {
  if (error = changed_since_read(file); !error.empty()) return false;
  if (error = read_only(file); !error.empty()) return false;
  install_cleanup_handlers();
  std::string temp;
  int fd = create_temp(file.dir_fd, file.name, temp);
  if (fd < 0) {
    error = fmt::format("{}: cannot create a temporary file beside it: {}", file.path, std::strerror(errno));
    return false;
  }
  auto discard = [&] {
    SignalsBlocked blocked;
    ::unlinkat(file.dir_fd, temp.c_str(), 0);
    g_temp_set = 0;
  };
  auto fail = [&](const std::string& what) {
    error = fmt::format("{}: {}: {}", file.path, what, std::strerror(errno));
    ::close(fd);
    discard();
    return false;
  };
  for (size_t done = 0; done < text.size();) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return fail("cannot write the temporary file");
    done += static_cast<size_t>(n);
  }
  const struct stat& st = file.st;
  // Owner first: a chown clears setuid and setgid, which the fchmod restores.
  if ((st.st_uid != ::geteuid() || st.st_gid != ::getegid()) && ::fchown(fd, st.st_uid, st.st_gid) != 0) {
    int err = errno;
    std::string what = fmt::format("cannot keep the owner {}:{} (not rewritten)", st.st_uid, st.st_gid);
    errno = err;
    return fail(what);
  }
  if (::fchmod(fd, st.st_mode & 07777) != 0) return fail("cannot keep the file mode");
  if (::fsync(fd) != 0) return fail("cannot flush the temporary file");
  if (::close(fd) != 0) {
    error = fmt::format("{}: cannot close the temporary file: {}", file.path, std::strerror(errno));
    discard();
    return false;
  }
  test_pause("temp-written", temp);
  if (error = changed_since_read(file); !error.empty()) {
    discard();
    return false;
  }
  {
    SignalsBlocked blocked;
    if (::renameat(file.dir_fd, temp.c_str(), file.dir_fd, file.name.c_str()) != 0) {
      error = fmt::format("{}: cannot replace the file: {}", file.path, std::strerror(errno));
      ::unlinkat(file.dir_fd, temp.c_str(), 0);
      g_temp_set = 0;
      return false;
    }
    g_temp_set = 0;
  }
  // The rename itself reaches the disk with the directory.
  (void)::fsync(file.dir_fd);
  if (st.st_nlink > 1)
    note = fmt::format("{}: had {} hard links; only this name has the fixed file, the other {} keep{} the old content",
                       file.path, st.st_nlink, st.st_nlink - 1, st.st_nlink == 2 ? "s" : "");
  return true;
}

}  // namespace dockerfix::cli
