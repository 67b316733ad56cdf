#include <algorithm>

#include "dockerfix/syntax.h"

namespace dockerfix {

std::string print(const Dockerfile& file) {
  std::string out;
  out.reserve(file.source.size());
  for (const auto& t : file.tokens) out.append(file.text(t.span));
  return out;
}

std::pair<int, int> Dockerfile::position(uint32_t offset) const {
  if (line_starts.empty()) return {1, static_cast<int>(offset) + 1};
  auto it = std::upper_bound(line_starts.begin(), line_starts.end(), offset);
  size_t line = static_cast<size_t>(it - line_starts.begin());
  if (line == 0) line = 1;
  return {static_cast<int>(line), static_cast<int>(offset - line_starts[line - 1]) + 1};
}

bool Dockerfile::has_errors() const {
  return std::any_of(diagnostics.begin(), diagnostics.end(),
                     [](const Diagnostic& d) { return d.severity == Severity::Error; });
}

uint32_t Instruction::file_offset(uint32_t logical_offset) const {
  if (pieces.empty()) return span.begin;
  auto it = std::upper_bound(pieces.begin(), pieces.end(), logical_offset,
                             [](uint32_t v, const Piece& p) { return v < p.logical; });
  const Piece& p = it == pieces.begin() ? pieces.front() : *(it - 1);
  return p.file + std::min(logical_offset - std::min(logical_offset, p.logical), p.length);
}

}  // namespace dockerfix
