// Colour and progress on terminals, and nowhere else.
#pragma once

#include <chrono>
#include <cstdio>
#include <string>
#include <string_view>

namespace dockerfix::cli {

// --color auto|always|never. `auto` colours only a terminal, and never when
// NO_COLOR is set to anything non-empty (no-color.org) or TERM is "dumb".
bool use_color(std::string_view when, std::FILE* stream);

enum class Paint { Path, Location, Rule, Note, Added, Removed, Hunk, Error, Warning, Info, Gutter };
// `text` wrapped in the escape codes for `what`, or unchanged when !on.
std::string paint(bool on, Paint what, std::string_view text);
// The same appended to `out`; or in two halves, for text written in pieces:
// the code that starts `what`'s colour, and the one that ends it.
void paint_to(std::string& out, bool on, Paint what, std::string_view text);
void paint_open(std::string& out, bool on, Paint what);
void paint_close(std::string& out, bool on);

// The columns a line of stdout may take in `check`'s full format: $COLUMNS
// when set, else the terminal's width, else 120 (a pipe, a CI log).
unsigned text_width(std::FILE* stream);

// One self-overwriting line on stderr ("[12/340] path"), shown only when
// stderr is a terminal and the run has already taken longer than a moment;
// redrawn at most ten times a second and erased before anything else prints.
class Progress {
 public:
  Progress(size_t total, bool quiet);
  ~Progress();
  void step(const std::string& path);
  void clear();  // before writing to stdout/stderr

 private:
  using Clock = std::chrono::steady_clock;
  size_t total_, done_ = 0;
  bool enabled_, shown_ = false;
  Clock::time_point start_, last_;
  std::chrono::milliseconds delay_;
};

}  // namespace dockerfix::cli
