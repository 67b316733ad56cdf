// A proof as people and programs read it: text for a terminal, and JSON
// (docs/verify.md describes every field).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "verify/prove.h"

namespace dockerfix::verify {

std::string report_text(const Proof& proof);
nlohmann::json report_json(const Proof& proof);

}  // namespace dockerfix::verify
