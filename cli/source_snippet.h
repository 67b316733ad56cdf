// The lines `check` prints under a finding (full format): the source line
// with a line-number gutter and a caret under the finding's columns, a note,
// and a fix that changes one line as `- old` / `+ new`. Long lines are cut
// around what they point at, with "..." where they were cut.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cli/terminal.h"
#include "dockerfix/fix.h"

namespace dockerfix::cli {

// The lines of a file, found once for the snippets of all its findings.
class SourceLines {
 public:
  explicit SourceLines(std::string_view text);
  // Lines 1..count(); a final line ending starts no line of its own.
  int count() const;
  uint32_t start(int line) const;
  // Without its line ending: \n, \r\n, or any \r's before the \n.
  std::string_view line(int line) const;
  int line_of(uint32_t offset) const;  // 1-based; the offset just past a final newline is line count() + 1
  std::string_view text() const { return text_; }

 private:
  std::string_view text_;
  std::vector<uint32_t> starts_;  // of every line, and of the empty one after a final newline
};

// A fix that changes one line: `before` (none: a line is inserted) becomes
// `after` (none: the line is deleted), both without line ending; `line` is
// the line's number in the file as read (or where the new line goes).
struct LineChange {
  int line = 0;
  std::optional<std::string> before, after;
};
// The one line `edits` change, when they change (insert, delete) one line
// of `source` and no more; nullopt otherwise.
std::optional<LineChange> one_line_change(const SourceLines& source, const std::vector<fix::Edit>& edits);

class Snippet {
 public:
  // `width`: the columns a printed line may take.
  Snippet(const SourceLines& source, bool color, uint32_t width);
  ~Snippet();
  Snippet(const Snippet&) = delete;
  Snippet& operator=(const Snippet&) = delete;
  // Shows line `line` with a caret under bytes [begin, end) of it (offsets
  // in the line; a caret alone when the range is empty).
  void mark(int line, uint32_t begin, uint32_t end, Paint caret);
  // Adds the change as a diff; false (nothing added) when the changed part
  // does not fit the width. After mark(): the line numbers shown set the
  // gutter, and so the room the change is laid out in.
  bool change(const LineChange& change);
  void note(std::string text);
  // Nothing when nothing was added. The second form appends to `out`.
  std::string render() const;
  void render_to(std::string& out) const;

  struct ShownChange;  // the change laid out in the room it has

 private:
  uint32_t gutter() const;  // digits of the largest line number shown
  uint32_t room() const;    // columns left for a line's text after the gutter

  const SourceLines& source_;
  bool color_;
  uint32_t width_;
  struct Mark {
    int line;
    uint32_t begin, end;
    Paint paint;
  };
  std::optional<Mark> mark_;
  std::optional<LineChange> change_;
  std::unique_ptr<ShownChange> shown_;  // change() lays it out, render() writes it
  std::vector<std::string> notes_;
};

}  // namespace dockerfix::cli
