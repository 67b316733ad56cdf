// Shared helpers for the tests: reading files and the corpus.
#pragma once

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace dockerfix::test {

inline std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline std::filesystem::path corpus_dir() {
  if (const char* env = std::getenv("DOCKERFIX_CORPUS_DIR")) return env;
  return DOCKERFIX_CORPUS_DIR;
}

// Every Dockerfile of the corpus (not its README, manifest or oracle).
inline std::vector<std::filesystem::path> corpus_files() {
  std::vector<std::filesystem::path> out;
  std::error_code ec;
  for (auto it = std::filesystem::recursive_directory_iterator(corpus_dir(), ec);
       it != std::filesystem::recursive_directory_iterator(); ++it) {
    if (!it->is_regular_file()) continue;
    auto name = it->path().filename().string();
    if (name == "README.md" || name == "MANIFEST.tsv" || it->path().extension() == ".jsonl") continue;
    out.push_back(it->path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace dockerfix::test
