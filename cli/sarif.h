// SARIF 2.1.0 output for `check --format sarif` (GitHub code scanning),
// written as it goes: the tool and its rules, each file's results as the file
// is done, then the invocation with the refused files' notifications.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/json_stream.h"
#include "dockerfix/fix.h"

namespace dockerfix::cli {

class SarifWriter {
 public:
  // The log up to its first result.
  std::string begin();
  // A file's findings as results, rendered for add() (empty: none); any
  // thread may call it.
  static std::string results(const Dockerfile& file, const std::string& path, const std::vector<fix::Finding>& findings);
  // A finding in another file (a Kubernetes manifest), its end given, with
  // that file's text (empty: columns as given, in bytes).
  static std::string result(const std::string& path, const fix::Finding& finding, int end_line, int end_column,
                            std::string_view text);
  // Rendered results (one, or a file's), after those before them.
  std::string add(const std::string& rendered);
  // A file dockerfix refused to read, as a tool execution notification.
  void add_error(const std::string& message);
  // The rest of the log (no final newline).
  std::string end();

 private:
  struct Artifact {
    std::string uri;
    bool absolute = false;  // else relative to SRCROOT
  };
  static Artifact artifact(const std::string& path);
  // Columns in code points (the run's columnKind).
  static void write_result(std::string& out, const Artifact& where, const fix::Finding& f, int start_column, int end_line,
                           int end_column);

  JsonArrayWriter results_{3};
  nlohmann::json notifications_ = nlohmann::json::array();
};

}  // namespace dockerfix::cli
