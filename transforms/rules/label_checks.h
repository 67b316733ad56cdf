// The label-schema rules (hadolint's DL3049-DL3058): the schema comes from
// `label-schema` in the config (label name -> text, url, semver, hash,
// rfc3339, spdx, email); each rule checks the labels of one type.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "dockerfix/fix.h"

namespace dockerfix::fix {

struct LabelPair {
  std::string key, value;
  size_t instruction = 0;
};
// Every LABEL pair of the file, in order. Read once per model (kept with
// it: every label rule reads them); valid as long as it is.
const std::vector<LabelPair>& labels(const Context& ctx);

bool valid_url(std::string_view v);
bool valid_semver(std::string_view v);
bool valid_rfc3339(std::string_view v);
bool valid_git_hash(std::string_view v);
bool valid_email(std::string_view v);

// Findings for each label whose schema type is `type` and whose value
// `valid` refuses: "label `KEY` is not WHAT".
std::vector<Finding> bad_labels(const Context& ctx, std::string_view id, std::string_view type, bool (*valid)(std::string_view),
                                std::string_view what);

}  // namespace dockerfix::fix
