#include "cli/atomic_write.h"

#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <functional>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <system_error>
#include <thread>
#include <utility>

#include <fmt/core.h>

#include "cli/file_io.h"
#include "cli/test_hook.h"

namespace dockerfix::cli {
namespace {

constexpr int kCleanupSignals[] = {SIGHUP, SIGINT, SIGTERM, SIGPIPE};

// The temporaries of the batch being written, for the signal handler, one
// slot each. A slot is set and cleared with those signals blocked, so the
// handler sees either nothing or a name that exists.
constexpr size_t kSlots = AtomicWriteBatch::kMaxFiles;
volatile sig_atomic_t g_temp_set[kSlots] = {};
int g_temp_dir[kSlots];
char g_temp_name[kSlots][NAME_MAX + 1];
bool g_batch_open = false;  // one batch stages at a time: the slots are its

extern "C" void remove_temp_and_reraise(int sig) {
  for (size_t i = 0; i < kSlots; ++i)
    if (g_temp_set[i]) ::unlinkat(g_temp_dir[i], g_temp_name[i], 0);
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
// in `slot` for the signal handler. Returns the descriptor, or -1 with errno set.
int create_temp(int dir, const std::string& name, std::string& temp, size_t slot) {
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
      g_temp_dir[slot] = dir;
      std::memcpy(g_temp_name[slot], temp.c_str(), temp.size() + 1);
      g_temp_set[slot] = 1;
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

// Calls each(i) for every i in [0, n), on a few threads besides the calling
// one, so that the disk works on several files at once (fsyncs issued
// together reach the device as a few flushes, not one each). The helpers
// block every signal: the cleanup handler runs on the calling thread. An
// exception (of each(i) on any thread) is rethrown here once all are done.
void in_parallel(size_t n, const std::function<void(size_t)>& each) {
  constexpr size_t kThreads = 8;  // waiting on the disk, not working a core
  std::atomic<size_t> next{0};
  std::mutex mutex;
  std::exception_ptr error;
  auto drain = [&] {
    for (size_t i; (i = next.fetch_add(1)) < n;) {
      try {
        each(i);
      } catch (...) {
        std::lock_guard lock(mutex);
        if (!error) error = std::current_exception();
      }
    }
  };
  std::vector<std::thread> helpers;
  if (n > 1) {
    sigset_t all, old;
    sigfillset(&all);
    ::pthread_sigmask(SIG_BLOCK, &all, &old);  // inherited by the helpers
    try {
      for (size_t t = 1; t < std::min(n, kThreads); ++t) helpers.emplace_back(drain);
    } catch (const std::system_error&) {
      // No more threads: the ones started and this one do the rest.
    }
    ::pthread_sigmask(SIG_SETMASK, &old, nullptr);
  }
  drain();
  for (auto& t : helpers) t.join();
  if (error) std::rethrow_exception(error);
}

}  // namespace

AtomicWriteBatch::AtomicWriteBatch() {
  if (g_batch_open) throw std::logic_error("AtomicWriteBatch: another batch is open");
  g_batch_open = true;
}

AtomicWriteBatch::~AtomicWriteBatch() {
  for (auto& s : staged_) {
    if (s.fd >= 0) ::close(s.fd);
    discard(s);
  }
  g_batch_open = false;
}

void AtomicWriteBatch::discard(Staged& s) {
  if (s.temp.empty()) return;
  SignalsBlocked blocked;
  ::unlinkat(s.file->dir_fd, s.temp.c_str(), 0);
  g_temp_set[s.slot] = 0;
  s.temp.clear();
}

void AtomicWriteBatch::add(const InputFile& file, std::string_view text) {
  if (full()) throw std::logic_error("AtomicWriteBatch: full");
  Staged& s = staged_.emplace_back();
  s.file = &file;
  s.text = text;
  s.slot = static_cast<int>(staged_.size() - 1);
  if (s.outcome.error = changed_since_read(file); !s.outcome.error.empty()) return;
  s.outcome.error = read_only(file);
}

// On a helper thread (cli/atomic_write.h): the temporary made, written and
// given the owner and mode. A failure is left for the calling thread to word.
void AtomicWriteBatch::write_temp(Staged& s) {
  const InputFile& file = *s.file;
  s.fd = create_temp(file.dir_fd, file.name, s.temp, static_cast<size_t>(s.slot));
  if (s.fd < 0) {
    s.temp.clear();
    s.err = errno;
    s.failed = "cannot create a temporary file beside it";
    return;
  }
  auto fail = [&](std::string what) {
    s.err = errno;
    s.failed = std::move(what);
    ::close(s.fd);
    s.fd = -1;
    discard(s);
  };
  for (size_t done = 0; done < s.text.size();) {
    ssize_t n = ::write(s.fd, s.text.data() + done, s.text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return fail("cannot write the temporary file");
    done += static_cast<size_t>(n);
  }
  const struct stat& st = file.st;
  // Owner first: a chown clears setuid and setgid, which the fchmod restores.
  if ((st.st_uid != ::geteuid() || st.st_gid != ::getegid()) && ::fchown(s.fd, st.st_uid, st.st_gid) != 0) {
    const int err = errno;
    std::string what = fmt::format("cannot keep the owner {}:{} (not rewritten)", st.st_uid, st.st_gid);
    errno = err;
    return fail(std::move(what));
  }
  if (::fchmod(s.fd, st.st_mode & 07777) != 0) return fail("cannot keep the file mode");
}

// On a helper thread: the temporary's data, owner and mode on disk.
void AtomicWriteBatch::flush_temp(Staged& s) {
  if (s.fd < 0) return;
  if (::fsync(s.fd) != 0) {
    s.err = errno;
    s.failed = "cannot flush the temporary file";
  }
  if (::close(s.fd) != 0 && s.failed.empty()) {
    s.err = errno;
    s.failed = "cannot close the temporary file";
  }
  s.fd = -1;
}

std::vector<AtomicWriteBatch::Outcome> AtomicWriteBatch::commit() {
  std::vector<Staged*> todo;
  for (auto& s : staged_)
    if (s.outcome.error.empty()) todo.push_back(&s);
  if (!todo.empty()) install_cleanup_handlers();
  {
    // The temporaries are made on several threads: a cleanup signal waits
    // until each is made and in the handler's table, then removes them all.
    SignalsBlocked blocked;
    in_parallel(todo.size(), [&](size_t i) { write_temp(*todo[i]); });
  }
  // Every temporary on disk before any is renamed: a rename must never
  // publish what a crash could lose. Flushed together, the device sees a
  // few flushes for the lot.
  in_parallel(todo.size(), [&](size_t i) { flush_temp(*todo[i]); });
  std::vector<Staged*> renamed;  // in order, each with its directory (a descriptor the file owns)
  std::vector<int> replaced;     // the replaced files, held open (below)
  for (Staged* p : todo) {
    Staged& s = *p;
    const InputFile& file = *s.file;
    std::string& error = s.outcome.error;
    if (!s.failed.empty()) {
      error = fmt::format("{}: {}: {}", file.path, s.failed, std::strerror(s.err));
      discard(s);
      continue;
    }
    test_pause("temp-written", s.temp);
    if (error = changed_since_read(file); !error.empty()) {
      discard(s);
      continue;
    }
    // The file about to be replaced, held open across the rename: then the
    // rename only swaps names, and freeing the old file (its blocks, a
    // discard with `-o discard`) happens when it is closed, on the helper
    // threads below, instead of one file after another here.
    int old = ::openat(file.dir_fd, file.name.c_str(), O_PATH | O_NOFOLLOW | O_CLOEXEC);
    {
      SignalsBlocked blocked;
      if (::renameat(file.dir_fd, s.temp.c_str(), file.dir_fd, file.name.c_str()) != 0) {
        error = fmt::format("{}: cannot replace the file: {}", file.path, std::strerror(errno));
        ::unlinkat(file.dir_fd, s.temp.c_str(), 0);
      }
      g_temp_set[s.slot] = 0;
      s.temp.clear();
    }
    if (old >= 0) replaced.push_back(old);
    if (!error.empty()) continue;
    s.outcome.written = true;
    renamed.push_back(&s);
    const struct stat& st = file.st;
    if (st.st_nlink > 1)
      s.outcome.note = fmt::format(
          "{}: had {} hard links; only this name has the fixed file, the other {} keep{} the old content", file.path,
          st.st_nlink, st.st_nlink - 1, st.st_nlink == 2 ? "s" : "");
  }
  // The renames reach the disk with their directories: each flushed once
  // (each file opened its directory anew, so the same one by device and inode).
  std::vector<std::optional<std::pair<dev_t, ino_t>>> seen;  // by dirs; unset: fstat failed, flushed alone
  std::vector<int> dirs;
  std::vector<size_t> dir_of;  // by renamed file: its index in dirs
  for (const Staged* s : renamed) {
    const int fd = s->file->dir_fd;
    struct stat st {};
    std::optional<std::pair<dev_t, ino_t>> id;
    if (::fstat(fd, &st) == 0) id.emplace(st.st_dev, st.st_ino);
    auto at = id ? std::find(seen.begin(), seen.end(), id) : seen.end();
    dir_of.push_back(static_cast<size_t>(at - seen.begin()));
    if (at != seen.end()) continue;
    seen.push_back(id);
    dirs.push_back(fd);
  }
  std::vector<int> dir_errors(dirs.size(), 0);
  in_parallel(dirs.size() + replaced.size(), [&](size_t i) {
    if (i < dirs.size()) dir_errors[i] = ::fsync(dirs[i]) == 0 ? 0 : errno;
    else ::close(replaced[i - dirs.size()]);
  });
  // The file is replaced either way (its new content is on disk), but a
  // crash could still bring back the old name's content: said, not hidden.
  // Not an error: some file systems refuse fsync on a directory (EINVAL).
  for (size_t k = 0; k < renamed.size(); ++k)
    if (int err = dir_errors[dir_of[k]]) {
      Outcome& o = renamed[k]->outcome;
      o.note += fmt::format("{}{}: its directory could not be flushed ({}); a crash may bring back the old content",
                            o.note.empty() ? "" : "; ", renamed[k]->file->path, std::strerror(err));
    }
  std::vector<Outcome> out;
  out.reserve(staged_.size());
  for (auto& s : staged_) out.push_back(std::move(s.outcome));
  staged_.clear();
  return out;
}

bool write_atomically(const InputFile& file, const std::string& text, std::string& error, std::string& note) {
  AtomicWriteBatch batch;
  batch.add(file, text);
  AtomicWriteBatch::Outcome out = std::move(batch.commit().front());
  error = std::move(out.error);
  note = std::move(out.note);
  return out.written;
}

}  // namespace dockerfix::cli
