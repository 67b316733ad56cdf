#include "cli/source_snippet.h"

#include <algorithm>
#include <tuple>

#include "cli/display_text.h"

namespace dockerfix::cli {
namespace {

constexpr std::string_view kEllipsis = "...";
constexpr uint32_t kEllipsisWidth = 3;
constexpr uint32_t kMinRoom = 20;  // however narrow the terminal claims to be

// Not fmt::formatted_size: clang 14 cannot link it against Debian's libfmt 9 (its
// vformat_to instantiation is mangled differently from gcc's).
uint32_t digits(int n) { return static_cast<uint32_t>(std::to_string(std::max(n, 0)).size()); }

// The columns [from, to) of a line shown in `room` columns, with "..."
// where it is cut.
struct Window {
  uint32_t from = 0, to = 0;
  bool left = false, right = false;  // cut there
  uint32_t offset(uint32_t column) const { return column - from + (left ? kEllipsisWidth : 0); }
};

// Columns [from, ...) of `line` in `room` columns: cut on the right when
// the rest is wider.
Window window_from(const DisplayLine& line, uint32_t from, uint32_t room) {
  Window w{from, line.width, from > 0, false};
  const uint32_t left = w.left ? kEllipsisWidth : 0;
  if (line.width - from > room - left) {
    w.to = from + room - left - kEllipsisWidth;
    w.right = true;
  }
  return w;
}

// Where a window showing [mark_from, mark_to) starts: the line's start when
// the mark fits there, else `context` columns before the mark, but not so
// far right that the window ends before the line does.
uint32_t window_start(const DisplayLine& line, uint32_t mark_from, uint32_t mark_to, uint32_t room, uint32_t context) {
  if (mark_to + kEllipsisWidth <= room) return 0;
  uint32_t start = mark_from > context ? mark_from - context : 0;
  return line.glyph_start_at_or_after(std::min(start, line.width - (room - kEllipsisWidth)));
}

// The window that shows a caret's line: the whole line when it fits, else
// the part around the mark, with a quarter of the room before it.
Window window(const DisplayLine& line, uint32_t mark_from, uint32_t mark_to, uint32_t room) {
  if (line.width <= room) return {0, line.width, false, false};
  return window_from(line, window_start(line, mark_from, mark_to, room, room / 4), room);
}

// The windows of a one-line change's two sides, from the same column (their
// common start is laid out alike) and holding the whole changed part of
// both: columns [start, end_before) and [start, end_after). nullopt when
// the changed part is wider than the room.
std::optional<std::pair<Window, Window>> diff_windows(const DisplayLine& before, const DisplayLine& after, uint32_t start,
                                                      uint32_t end_before, uint32_t end_after, uint32_t room) {
  if (before.width <= room && after.width <= room)
    return std::pair{Window{0, before.width, false, false}, Window{0, after.width, false, false}};
  const DisplayLine& wider = before.width >= after.width ? before : after;
  for (uint32_t context : {room / 4, 0u}) {
    const uint32_t begin = std::min(start, window_start(wider, start, std::max(end_before, end_after), room, context));
    Window b = window_from(before, std::min(begin, before.width), room);
    Window a = window_from(after, std::min(begin, after.width), room);
    if (end_before <= b.to && end_after <= a.to) return std::pair{b, a};
  }
  return std::nullopt;
}

// Backs `n` off to the start of a UTF-8 character of `s`.
size_t char_start(std::string_view s, size_t n) {
  while (n > 0 && n < s.size() && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return n;
}

// The changed part of a one-line change: where the two sides start to
// differ, and where each stops (columns of `before` and `after`).
struct Changed {
  uint32_t start, end_before, end_after;
};
Changed changed(const std::string& b, const std::string& a, const DisplayLine& lb, const DisplayLine& la) {
  size_t p = 0;
  while (p < b.size() && p < a.size() && b[p] == a[p]) ++p;
  p = std::min(char_start(b, p), char_start(a, p));
  size_t s = 0;
  while (s < b.size() - p && s < a.size() - p && b[b.size() - 1 - s] == a[a.size() - 1 - s]) ++s;
  while (s > 0 && (char_start(b, b.size() - s) != b.size() - s || char_start(a, a.size() - s) != a.size() - s)) --s;
  return {lb.column_of(static_cast<uint32_t>(p)), lb.column_of(static_cast<uint32_t>(b.size() - s)),
          la.column_of(static_cast<uint32_t>(a.size() - s))};
}

}  // namespace

// A one-line change as shown in `room` columns: its sides laid out and the
// windows over them; nullopt when what it changes does not fit.
struct Snippet::ShownChange {
  std::optional<DisplayLine> before, after;
  Window before_window, after_window;
};

namespace {

using ShownChange = Snippet::ShownChange;

std::optional<ShownChange> show_change(const LineChange& c, uint32_t room) {
  const bool first = c.line == 1;
  ShownChange out;
  if (c.before) out.before = lay_out(*c.before, first);
  if (c.after) out.after = lay_out(*c.after, first);
  if (!c.before || !c.after) {
    const DisplayLine& only = c.before ? *out.before : *out.after;
    if (only.width > room) return std::nullopt;
    out.before_window = out.after_window = Window{0, only.width, false, false};
    return out;
  }
  Changed x = changed(*c.before, *c.after, *out.before, *out.after);
  auto w = diff_windows(*out.before, *out.after, x.start, x.end_before, x.end_after, room);
  if (!w) return std::nullopt;
  std::tie(out.before_window, out.after_window) = *w;
  return out;
}

void cut(std::string& out, const DisplayLine& line, const Window& w, std::string_view dim_on, std::string_view dim_off) {
  auto ellipsis = [&] {
    out += dim_on;
    out += kEllipsis;
    out += dim_off;
  };
  if (w.left) ellipsis();
  line.slice_to(out, w.from, w.to, dim_on, dim_off);
  if (w.right) ellipsis();
}

// `n` right-aligned in `width` columns.
void right_aligned(std::string& out, int n, uint32_t width) {
  const std::string digits = std::to_string(n);
  if (digits.size() < width) out.append(width - digits.size(), ' ');
  out += digits;
}

std::vector<std::string_view> split_lines(std::string_view s) {
  std::vector<std::string_view> out;
  for (size_t pos = 0; pos < s.size();) {
    size_t nl = s.find('\n', pos);
    size_t end = nl == std::string_view::npos ? s.size() : nl + 1;
    out.push_back(s.substr(pos, end - pos));
    pos = end;
  }
  return out;
}

std::string_view without_line_ending(std::string_view s) {
  if (!s.empty() && s.back() == '\n') s.remove_suffix(1);
  while (!s.empty() && s.back() == '\r') s.remove_suffix(1);
  return s;
}

}  // namespace

SourceLines::SourceLines(std::string_view text) : text_(text) {
  starts_.push_back(0);
  for (size_t pos = text.find('\n'); pos != std::string_view::npos; pos = text.find('\n', pos + 1))
    starts_.push_back(static_cast<uint32_t>(pos + 1));
}

int SourceLines::count() const {
  const bool final_newline = !text_.empty() && text_.back() == '\n';
  return static_cast<int>(starts_.size()) - (final_newline || text_.empty() ? 1 : 0);
}

uint32_t SourceLines::start(int line) const {
  if (line < 1) return 0;
  if (static_cast<size_t>(line) > starts_.size()) return static_cast<uint32_t>(text_.size());
  return starts_[static_cast<size_t>(line) - 1];
}

std::string_view SourceLines::line(int line) const {
  if (line < 1 || line > count()) return {};
  uint32_t begin = start(line);
  uint32_t end = static_cast<size_t>(line) < starts_.size() ? starts_[static_cast<size_t>(line)] : static_cast<uint32_t>(text_.size());
  return without_line_ending(text_.substr(begin, end - begin));
}

int SourceLines::line_of(uint32_t offset) const {
  auto it = std::upper_bound(starts_.begin(), starts_.end(), offset);
  return static_cast<int>(it - starts_.begin());
}

std::optional<LineChange> one_line_change(const SourceLines& source, const std::vector<fix::Edit>& edits) {
  if (edits.empty()) return std::nullopt;
  const std::string_view text = source.text();
  uint32_t first = UINT32_MAX, last = 0;
  for (const auto& e : edits) {
    if (e.range.begin > e.range.end || e.range.end > text.size()) return std::nullopt;
    first = std::min(first, e.range.begin);
    last = std::max(last, e.range.end);
  }
  // Whole lines around the edits: from the start of the first one's line to
  // the end of the last one's (a replaced range ending at a line's start
  // ends with the line before).
  const int first_line = source.line_of(first);
  const uint32_t begin = source.start(first_line);
  uint32_t end = last;
  if (!(last > first && last == source.start(source.line_of(last)))) {
    const int l = source.line_of(last);
    end = source.start(l + 1);
  }
  std::string before(text.substr(begin, end - begin));
  std::vector<fix::Edit> sorted = edits;
  std::stable_sort(sorted.begin(), sorted.end(), [](const fix::Edit& a, const fix::Edit& b) { return a.range.begin < b.range.begin; });
  std::string after;
  uint32_t at = begin;
  for (const auto& e : sorted) {
    if (e.range.begin < at) return std::nullopt;  // overlapping: not ours to show
    after.append(text.substr(at, e.range.begin - at));
    after += e.text;
    at = e.range.end;
  }
  after.append(text.substr(at, end - at));

  // Compared without their endings: a line appended to a file that ends
  // without a newline gives the last line one, which is no change to show.
  std::vector<std::string_view> old_lines, new_lines;
  for (auto l : split_lines(before)) old_lines.push_back(without_line_ending(l));
  for (auto l : split_lines(after)) new_lines.push_back(without_line_ending(l));
  size_t prefix = 0;
  while (prefix < old_lines.size() && prefix < new_lines.size() && old_lines[prefix] == new_lines[prefix]) ++prefix;
  size_t suffix = 0;
  while (suffix < old_lines.size() - prefix && suffix < new_lines.size() - prefix &&
         old_lines[old_lines.size() - 1 - suffix] == new_lines[new_lines.size() - 1 - suffix])
    ++suffix;
  const size_t removed = old_lines.size() - prefix - suffix, added = new_lines.size() - prefix - suffix;
  if (removed > 1 || added > 1 || removed + added == 0) return std::nullopt;
  LineChange c;
  c.line = first_line + static_cast<int>(prefix);
  if (removed) c.before = std::string(old_lines[prefix]);
  if (added) c.after = std::string(new_lines[prefix]);
  return c;
}

void Snippet::mark(int line, uint32_t begin, uint32_t end, Paint caret) { mark_ = Mark{line, begin, end, caret}; }

void Snippet::note(std::string text) { notes_.push_back(std::move(text)); }

uint32_t Snippet::gutter() const {
  int most = 0;
  if (mark_) most = std::max(most, mark_->line);
  if (change_) most = std::max(most, change_->line);
  return digits(most);
}

uint32_t Snippet::room() const {
  const uint32_t used = gutter() + 3;  // "12 | "
  return width_ > used + kMinRoom ? width_ - used : kMinRoom;
}

Snippet::Snippet(const SourceLines& source, bool color, uint32_t width) : source_(source), color_(color), width_(width) {}
Snippet::~Snippet() = default;

bool Snippet::change(const LineChange& c) {
  std::optional<LineChange> kept = std::move(change_);
  change_ = c;  // the gutter and room with it
  if (auto shown = show_change(c, room())) {
    shown_ = std::make_unique<ShownChange>(std::move(*shown));
    return true;
  }
  change_ = std::move(kept);
  return false;
}

std::string Snippet::render() const {
  std::string out;
  render_to(out);
  return out;
}

void Snippet::render_to(std::string& out) const {
  if (!mark_ && !change_ && notes_.empty()) return;
  const uint32_t g = gutter();
  const uint32_t room = this->room();
  auto pad = [&] { out.append(g, ' '); };
  auto gut_open = [&] { paint_open(out, color_, Paint::Gutter); };
  auto gut_close = [&] { paint_close(out, color_); };
  // " |" or " =" after the padding, painted as the gutter.
  auto bar = [&](char c) {
    out += ' ';
    gut_open();
    out += c;
    gut_close();
  };
  auto number = [&](int line) {
    gut_open();
    right_aligned(out, line, g);
    gut_close();
  };
  const std::string_view dim_on = color_ ? "\x1b[2m" : "", dim_off = color_ ? "\x1b[0m" : "";
  if (mark_) {
    const DisplayLine line = lay_out(source_.line(mark_->line), mark_->line == 1);
    const uint32_t c0 = line.column_of(mark_->begin);
    const uint32_t c1 = std::max(c0 + 1, mark_->end > mark_->begin ? line.column_of(mark_->end) : c0 + 1);
    const Window w = window(line, c0, c1, room);
    pad();
    bar('|');
    out += '\n';
    number(mark_->line);
    bar('|');
    const size_t before_text = out.size();
    out += ' ';
    cut(out, line, w, dim_on, dim_off);
    if (out.size() == before_text + 1) out.pop_back();  // nothing shown: no space either
    out += '\n';
    const uint32_t end = w.right ? std::max(std::min(c1, w.to), c0 + 1) : c1;
    pad();
    bar('|');
    out += ' ';
    out.append(w.offset(c0), ' ');
    paint_open(out, color_, mark_->paint);
    out += '^';
    out.append(end > c0 + 1 ? end - c0 - 1 : 0, '~');
    paint_close(out, color_);
    out += '\n';
  }
  for (const auto& n : notes_) {
    pad();
    bar('=');
    out += ' ';
    out += n;
    out += '\n';
  }
  if (change_) {
    const ShownChange& c = *shown_;  // change() made sure it fits
    // Coloured as a whole: no dimmed escapes inside, which would end the colour.
    auto line = [&](char sign, const DisplayLine& text, const Window& w, Paint p) {
      number(change_->line);
      out += ' ';
      paint_open(out, color_, p);
      out += sign;
      out += ' ';
      cut(out, text, w, "", "");
      paint_close(out, color_);
      out += '\n';
    };
    if (c.before) line('-', *c.before, c.before_window, Paint::Removed);
    if (c.after) line('+', *c.after, c.after_window, Paint::Added);
  }
}

}  // namespace dockerfix::cli
