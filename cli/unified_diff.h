// The unified diff `diff` prints (libgit2's, with a/ and b/ prefixes),
// painted when asked: Dockerfiles and the Kubernetes pass's YAML files alike.
#pragma once

#include <string>

namespace dockerfix::cli {

std::string unified_diff(const std::string& path, const std::string& before, const std::string& after, bool color);

}  // namespace dockerfix::cli
