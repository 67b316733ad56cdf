// The semantic view of a parsed Dockerfile as JSON (`dockerfix parse --json`).
#pragma once

#include <nlohmann/json.hpp>

#include "dockerfix/syntax.h"

namespace dockerfix {

// Schema (stable; this comment is its documentation):
// { "file", "escape", "directives": [{name, value, line}],
//   "instructions": [{keyword, spelling, start_line, end_line, start_offset,
//                     end_offset, flags: [{name, value?, start, end}], arguments,
//                     exec_form, exec?, heredocs: [{name, fd, expand, chomp, body,
//                     start_line, end_line}], known, onbuild?}],
//   "diagnostics": [{severity, code, message, line, column, offset}] }
nlohmann::json to_json(const Dockerfile& file);

}  // namespace dockerfix
