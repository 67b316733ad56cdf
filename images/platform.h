// Platforms as `docker build --platform` writes them (os/arch[/variant]) and
// how an index's entries are matched against one.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace dockerfix::images {

struct Platform {
  std::string os = "linux";
  std::string architecture = "amd64";
  std::string variant;  // "v8", "v7"; empty: any
  std::string text() const;
};

// Parses "linux/amd64", "linux/arm64/v8", "linux/arm/v7"; aliases (x86_64,
// aarch64) are normalised as containerd does. nullopt when malformed.
std::optional<Platform> parse_platform(const std::string& text);

// The index entry (a descriptor with a "platform" object) that fits best,
// or nullptr: an exact variant first, then a missing variant.
const nlohmann::json* choose_manifest(const nlohmann::json& index, const Platform& want);

}  // namespace dockerfix::images
