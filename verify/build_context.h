// The build context as the docker CLI sends it: a tar of the context
// directory (libarchive) without what .dockerignore excludes, owned by
// root, with the Dockerfile text under test in place of the file on disk.
#pragma once

#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>

namespace dockerfix::verify {

struct ContextError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct ContextTar {
  std::string dockerfile;  // its name inside the tar: the `dockerfile` parameter of /build
  size_t files = 0;
  uint64_t bytes = 0;
};

// Writes the tar to `out`. A Dockerfile inside the context replaces its own
// entry; one outside it is added as `.dockerfile.<random>` and excluded (with
// .dockerignore) through the .dockerignore in the tar, as `docker build -f`
// does. Throws ContextError naming the file that could not be read.
ContextTar write_context(const std::filesystem::path& context_dir, const std::filesystem::path& dockerfile_path,
                         const std::string& dockerfile_text, const std::filesystem::path& out);

}  // namespace dockerfix::verify
