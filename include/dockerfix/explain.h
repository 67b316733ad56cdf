// `dockerfix explain`: the build model as JSON and as readable text.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "dockerfix/model.h"

namespace dockerfix::model {

nlohmann::json explain_json(const Dockerfile& file, const BuildModel& model);
std::string explain_text(const Dockerfile& file, const BuildModel& model);

}  // namespace dockerfix::model
