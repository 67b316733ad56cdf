#include "k8s/files.h"

#include <algorithm>
#include <fstream>
#include <sstream>

namespace dockerfix::k8s {

std::optional<std::string> read_text(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) return std::nullopt;
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<std::string> list_files(const std::filesystem::path& root, const std::string& dir,
                                    const std::vector<std::string>& suffixes) {
  namespace fs = std::filesystem;
  std::vector<std::string> out;
  std::error_code ec;
  fs::path start = dir.empty() || dir == "." ? root : root / dir;
  if (!fs::is_directory(start, ec)) return out;
  for (auto it = fs::recursive_directory_iterator(start, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    const auto& entry = *it;
    std::string name = entry.path().filename().string();
    if (entry.is_symlink(ec) && entry.is_directory(ec)) {
      it.disable_recursion_pending();
      continue;
    }
    if (entry.is_directory(ec)) {
      if (name == ".git") it.disable_recursion_pending();
      continue;
    }
    if (!entry.is_regular_file(ec)) continue;
    if (!suffixes.empty() && std::none_of(suffixes.begin(), suffixes.end(), [&](const std::string& s) {
          return name.size() >= s.size() && name.compare(name.size() - s.size(), s.size(), s) == 0;
        }))
      continue;
    out.push_back(entry.path().lexically_relative(root).generic_string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace dockerfix::k8s
