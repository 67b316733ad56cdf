// The knowledge file's runtime keys and its `releases:` list
// (data/README.md), read by model/knowledge.cpp.
#pragma once

#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "dockerfix/image_runtime.h"

namespace dockerfix::model {

// Reads `key` into `out` when it is a runtime key; false for other keys.
// Throws std::runtime_error naming `origin` and the line on bad values.
bool read_runtime_key(const std::string& key, const YAML::Node& value, ImageRuntime& out, const std::string& origin);

std::vector<OsRelease> read_releases(const YAML::Node& list, const std::string& origin);

// Dotted numeric versions ("2.6.1" < "2.10"); non-digits end a version.
bool version_less(const std::string& a, const std::string& b);

}  // namespace dockerfix::model
