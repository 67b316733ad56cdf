// Facts by manifest digest under $XDG_CACHE_HOME/dockerfix/images (else
// ~/.cache/dockerfix/images): an image's facts never change for a digest,
// so a second learn of it, in this repository or another, reads no layer.
// Each file is a lock document holding one entry; refs/ remembers the
// digest each reference and platform had, for `learn --offline`.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "dockerfix/lock.h"

namespace dockerfix::images {

std::filesystem::path default_cache_dir();

class Cache {
 public:
  explicit Cache(std::filesystem::path dir) : dir_(std::move(dir)) {}
  // nullopt when absent or unreadable (a broken cache file is ignored).
  std::optional<model::LockedImage> by_manifest(const std::string& manifest_digest) const;
  std::optional<model::LockedImage> by_reference(const std::string& reference, const std::string& platform) const;
  // Best effort: a cache that cannot be written only costs time.
  void put(const model::LockedImage& image, const std::string& requested_platform) const;

 private:
  std::optional<model::LockedImage> read(const std::filesystem::path& file) const;
  std::filesystem::path ref_file(const std::string& reference, const std::string& platform) const;
  std::filesystem::path dir_;
};

}  // namespace dockerfix::images
