// "Did you mean …?" for a mistyped command, rule or option value.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dockerfix::cli {

// The candidate closest to `typed` (case-insensitive edit distance, a
// transposition counting as one edit), if it is close enough to be what was
// meant: at most 2 edits, and fewer than half of the typed word. Ties go to
// the earlier candidate.
std::optional<std::string> closest(std::string_view typed, const std::vector<std::string>& candidates);

}  // namespace dockerfix::cli
