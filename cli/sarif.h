// SARIF 2.1.0 output for `check --format sarif` (GitHub code scanning).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "dockerfix/fix.h"

namespace dockerfix::cli {

class SarifLog {
 public:
  SarifLog();
  void add(const Dockerfile& file, const std::string& path, const fix::Finding& finding);
  // A finding in another file (a Kubernetes manifest), its end given.
  void add(const std::string& path, const fix::Finding& finding, int end_line, int end_column);
  // A file dockerfix refused to read, as a tool execution notification.
  void add_error(const std::string& message);
  std::string dump() const;

 private:
  nlohmann::json log_;
};

}  // namespace dockerfix::cli
