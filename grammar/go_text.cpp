#include "grammar/go_text.h"

namespace dockerfix::go {

Rune decode_multibyte(std::string_view s, size_t i) {
  auto b0 = static_cast<unsigned char>(s[i]);
  auto cont = [&](size_t k) {
    return i + k < s.size() && (static_cast<unsigned char>(s[i + k]) & 0xC0) == 0x80;
  };
  auto c = [&](size_t k) { return static_cast<char32_t>(static_cast<unsigned char>(s[i + k]) & 0x3F); };
  if (b0 >= 0xC2 && b0 <= 0xDF && cont(1)) return {((b0 & 0x1Fu) << 6) | c(1), 2};
  if (b0 >= 0xE0 && b0 <= 0xEF && cont(1) && cont(2)) {
    char32_t r = ((b0 & 0x0Fu) << 12) | (c(1) << 6) | c(2);
    if (r >= 0x800 && (r < 0xD800 || r > 0xDFFF)) return {r, 3};
  }
  if (b0 >= 0xF0 && b0 <= 0xF4 && cont(1) && cont(2) && cont(3)) {
    char32_t r = ((b0 & 0x07u) << 18) | (c(1) << 12) | (c(2) << 6) | c(3);
    if (r >= 0x10000 && r <= 0x10FFFF) return {r, 4};
  }
  return {0xFFFD, 1};
}

void append_rune(std::string& out, char32_t c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

std::string to_valid_utf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    Rune r = decode_rune(s, i);
    if (r.value == 0xFFFD && r.width == 1) append_rune(out, 0xFFFD);
    else out.append(s.substr(i, r.width));
    i += r.width;
  }
  return out;
}

std::string quote(std::string_view s) {
  static const char* const kHex = "0123456789abcdef";
  std::string out = "\"";
  for (size_t i = 0; i < s.size();) {
    Rune r = decode_rune(s, i);
    std::string_view bytes = s.substr(i, r.width);
    i += r.width;
    if (r.value == 0xFFFD && r.width == 1) {
      auto b = static_cast<unsigned char>(bytes[0]);
      out += "\\x";
      out += kHex[b >> 4];
      out += kHex[b & 15];
      continue;
    }
    switch (r.value) {
      case '"': out += "\\\""; continue;
      case '\\': out += "\\\\"; continue;
      case '\a': out += "\\a"; continue;
      case '\b': out += "\\b"; continue;
      case '\f': out += "\\f"; continue;
      case '\n': out += "\\n"; continue;
      case '\r': out += "\\r"; continue;
      case '\t': out += "\\t"; continue;
      case '\v': out += "\\v"; continue;
      default: break;
    }
    if (r.value < 0x20 || r.value == 0x7F) {
      out += "\\x";
      out += kHex[r.value >> 4];
      out += kHex[r.value & 15];
    } else if ((r.value >= 0x80 && r.value < 0xA0) || r.value == 0xAD) {
      out += "\\u00";
      out += kHex[(r.value >> 4) & 15];
      out += kHex[r.value & 15];
    } else {
      out += bytes;
    }
  }
  out += '"';
  return out;
}

bool is_space_multibyte(char32_t r) {
  switch (r) {
    case 0x85: case 0xA0: case 0x1680: case 0x2028: case 0x2029:
    case 0x202F: case 0x205F: case 0x3000:
      return true;
    default:
      return r >= 0x2000 && r <= 0x200A;
  }
}

size_t leading_space(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    auto [r, w] = decode_rune(s, i);
    if (!is_space_rune(r)) break;
    i += w;
  }
  return i;
}

size_t trailing_space(std::string_view s) {
  size_t i = s.size();
  while (i > 0) {
    auto last = static_cast<unsigned char>(s[i - 1]);
    if (last < 0x80) {
      if (!is_space_rune(last)) break;
      --i;
      continue;
    }
    // Back up to the start of the multi-byte rune; an invalid sequence
    // decodes to a width that does not reach `i`, and is not a space.
    size_t start = i - 1;
    while (start > 0 && i - start < 4 && (static_cast<unsigned char>(s[start]) & 0xC0) == 0x80) --start;
    auto rune = decode_rune(s, start);
    if (start + rune.width != i || !is_space_rune(rune.value)) break;
    i = start;
  }
  return s.size() - i;
}

std::string_view trim_space(std::string_view s) {
  s.remove_prefix(leading_space(s));
  s.remove_suffix(trailing_space(s));
  return s;
}

}  // namespace dockerfix::go
