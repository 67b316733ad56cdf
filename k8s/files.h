// Reading the repository's files and walking its tree.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace dockerfix::k8s {

std::optional<std::string> read_text(const std::filesystem::path& path);

// Regular files under root/dir (repository-relative, '/' separated, sorted)
// whose names end in one of `suffixes` (all files when empty). Skips .git
// and symlinked directories.
std::vector<std::string> list_files(const std::filesystem::path& root, const std::string& dir,
                                    const std::vector<std::string>& suffixes = {});

}  // namespace dockerfix::k8s
