// The lexical grammar of Dockerfile lines, written in Boost.Spirit X3 (one
// translation unit: x3_lexer.cpp). The BuildKit-compatible line driver in
// parser.cpp calls these; nothing here keeps state between lines.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dockerfix::grammar {

inline constexpr size_t npos = std::string_view::npos;

enum class LineKind { Blank, Comment, Text };

// One physical line without its newline. `lead` is the run of leading
// unicode spaces; for Text lines `continuation` is the offset of the escape
// char that continues the line (BuildKit: the escape char, not preceded by
// another escape char, followed only by spaces/tabs), or npos.
struct LineShape {
  LineKind kind;
  size_t lead = 0;
  size_t continuation = npos;
};
LineShape classify_line(std::string_view content, char escape);

// Where the escape char continuing `content` sits, or npos (no left trim).
size_t continuation_at(std::string_view content, char escape);

// `# name = value` parser directive (text starting at `#`).
struct DirectiveText {
  std::string_view name;
  std::string_view value;
};
std::optional<DirectiveText> match_directive(std::string_view line);

// A word of the form `[digits]<<[-][spaces]rest` with no `<` in rest.
struct HeredocMarker {
  std::string_view fd_digits;
  bool chomp = false;
  std::string_view rest;
};
std::optional<HeredocMarker> match_heredoc_marker(std::string_view word);

// The command word: up to the first of `[\t\v\f\r ]`; `rest_begin` is where
// the text after that whitespace run starts (npos when there is none).
struct CommandSplit {
  std::string_view command;
  size_t rest_begin = npos;
};
CommandSplit split_command(std::string_view trimmed_line);

enum class JsonArray { Strings, NotStrings, NotArray };
// Exec form: a JSON array of strings (RFC 8259, surrounding JSON whitespace
// allowed). Decoded strings go to `out` when the result is Strings.
JsonArray parse_json_array(std::string_view text, std::vector<std::string>& out);

}  // namespace dockerfix::grammar
