// Instruction-level parsing of a joined logical line: keyword, flags,
// arguments and the per-instruction argument forms (BuildKit's dispatch
// table). Errors are returned as the message BuildKit would give.
#pragma once

#include <optional>
#include <string>

#include "dockerfix/syntax.h"

namespace dockerfix::grammar {

// Fills keyword, flags, arguments, exec form and the ONBUILD trigger of
// `ins` from `ins.logical` (whose `pieces` must be set).
std::optional<std::string> parse_logical_line(Instruction& ins, const std::string& source, char escape);

// Whether BuildKit reads heredocs for this instruction (RUN, COPY, ADD in
// shell form, also as an ONBUILD trigger).
bool can_contain_heredoc(const Instruction& ins);

// ASCII case mapping: Dockerfile keywords are ASCII.
std::string ascii_upper(std::string_view s);
std::string ascii_lower(std::string_view s);

}  // namespace dockerfix::grammar
