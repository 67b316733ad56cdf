// Character classes as BuildKit (Go) applies them. BuildKit trims with
// unicode.IsSpace over UTF-8 runes in some places and over single bytes in
// others; agreeing with it on instruction boundaries means using the same
// class in the same place.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace dockerfix::go {

// Decodes one UTF-8 rune at s[i]; invalid sequences count as one byte
// (Go decodes them as U+FFFD of width 1).
struct Rune {
  char32_t value;
  uint32_t width;
};
Rune decode_multibyte(std::string_view s, size_t i);
inline Rune decode_rune(std::string_view s, size_t i) {
  auto b = static_cast<unsigned char>(s[i]);
  return b < 0x80 ? Rune{b, 1} : decode_multibyte(s, i);
}

// unicode.IsSpace on a rune.
bool is_space_multibyte(char32_t r);
inline bool is_space_rune(char32_t r) {
  if (r < 0x80) return r == ' ' || (r >= '\t' && r <= '\r');
  return is_space_multibyte(r);
}

// unicode.IsSpace(rune(b)) on a single byte, as BuildKit's byte loops do.
inline bool is_space_byte(unsigned char b) {
  return b == '\t' || b == '\n' || b == '\v' || b == '\f' || b == '\r' || b == ' ' ||
         b == 0x85 || b == 0xA0;
}

// regexp `[\t\v\f\r ]` (BuildKit's reWhitespace).
inline bool is_re_whitespace(unsigned char b) {
  return b == '\t' || b == '\v' || b == '\f' || b == '\r' || b == ' ';
}

// Appends rune r as UTF-8 (utf8.AppendRune).
void append_rune(std::string& out, char32_t r);

// Replaces every byte that is not part of valid UTF-8 with U+FFFD, as Go's
// decoders (encoding/json among them) do.
std::string to_valid_utf8(std::string_view s);

// strconv.Quote, which BuildKit's %q messages use. Non-ASCII runes count as
// printable except C1 controls and U+00AD; Go's full unicode.IsPrint table
// differs only on unassigned and format code points.
std::string quote(std::string_view s);

// Length of the leading run of unicode spaces (bytes.TrimLeftFunc IsSpace).
size_t leading_space(std::string_view s);
// Length of the trailing run of unicode spaces.
size_t trailing_space(std::string_view s);
// strings.TrimSpace.
std::string_view trim_space(std::string_view s);

}  // namespace dockerfix::go
