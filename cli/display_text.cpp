#include "cli/display_text.h"

#include <locale.h>
#include <wchar.h>

#include <algorithm>

#include <fmt/core.h>

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

// uselocale(3) is per thread: workers lay out lines at the same time.
class ThreadLocale {
 public:
  explicit ThreadLocale(locale_t l) : previous_(l ? uselocale(l) : nullptr) {}
  ~ThreadLocale() {
    if (previous_) uselocale(previous_);
  }
  ThreadLocale(const ThreadLocale&) = delete;
  ThreadLocale& operator=(const ThreadLocale&) = delete;

 private:
  locale_t previous_;
};

// Invisible characters that reorder the text around them (CVE-2021-42574).
bool bidi_control(wchar_t c) {
  return c == 0x061C || c == 0x200E || c == 0x200F || (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
}

Glyph escaped(uint32_t byte, std::string shown) {
  Glyph g;
  g.byte = byte;
  g.width = static_cast<uint32_t>(shown.size());
  g.shown = std::move(shown);
  g.escaped = true;
  return g;
}

Glyph code_point_escape(uint32_t byte, uint32_t cp) { return escaped(byte, fmt::format("<U+{:04X}>", cp)); }

}  // namespace

DisplayLine lay_out(std::string_view line, bool first_line) {
  DisplayLine out;
  const locale_t loc = utf8_locale();
  ThreadLocale scope(loc);
  uint32_t column = 0;
  size_t i = 0;
  while (i < line.size()) {
    const auto c = static_cast<unsigned char>(line[i]);
    const auto at = static_cast<uint32_t>(i);
    Glyph g;
    size_t length = 1;
    if (c == '\t') {
      g.byte = at;
      g.width = kTabStop - column % kTabStop;
      g.shown.assign(g.width, ' ');
    } else if (c < 0x80) {
      if (c < 0x20 || c == 0x7f) {
        g = code_point_escape(at, c);
      } else {
        g.byte = at;
        g.width = 1;
        g.shown.assign(1, static_cast<char>(c));
      }
    } else {
      wchar_t wc = 0;
      mbstate_t state{};
      const size_t n = loc ? mbrtowc(&wc, line.data() + i, line.size() - i, &state) : static_cast<size_t>(-1);
      if (n == 0 || n == static_cast<size_t>(-1) || n == static_cast<size_t>(-2)) {
        g = escaped(at, fmt::format("\\x{:02X}", c));
      } else {
        length = n;
        const int w = wcwidth(wc);
        if (first_line && i == 0 && wc == 0xFEFF) {
          i += length;
          continue;
        }
        if (w < 0 || bidi_control(wc)) {
          g = code_point_escape(at, static_cast<uint32_t>(wc));
        } else {
          g.byte = at;
          g.width = static_cast<uint32_t>(w);
          g.shown.assign(line.substr(i, n));
        }
      }
    }
    g.column = column;
    g.bytes = static_cast<uint32_t>(length);
    column += g.width;
    out.glyphs.push_back(std::move(g));
    i += length;
  }
  out.width = column;
  return out;
}

std::string escape_controls(std::string_view text) {
  std::string out;
  for (const Glyph& g : lay_out(text).glyphs) out += text[g.byte] == '\t' ? std::string_view("\t") : std::string_view(g.shown);
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

std::string DisplayLine::slice(uint32_t from, uint32_t to, std::string_view escape_on, std::string_view escape_off) const {
  std::string out;
  bool base_in = from == 0;  // a zero-width character goes with the one before it
  for (const Glyph& g : glyphs) {
    const bool in = g.width == 0 ? base_in : g.column >= from && g.column + g.width <= to;
    if (g.width > 0) base_in = in;
    if (!in) continue;
    if (g.escaped) {
      out += escape_on;
      out += g.shown;
      out += escape_off;
    } else {
      out += g.shown;
    }
  }
  return out;
}

uint32_t DisplayLine::glyph_start_at_or_after(uint32_t column) const {
  for (const Glyph& g : glyphs)
    if (g.width > 0 && g.column >= column) return g.column;
  return width;
}

}  // namespace dockerfix::cli
