#include "cli/terminal.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <cstdlib>

#include <fmt/core.h>

namespace dockerfix::cli {

bool use_color(std::string_view when, std::FILE* stream) {
  if (when == "always") return true;
  if (when == "never") return false;
  if (const char* no = std::getenv("NO_COLOR"); no && *no) return false;
  if (const char* term = std::getenv("TERM"); term && std::string_view(term) == "dumb") return false;
  return isatty(fileno(stream)) != 0;
}

void paint_open(std::string& out, bool on, Paint what) {
  if (!on) return;
  std::string_view code;
  switch (what) {
    case Paint::Path: code = "1"; break;        // bold
    case Paint::Location: code = "2"; break;    // dim
    case Paint::Rule: code = "33"; break;       // yellow
    case Paint::Note: code = "2"; break;
    case Paint::Added: code = "32"; break;      // green
    case Paint::Removed: code = "31"; break;    // red
    case Paint::Hunk: code = "36"; break;       // cyan
    case Paint::Error: code = "1;31"; break;
    case Paint::Warning: code = "1;33"; break;  // bold yellow
    case Paint::Info: code = "1;36"; break;     // bold cyan
    case Paint::Gutter: code = "34"; break;     // blue
  }
  out += "\x1b[";
  out += code;
  out += 'm';
}

void paint_close(std::string& out, bool on) {
  if (on) out += "\x1b[0m";
}

void paint_to(std::string& out, bool on, Paint what, std::string_view text) {
  paint_open(out, on, what);
  out += text;
  paint_close(out, on);
}

std::string paint(bool on, Paint what, std::string_view text) {
  std::string out;
  paint_to(out, on, what, text);
  return out;
}

unsigned text_width(std::FILE* stream) {
  if (const char* env = std::getenv("COLUMNS"); env && *env) {
    char* end = nullptr;
    long n = std::strtol(env, &end, 10);
    if (end && *end == '\0' && n > 0 && n <= 10000) return static_cast<unsigned>(n);
  }
  struct winsize ws {};
  if (isatty(fileno(stream)) && ioctl(fileno(stream), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
  return 120;
}

namespace {
// DOCKERFIX_PROGRESS_AFTER_MS: how long a run goes before the progress line
// appears (default 500; 0 shows it from the first file, as the tests need on
// machines of any speed).
std::chrono::milliseconds progress_delay() {
  const char* env = std::getenv("DOCKERFIX_PROGRESS_AFTER_MS");
  if (!env || !*env) return std::chrono::milliseconds(500);
  char* end = nullptr;
  long ms = std::strtol(env, &end, 10);
  return std::chrono::milliseconds(end && *end == '\0' && ms >= 0 && ms <= 60000 ? ms : 500);
}
}  // namespace

Progress::Progress(size_t total, bool quiet)
    : total_(total),
      enabled_(!quiet && total > 1 && isatty(STDERR_FILENO) != 0),
      start_(Clock::now()),
      last_(start_),
      delay_(progress_delay()) {}

Progress::~Progress() { clear(); }

void Progress::step(const std::string& path) {
  ++done_;
  if (!enabled_) return;
  auto now = Clock::now();
  if (now - start_ < delay_ || (shown_ && now - last_ < std::chrono::milliseconds(100))) return;
  last_ = now;
  std::string shown = path.size() > 60 ? "..." + path.substr(path.size() - 57) : path;
  fmt::print(stderr, "\r\x1b[K[{}/{}] {}", done_, total_, shown);
  std::fflush(stderr);
  shown_ = true;
}

void Progress::clear() {
  if (!shown_) return;
  fmt::print(stderr, "\r\x1b[K");
  std::fflush(stderr);
  shown_ = false;
}

}  // namespace dockerfix::cli
