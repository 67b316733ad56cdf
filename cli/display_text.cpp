#include "cli/display_text.h"

#include <locale.h>
#include <wchar.h>

#include <algorithm>

namespace dockerfix::cli {
namespace {

constexpr uint32_t kTabStop = 8;

// The same widths on every machine and in every thread, whatever LANG says:
// C.UTF-8 (glibc's, always installed on Debian). Without any UTF-8 locale
// every byte past ASCII is escaped: uglier, never unsafe.
locale_t utf8_locale() {
  static const locale_t loc = [] {
    for (const char* name : {"C.UTF-8", "C.utf8", "en_US.UTF-8"})
      if (locale_t l = newlocale(LC_CTYPE_MASK, name, static_cast<locale_t>(nullptr))) return l;
    return static_cast<locale_t>(nullptr);
  }();
  return loc;
}

// uselocale(3) is per thread: workers lay out lines at the same time. Made
// the thread's only at the first byte past ASCII, which most lines lack.
class ThreadLocale {
 public:
  ThreadLocale() = default;
  ~ThreadLocale() {
    if (previous_) uselocale(previous_);
  }
  ThreadLocale(const ThreadLocale&) = delete;
  ThreadLocale& operator=(const ThreadLocale&) = delete;
  locale_t get() {
    if (!set_) {
      set_ = true;
      loc_ = utf8_locale();
      if (loc_) previous_ = uselocale(loc_);
    }
    return loc_;
  }

 private:
  bool set_ = false;
  locale_t loc_ = nullptr, previous_ = nullptr;
};

// Invisible characters that reorder the text around them (CVE-2021-42574).
bool bidi_control(wchar_t c) {
  return c == 0x061C || c == 0x200E || c == 0x200F || (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
}

bool plain_ascii(unsigned char c) { return c >= 0x20 && c < 0x7f; }

// One character of a line as lay_out shows it.
struct Char {
  size_t length = 1;     // its bytes
  uint32_t width = 1;    // display columns, but for a tab
  bool tab = false;      // to the next tab stop
  bool skip = false;     // a byte order mark: no character
  bool escaped = false;  // written as `escape`, else as its own bytes
  std::string_view text;
  char escape[16];
  size_t escape_size = 0;

  std::string_view shown() const { return escaped ? std::string_view(escape, escape_size) : text; }
  void escape_as(std::string_view prefix, uint32_t value, int digits, std::string_view suffix) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    escaped = true;
    escape_size = 0;
    for (char ch : prefix) escape[escape_size++] = ch;
    int n = 0;
    for (uint32_t v = value; v; v >>= 4) ++n;
    for (int k = std::max(n, digits) - 1; k >= 0; --k) escape[escape_size++] = kHex[(value >> (4 * k)) & 0xF];
    for (char ch : suffix) escape[escape_size++] = ch;
    width = static_cast<uint32_t>(escape_size);
  }
};

Char next_char(std::string_view line, size_t i, bool first_line, ThreadLocale& locale) {
  const auto c = static_cast<unsigned char>(line[i]);
  Char out;
  out.text = line.substr(i, 1);
  if (c == '\t') {
    out.tab = true;
  } else if (c < 0x80) {
    if (!plain_ascii(c)) out.escape_as("<U+", c, 4, ">");
  } else {
    const locale_t loc = locale.get();
    wchar_t wc = 0;
    mbstate_t state{};
    const size_t n = loc ? mbrtowc(&wc, line.data() + i, line.size() - i, &state) : static_cast<size_t>(-1);
    if (n == 0 || n == static_cast<size_t>(-1) || n == static_cast<size_t>(-2)) {
      out.escape_as("\\x", c, 2, "");
    } else {
      out.length = n;
      out.text = line.substr(i, n);
      const int w = wcwidth(wc);
      if (first_line && i == 0 && wc == 0xFEFF) out.skip = true;
      else if (w < 0 || bidi_control(wc)) out.escape_as("<U+", static_cast<uint32_t>(wc), 4, ">");
      else out.width = static_cast<uint32_t>(w);
    }
  }
  return out;
}

}  // namespace

DisplayLine lay_out(std::string_view line, bool first_line) {
  DisplayLine out;
  out.glyphs.reserve(line.size());
  out.shown.reserve(line.size());
  ThreadLocale locale;
  uint32_t column = 0;
  for (size_t i = 0; i < line.size();) {
    // Printable ASCII, most of every line: a column a byte, shown as it is.
    if (plain_ascii(static_cast<unsigned char>(line[i]))) {
      const size_t from = i;
      for (; i < line.size() && plain_ascii(static_cast<unsigned char>(line[i])); ++i) {
        Glyph g;
        g.byte = static_cast<uint32_t>(i);
        g.column = column++;
        g.width = 1;
        g.shown_at = static_cast<uint32_t>(out.shown.size() + (i - from));
        g.shown_size = 1;
        out.glyphs.push_back(g);
      }
      out.shown.append(line.substr(from, i - from));
      continue;
    }
    const Char c = next_char(line, i, first_line, locale);
    if (!c.skip) {
      Glyph g;
      g.byte = static_cast<uint32_t>(i);
      g.bytes = static_cast<uint32_t>(c.length);
      g.column = column;
      g.shown_at = static_cast<uint32_t>(out.shown.size());
      g.escaped = c.escaped;
      if (c.tab) {
        g.width = kTabStop - column % kTabStop;
        out.shown.append(g.width, ' ');
      } else {
        g.width = c.width;
        out.shown += c.shown();
      }
      g.shown_size = static_cast<uint32_t>(out.shown.size()) - g.shown_at;
      column += g.width;
      out.glyphs.push_back(g);
    }
    i += c.length;
  }
  out.width = column;
  return out;
}

void append_escaped_controls(std::string& out, std::string_view text) {
  ThreadLocale locale;
  for (size_t i = 0; i < text.size();) {
    size_t plain = i;
    while (plain < text.size() && (plain_ascii(static_cast<unsigned char>(text[plain])) || text[plain] == '\t')) ++plain;
    out.append(text.substr(i, plain - i));
    if (plain == text.size()) break;
    const Char c = next_char(text, plain, false, locale);
    out += c.shown();
    i = plain + c.length;
  }
}

std::string escape_controls(std::string_view text) {
  std::string out;
  append_escaped_controls(out, text);
  return out;
}

uint32_t DisplayLine::column_of(uint32_t byte) const {
  auto it = std::upper_bound(glyphs.begin(), glyphs.end(), byte, [](uint32_t b, const Glyph& g) { return b < g.byte; });
  if (it == glyphs.begin()) return glyphs.empty() ? 0 : glyphs.front().column;
  const Glyph& g = *(it - 1);
  // Past the last character: the end of the line.
  if (it == glyphs.end() && byte >= g.byte + g.bytes) return width;
  return g.column;
}

void DisplayLine::slice_to(std::string& out, uint32_t from, uint32_t to, std::string_view escape_on,
                           std::string_view escape_off) const {
  bool base_in = from == 0;  // a zero-width character goes with the one before it
  // Glyphs shown as they are, one after another, are one piece of `shown`.
  size_t run_at = 0, run_end = 0;
  auto flush = [&] {
    out.append(shown, run_at, run_end - run_at);
    run_at = run_end = 0;
  };
  for (const Glyph& g : glyphs) {
    const bool in = g.width == 0 ? base_in : g.column >= from && g.column + g.width <= to;
    if (g.width > 0) base_in = in;
    if (!in) continue;
    if (g.escaped) {
      flush();
      out += escape_on;
      out += shown_of(g);
      out += escape_off;
    } else {
      if (run_end != g.shown_at) {
        flush();
        run_at = g.shown_at;
      }
      run_end = g.shown_at + g.shown_size;
    }
  }
  flush();
}

std::string DisplayLine::slice(uint32_t from, uint32_t to, std::string_view escape_on, std::string_view escape_off) const {
  std::string out;
  slice_to(out, from, to, escape_on, escape_off);
  return out;
}

uint32_t DisplayLine::glyph_start_at_or_after(uint32_t column) const {
  for (const Glyph& g : glyphs)
    if (g.width > 0 && g.column >= column) return g.column;
  return width;
}

}  // namespace dockerfix::cli
