#include "git/watchdog.h"

#include <fcntl.h>
#include <git2.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <optional>
#include <stdexcept>
#include <vector>

#include <fmt/format.h>

namespace dockerfix::gitlayer {

namespace {

using Clock = std::chrono::steady_clock;

int g_report = -1;  // the child's end of the pipe; -1 outside a watched child
Clock::time_point g_last_progress;

void write_all(int fd, const char* p, size_t n) {
  while (n > 0) {
    ssize_t w = write(fd, p, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      return;  // the parent is gone: nobody to tell
    }
    p += w;
    n -= static_cast<size_t>(w);
  }
}

// A message: one type byte, a 4-byte length, the payload.
void send(char type, const std::string& payload) {
  if (g_report < 0) return;
  const auto n = static_cast<uint32_t>(payload.size());
  std::string msg(1, type);
  msg.append(reinterpret_cast<const char*>(&n), sizeof n);
  msg += payload;
  write_all(g_report, msg.data(), msg.size());
}

bool libgit2_initialised() {
  const int count = git_libgit2_init();
  git_libgit2_shutdown();
  return count > 1;
}

std::string describe(int wstatus) {
  if (WIFSIGNALED(wstatus))
    return fmt::format("the worker process was killed by signal {} ({})", WTERMSIG(wstatus), strsignal(WTERMSIG(wstatus)));
  if (WIFEXITED(wstatus)) return fmt::format("the worker process exited with status {}", WEXITSTATUS(wstatus));
  return "the worker process ended";
}

Clock::duration seconds(double s) {
  return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(s));
}

int wait_ms(Clock::time_point now, Clock::time_point until) {
  if (until == Clock::time_point::max()) return -1;
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(until - now).count() + 1;
  return static_cast<int>(std::clamp<long long>(ms, 1, 60'000));
}

}  // namespace

NetworkActivity::NetworkActivity(const std::string& what) { send('B', what); }
NetworkActivity::~NetworkActivity() { send('E', ""); }

void network_progress() {
  if (g_report < 0) return;
  // Progress callbacks fire per few kilobytes: a beat every 100 ms is plenty.
  const auto now = Clock::now();
  if (now - g_last_progress < std::chrono::milliseconds(100)) return;
  g_last_progress = now;
  send('P', "");
}

WatchedResult run_watched(const std::function<std::string()>& work, const WatchLimits& limits) {
  if (libgit2_initialised())
    throw std::logic_error("run_watched: libgit2 is initialised in the parent; the child would share its TLS state");
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error(std::string("cannot create a pipe: ") + strerror(errno));
  std::fflush(nullptr);  // buffered output would be written twice
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid < 0) {
    close(fds[0]);
    close(fds[1]);
    throw std::runtime_error(std::string("cannot start a worker process: ") + strerror(errno));
  }
  if (pid == 0) {
    // A worker never outlives dockerfix (a CI job that kills it on timeout
    // must not leave a push going on behind its back).
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(1);
    close(fds[0]);
    g_report = fds[1];
    try {
      send('R', work());
    } catch (const std::exception& e) {
      send('X', e.what());
    } catch (...) {
      send('X', "unknown error");
    }
    std::fflush(nullptr);
    _exit(0);  // no atexit handlers or static destructors of the parent's state
  }
  close(fds[1]);

  WatchedResult result;
  bool answered = false;
  std::optional<WatchedResult::Status> killed;
  std::vector<std::string> active;  // nested network operations, innermost last
  std::string buf;
  const auto start = Clock::now();
  auto last = start;
  const auto budget_end =
      std::isfinite(limits.total_timeout) ? start + seconds(limits.total_timeout) : Clock::time_point::max();
  for (;;) {
    const auto now = Clock::now();
    const auto stall_end = active.empty() ? Clock::time_point::max() : last + seconds(limits.network_timeout);
    if (limits.stop && limits.stop()) killed = WatchedResult::Status::Stopped;
    else if (now >= budget_end) killed = WatchedResult::Status::OverBudget;
    else if (now >= stall_end) killed = WatchedResult::Status::NetworkStalled;
    if (killed) break;
    pollfd p{fds[0], POLLIN, 0};
    const int rc = poll(&p, 1, wait_ms(now, std::min(budget_end, stall_end)));
    if (rc < 0 && errno == EINTR) continue;
    if (rc <= 0) {
      if (rc < 0) break;
      continue;
    }
    char chunk[4096];
    const ssize_t n = read(fds[0], chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // the child is done
    buf.append(chunk, static_cast<size_t>(n));
    while (buf.size() >= 5) {
      uint32_t len = 0;
      std::memcpy(&len, buf.data() + 1, sizeof len);
      if (buf.size() < 5 + static_cast<size_t>(len)) break;
      const char type = buf[0];
      std::string payload = buf.substr(5, len);
      buf.erase(0, 5 + static_cast<size_t>(len));
      last = Clock::now();
      if (type == 'B') {
        active.push_back(payload);
        result.activity = payload;
      } else if (type == 'E' && !active.empty()) {
        active.pop_back();
        if (!active.empty()) result.activity = active.back();
      } else if (type == 'R' || type == 'X') {
        (type == 'R' ? result.output : result.error) = std::move(payload);
        result.status = type == 'R' ? WatchedResult::Status::Finished : WatchedResult::Status::Failed;
        answered = true;
      }
    }
  }
  if (killed) {
    if (limits.grace > 0) {
      // Asked first: a worker that cleans up on SIGTERM gets to, and what
      // it still says is read and dropped until it is gone.
      kill(pid, SIGTERM);
      const auto until = Clock::now() + seconds(limits.grace);
      for (auto now = Clock::now(); now < until; now = Clock::now()) {
        pollfd p{fds[0], POLLIN, 0};
        const int rc = poll(&p, 1, wait_ms(now, until));
        if (rc < 0 && errno == EINTR) continue;
        if (rc <= 0) break;
        char chunk[4096];
        const ssize_t n = read(fds[0], chunk, sizeof chunk);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;  // it is done
      }
    }
    kill(pid, SIGKILL);
  }
  int wstatus = 0;
  while (waitpid(pid, &wstatus, 0) < 0 && errno == EINTR) {
  }
  close(fds[0]);
  if (killed) {
    result.status = *killed;
    result.output.clear();
  } else if (!answered) {
    result.status = WatchedResult::Status::Crashed;
    result.error = describe(wstatus);
  }
  return result;
}

}  // namespace dockerfix::gitlayer
