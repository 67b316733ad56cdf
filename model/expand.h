// Variable expansion for the values the model resolves itself (FROM, USER,
// WORKDIR): `$V`, `${V}`, `${V:-d}`, `${V-d}`, `${V:+a}`, `${V+a}`.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace dockerfix::model {

using Vars = std::map<std::string, std::string>;

// nullopt when a variable is neither set nor defaulted: the value is then
// unknown, and the model says so instead of guessing.
std::optional<std::string> expand(std::string_view text, const Vars& vars, char escape = '\\');

}  // namespace dockerfix::model
