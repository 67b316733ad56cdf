// Refusing input dockerfix must not rewrite: too large, binary (NUL bytes)
// or not UTF-8. The message names the file and, where there is one, the line.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

namespace dockerfix::cli {

inline constexpr size_t kDefaultMaxSize = 1 << 20;  // 1 MiB

std::string too_large(const std::string& path, size_t size, size_t max_size);
// The same when the size is only known to be over the limit (a read stopped at
// max_size + 1 bytes: standard input, or a file that grew while read).
std::string over_limit(const std::string& path, size_t max_size);
std::optional<std::string> refuse_input(const std::string& path, const std::string& bytes, size_t max_size);

}  // namespace dockerfix::cli
