// Report formats CI systems ingest besides JSON and SARIF, as hadolint
// writes them: `checkstyle` (Checkstyle XML: Jenkins, GitHub annotators),
// `codeclimate` (Code Climate engine issues, each JSON object followed by a
// NUL byte as the spec says) and `gitlab_codeclimate` (GitLab's code quality
// report: one JSON array, each issue with a fingerprint).
#pragma once

#include <string>
#include <vector>

#include "dockerfix/fix.h"

namespace dockerfix::cli {

bool is_ci_format(const std::string& format);

class CiReport {
 public:
  explicit CiReport(std::string format) : format_(std::move(format)) {}
  void add(const std::string& path, const fix::Finding& f);
  // A file dockerfix refused, reported as an error at its line 1.
  void add_error(const std::string& path, const std::string& message);
  std::string dump() const;

 private:
  struct Item {
    std::string path, rule, message;
    int line = 0, column = 0;
    fix::Severity severity = fix::Severity::Warning;
  };
  std::string format_;
  std::vector<Item> items_;
};

}  // namespace dockerfix::cli
