// BuildKit's word splitters, reimplemented for agreement: each has quirks
// (which bytes count as spaces, how quotes and escapes behave at the end of
// a line) that decide what BuildKit sees, so they are kept procedural and
// close to BuildKit's documented behaviour rather than "fixed".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dockerfix::grammar {

// `--flag` words at the start of an instruction's arguments.
struct FlagWord {
  std::string text;  // decoded, e.g. "--from=build"
  size_t begin = 0;  // offsets into the input
  size_t end = 0;
};
struct FlagSplit {
  std::vector<FlagWord> flags;
  size_t rest = std::string_view::npos;  // where the arguments begin; npos: none
};
FlagSplit extract_flags(std::string_view line, char escape);

// parseWords: quote-aware splitting used for ENV, LABEL and ARG.
std::vector<std::string> parse_words(std::string_view rest, char escape);

// Shell-style words of a whole instruction line as BuildKit's heredoc
// detection lexes them (quotes and escapes kept, `$` expansions left as
// written). nullopt when BuildKit's lexer fails on the line, in which case
// BuildKit finds no heredocs on it.
std::optional<std::vector<std::string>> heredoc_line_words(std::string_view line);

// Lexes a heredoc delimiter the way BuildKit does; `raw_quotes` keeps quotes.
// nullopt on a lexing error (BuildKit then rejects the instruction).
std::optional<std::vector<std::string>> heredoc_delimiter_words(std::string_view rest, bool raw_quotes);

}  // namespace dockerfix::grammar
