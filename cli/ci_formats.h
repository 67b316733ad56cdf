// Report formats CI systems ingest besides JSON and SARIF, as hadolint
// writes them: `checkstyle` (Checkstyle XML: Jenkins, GitHub annotators; one
// <file> element per file with findings, in input order), `codeclimate`
// (Code Climate engine issues, each JSON object followed by a NUL byte as the
// spec says) and `gitlab_codeclimate` (GitLab's code quality report: one JSON
// array, each issue with a fingerprint). Written as they go, like JSON and
// SARIF: a file's part is rendered on the worker that checked it and written
// by the calling thread in input order.
#pragma once

#include <string>
#include <vector>

#include "cli/json_stream.h"
#include "dockerfix/fix.h"

namespace dockerfix::cli {

bool is_ci_format(const std::string& format);

class CiWriter {
 public:
  explicit CiWriter(std::string format) : format_(std::move(format)) {}
  // What comes before the first file.
  std::string begin();
  // One file's findings, rendered for add() (empty: none); any thread may call it.
  static std::string render(const std::string& format, const std::string& path, const std::vector<fix::Finding>& findings);
  std::string add(const std::string& rendered);
  // A file dockerfix refused, reported as an error at its line 1.
  std::string add_error(const std::string& path, const std::string& message);
  // What comes after the last file.
  std::string end();

 private:
  std::string format_;
  JsonArrayWriter gitlab_{0};
};

}  // namespace dockerfix::cli
