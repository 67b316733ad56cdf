// Positions in YAML files and byte-range edits of them: what findings point
// at and what fixes change.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace dockerfix::k8s {

// A place in a file of the repository.
struct Location {
  std::string file;  // repository-relative, '/' separated
  int line = 0;      // 1-based; 0 when unknown
  int column = 0;    // 1-based, in bytes
  uint32_t begin = 0;  // byte range [begin, end) in the file
  uint32_t end = 0;
};

// Replace bytes [begin, end) of the original file with `text` (an insertion
// when begin == end), like the Dockerfile fixes.
struct Edit {
  uint32_t begin = 0;
  uint32_t end = 0;
  std::string text;
  bool operator==(const Edit&) const = default;
};

// Something dockerfix could not read, reported rather than guessed.
struct Problem {
  std::string file;
  int line = 0;
  int column = 0;
  std::string message;
};

}  // namespace dockerfix::k8s
