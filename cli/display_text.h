// A line of a file as a terminal shows it, character by character, so a
// caret can be put under a byte column: tabs expanded to the next multiple of
// 8, wide characters two columns and combining ones none (wcwidth(3) in the
// C.UTF-8 locale, whatever the user's), and whatever a terminal would act on
// instead of showing (control characters, bidirectional overrides as in
// "Trojan Source", bytes that are not UTF-8) written as visible escapes, so
// a snippet never moves the cursor, recolours or reorders the screen.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace dockerfix::cli {

struct Glyph {
  uint32_t byte = 0;     // offset in the line of the character's first byte
  uint32_t bytes = 1;    // how many bytes it is
  uint32_t column = 0;   // display column it starts at, from 0
  uint32_t width = 0;    // display columns it takes
  uint32_t shown_at = 0, shown_size = 0;  // what is written for it: DisplayLine::shown
  bool escaped = false;  // what is written stands for it: <U+001B>, \xFF
};

struct DisplayLine {
  std::vector<Glyph> glyphs;
  std::string shown;   // what is written for each glyph, one after the other
  uint32_t width = 0;  // display columns of the whole line

  std::string_view shown_of(const Glyph& g) const { return std::string_view(shown).substr(g.shown_at, g.shown_size); }
  // The display column byte `byte` of the line is shown at (a byte inside a
  // character: that character's; past the end: the line's width).
  uint32_t column_of(uint32_t byte) const;
  // The glyphs that lie wholly in display columns [from, to), written out
  // (appended to `out`); escapes wrapped in `escape_on`/`escape_off` (colour
  // codes, or nothing).
  void slice_to(std::string& out, uint32_t from, uint32_t to, std::string_view escape_on = {},
                std::string_view escape_off = {}) const;
  std::string slice(uint32_t from, uint32_t to, std::string_view escape_on = {}, std::string_view escape_off = {}) const;
  // The column of the first glyph at or after `column` (`width` if none).
  uint32_t glyph_start_at_or_after(uint32_t column) const;
};

// `line` without its line ending. `first_line`: a UTF-8 byte order mark at
// its start is no character of the text and is left out.
DisplayLine lay_out(std::string_view line, bool first_line = false);

// `text` with what lay_out escapes escaped (tabs kept): for messages and
// paths, which quote the file (a user name, a script's path). The second
// form appends to `out`.
std::string escape_controls(std::string_view text);
void append_escaped_controls(std::string& out, std::string_view text);

}  // namespace dockerfix::cli
