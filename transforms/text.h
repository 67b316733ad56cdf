// Building blocks for rules: inserted lines that match their neighbours.
#pragma once

#include <algorithm>
#include <string>
#include <tuple>

#include "dockerfix/fix.h"

namespace dockerfix::fix {

std::string indentation(const Dockerfile& f, const Instruction& ins);
// A new line holding `line` (e.g. "USER root") just before / after `ins`.
Edit insert_line_before(const Dockerfile& f, const Instruction& ins, const std::string& line, const Style& s);
Edit insert_line_after(const Dockerfile& f, const Instruction& ins, const std::string& line, const Style& s);
Edit append_line(const Dockerfile& f, const std::string& line, const Style& s);
// A user of the stage (created in it, or the base image's) with this uid.
const model::KnownUser* user_with_uid(const model::Stage& s, uint32_t uid);

// Removes findings switched off by a `# dockerfix ignore=` or
// `# hadolint ignore=` comment on the line before their instruction.
void drop_ignored(const Dockerfile& f, std::vector<Finding>& findings);

Finding make_finding(const Dockerfile& f, std::string_view rule, std::string message, Span span);

}  // namespace dockerfix::fix
