#include "images/cache.h"

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "images/digest.h"

namespace dockerfix::images {

namespace fs = std::filesystem;

namespace {

bool write_replacing(const fs::path& file, const std::string& text) {
  std::error_code ec;
  fs::create_directories(file.parent_path(), ec);
  fs::path tmp = file;
  tmp += ".tmp" + std::to_string(getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return false;
    out << text;
    if (!out.flush()) return false;
  }
  fs::rename(tmp, file, ec);
  if (ec) fs::remove(tmp, ec);
  return !ec;
}

}  // namespace

fs::path default_cache_dir() {
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg && fs::path(xdg).is_absolute())
    return fs::path(xdg) / "dockerfix" / "images";
  const char* home = std::getenv("HOME");
  return fs::path(home && *home ? home : "/tmp") / ".cache" / "dockerfix" / "images";
}

std::optional<model::LockedImage> Cache::read(const fs::path& file) const {
  std::error_code ec;
  if (dir_.empty() || !fs::is_regular_file(file, ec)) return std::nullopt;
  try {
    model::Lock lock = model::read_lock(file);
    if (lock.images.size() != 1) return std::nullopt;
    return lock.images.begin()->second;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

std::optional<model::LockedImage> Cache::by_manifest(const std::string& manifest) const {
  if (!valid_digest(manifest)) return std::nullopt;
  auto e = read(dir_ / (manifest.substr(7) + ".yaml"));
  if (!e || e->manifest != manifest) return std::nullopt;
  return e;
}

fs::path Cache::ref_file(const std::string& reference, const std::string& platform) const {
  return dir_ / "refs" / (sha256_digest(reference + "\n" + platform).substr(7) + ".yaml");
}

std::optional<model::LockedImage> Cache::by_reference(const std::string& reference, const std::string& platform) const {
  auto e = read(ref_file(reference, platform));
  if (!e || e->reference != reference) return std::nullopt;
  return e;
}

void Cache::put(const model::LockedImage& image, const std::string& requested_platform) const {
  if (dir_.empty() || !valid_digest(image.manifest)) return;
  model::Lock one;
  one.images[image.reference] = image;
  std::string text = model::lock_text(one);
  write_replacing(dir_ / (image.manifest.substr(7) + ".yaml"), text);
  write_replacing(ref_file(image.reference, requested_platform), text);
}

}  // namespace dockerfix::images
