#include "cli/test_hook.h"

#ifdef DOCKERFIX_TEST_HOOKS
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <string_view>

#include <fmt/core.h>

#include "cli/allocator.h"
#include "git/handles.h"
#endif

namespace dockerfix::cli {

#ifdef DOCKERFIX_TEST_HOOKS
void test_pause(const char* point, const std::string& info) {
  const char* env = std::getenv("DOCKERFIX_TEST_PAUSE");
  if (!env) return;
  std::string_view spec(env);
  auto colon = spec.find(':');
  if (colon == std::string_view::npos || spec.substr(0, colon) != point) return;
  std::string fifo(spec.substr(colon + 1));
  struct stat st {};
  if (::stat(fifo.c_str(), &st) != 0 || !S_ISFIFO(st.st_mode)) return;
  std::string line = fmt::format("{} {} {}\n", point, ::getpid(), info);
  if (int fd = ::open(fifo.c_str(), O_WRONLY | O_CLOEXEC); fd >= 0) {
    (void)!::write(fd, line.data(), line.size());
    ::close(fd);
  }
  if (int fd = ::open(fifo.c_str(), O_RDONLY | O_CLOEXEC); fd >= 0) {
    char buf[64];
    for (;;) {
      ssize_t n = ::read(fd, buf, sizeof buf);
      if (n > 0 || (n < 0 && errno == EINTR)) continue;
      break;
    }
    ::close(fd);
  }
}

void test_report_at_exit() {
  if (std::getenv("DOCKERFIX_TEST_LIBGIT2"))
    fmt::print(stderr, "libgit2 initialisations: {}\n", gitlayer::Library::initialisations());
  if (std::getenv("DOCKERFIX_TEST_ALLOCATOR"))
    fmt::print(stderr, "allocator decommit delay: {}\n", allocator_decommit_delay());
}
#else
void test_pause(const char*, const std::string&) {}
void test_report_at_exit() {}
#endif

}  // namespace dockerfix::cli
