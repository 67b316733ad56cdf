#include "cli/output.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/core.h>

#include "cli/commands.h"

namespace dockerfix::cli {
namespace {

int g_error = 0;  // errno of the first failed write

bool failed(int err) {
  if (!g_error) g_error = err ? err : EIO;
  return false;
}

}  // namespace

bool write_out(std::string_view bytes) {
  if (g_error) return false;
  if (!bytes.empty() && std::fwrite(bytes.data(), 1, bytes.size(), stdout) != bytes.size()) return failed(errno);
  return true;
}

bool copy_stdin_to_out() {
  char buffer[1 << 16];
  for (;;) {
    ssize_t n = ::read(STDIN_FILENO, buffer, sizeof buffer);
    if (n == 0) return true;
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return false;
    if (!write_out({buffer, static_cast<size_t>(n)})) return false;
  }
}

int finish_output(int code) {
  if (std::fflush(stdout) != 0) failed(errno);
  if (std::ferror(stdout)) failed(EIO);
  if (std::fclose(stdout) != 0) failed(errno);
  if (!g_error) return code;
  fmt::print(stderr, "dockerfix: cannot write to standard output: {}\n", std::strerror(g_error));
  return kExitUsage;
}

}  // namespace dockerfix::cli
