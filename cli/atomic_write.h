// Replacing a file without ever leaving it half-written.
#pragma once

#include <string>

namespace dockerfix::cli {

// Writes `text` to a temporary file beside the file `path` resolves to,
// flushes it to disk, gives it the original's mode and renames it over the
// original. A symlink is written through (its target is replaced, the link
// kept) only when the target stays inside `tree_root`. On failure nothing
// changes and `error` names the file.
bool write_atomically(const std::string& path, const std::string& text, const std::string& tree_root,
                      std::string& error);

}  // namespace dockerfix::cli
