#include "cli/input_check.h"

#include <algorithm>

#include <fmt/core.h>

namespace dockerfix::cli {

namespace {

// Length of the valid UTF-8 sequence at s[i], or 0.
size_t utf8_length(const std::string& s, size_t i) {
  auto b = [&](size_t k) { return static_cast<unsigned char>(s[i + k]); };
  auto cont = [&](size_t k) { return i + k < s.size() && (b(k) & 0xC0) == 0x80; };
  unsigned char c = b(0);
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF) return cont(1) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    if (!cont(1) || !cont(2)) return 0;
    if (c == 0xE0 && b(1) < 0xA0) return 0;  // overlong
    if (c == 0xED && b(1) >= 0xA0) return 0;  // surrogate
    return 3;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (!cont(1) || !cont(2) || !cont(3)) return 0;
    if (c == 0xF0 && b(1) < 0x90) return 0;
    if (c == 0xF4 && b(1) >= 0x90) return 0;
    return 4;
  }
  return 0;
}

std::pair<size_t, size_t> line_col(const std::string& s, size_t at) {
  size_t line = 1 + static_cast<size_t>(std::count(s.begin(), s.begin() + static_cast<long>(at), '\n'));
  size_t nl = at == 0 ? std::string::npos : s.rfind('\n', at - 1);
  return {line, nl == std::string::npos ? at + 1 : at - nl};
}

}  // namespace

std::string too_large(const std::string& path, size_t size, size_t max_size) {
  return fmt::format("{}: {} bytes is over the size limit of {} bytes (--max-size); not a Dockerfile?", path, size,
                     max_size);
}

std::string over_limit(const std::string& path, size_t max_size) {
  return fmt::format("{}: over the size limit of {} bytes (--max-size); not a Dockerfile?", path, max_size);
}

std::optional<std::string> refuse_input(const std::string& path, const std::string& bytes, size_t max_size) {
  if (bytes.size() > max_size) return too_large(path, bytes.size(), max_size);
  if (auto nul = bytes.find('\0'); nul != std::string::npos) {
    auto [line, col] = line_col(bytes, nul);
    return fmt::format("{}:{}:{}: NUL byte: this looks like a binary file, not a Dockerfile", path, line, col);
  }
  for (size_t i = 0; i < bytes.size();) {
    size_t n = utf8_length(bytes, i);
    if (n == 0) {
      auto [line, col] = line_col(bytes, i);
      return fmt::format("{}:{}:{}: invalid UTF-8 (byte 0x{:02x}); dockerfix only rewrites UTF-8 text", path, line, col,
                         static_cast<unsigned char>(bytes[i]));
    }
    i += n;
  }
  return std::nullopt;
}

}  // namespace dockerfix::cli
