// The shell lexer before it was made faster, for the equivalence test
// (tests/shell_lexer_equivalence_test.cpp): same types, same behaviour.
#pragma once

#include <string_view>

#include "dockerfix/shell.h"

namespace dockerfix::shell::reference {

Script lex(std::string_view text);

}  // namespace dockerfix::shell::reference
