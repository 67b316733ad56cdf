#include "images/platform.h"

#include <algorithm>
#include <sstream>
#include <vector>

namespace dockerfix::images {

namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// containerd's platforms.Normalize, for the names people write.
void normalize(Platform& p) {
  p.os = lower(p.os);
  p.architecture = lower(p.architecture);
  p.variant = lower(p.variant);
  if (p.os == "macos") p.os = "darwin";
  if (p.architecture == "x86_64" || p.architecture == "x86-64") p.architecture = "amd64";
  if (p.architecture == "i386" || p.architecture == "i686") p.architecture = "386";
  if (p.architecture == "aarch64") p.architecture = "arm64";
  if (p.architecture == "armhf") p.architecture = "arm", p.variant = p.variant.empty() ? "v7" : p.variant;
  if (p.architecture == "armel") p.architecture = "arm", p.variant = p.variant.empty() ? "v6" : p.variant;
  if (p.architecture == "arm64" && p.variant == "8") p.variant = "v8";
  if (p.architecture == "arm" && p.variant.size() == 1) p.variant = "v" + p.variant;
  if (p.architecture == "amd64" && p.variant == "v1") p.variant.clear();
}

bool plain_word(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isalnum(c) || c == '_' || c == '-'; });
}

// The variant an entry without one stands for.
std::string default_variant(const std::string& arch) {
  if (arch == "arm64") return "v8";
  if (arch == "arm") return "v7";
  return {};
}

}  // namespace

std::string Platform::text() const { return os + "/" + architecture + (variant.empty() ? "" : "/" + variant); }

std::optional<Platform> parse_platform(const std::string& text) {
  std::vector<std::string> parts;
  std::stringstream ss(text);
  for (std::string part; std::getline(ss, part, '/');) parts.push_back(part);
  if (!text.empty() && text.back() == '/') return std::nullopt;
  if (parts.size() < 2 || parts.size() > 3) return std::nullopt;
  for (const auto& p : parts)
    if (!plain_word(p)) return std::nullopt;
  Platform p{parts[0], parts[1], parts.size() == 3 ? parts[2] : ""};
  normalize(p);
  return p;
}

const nlohmann::json* choose_manifest(const nlohmann::json& index, const Platform& want) {
  if (!index.contains("manifests") || !index["manifests"].is_array()) return nullptr;
  const nlohmann::json* fallback = nullptr;
  for (const auto& m : index["manifests"]) {
    if (!m.is_object() || !m.contains("platform") || !m["platform"].is_object()) continue;
    const auto& pj = m["platform"];
    Platform have{pj.value("os", ""), pj.value("architecture", ""), pj.value("variant", "")};
    normalize(have);
    if (have.os != want.os || have.architecture != want.architecture) continue;
    std::string hv = have.variant.empty() ? default_variant(have.architecture) : have.variant;
    std::string wv = want.variant.empty() ? default_variant(want.architecture) : want.variant;
    if (hv == wv) return &m;
    if (want.variant.empty() && !fallback) fallback = &m;
  }
  return fallback;
}

}  // namespace dockerfix::images
