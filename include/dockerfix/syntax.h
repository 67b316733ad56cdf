// The lossless syntax tree of a Dockerfile.
//
// Every byte of the source belongs to exactly one Token; the tokens are
// contiguous and in order, so printing them reproduces the input. Instructions
// (the nodes BuildKit reports) refer to token ranges and carry the semantic
// view BuildKit derives from them: keyword, flags, arguments after line
// continuation joining, exec-form arguments and heredocs.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dockerfix {

// Half-open byte range [begin, end) in the original buffer.
struct Span {
  uint32_t begin = 0;
  uint32_t end = 0;
  uint32_t size() const { return end - begin; }
  bool empty() const { return begin == end; }
  bool operator==(const Span&) const = default;
};

enum class TokenKind : uint8_t {
  Bom,           // UTF-8 byte order mark at offset 0
  Directive,     // `# syntax=...`, `# escape=...`, `# check=...` (without newline)
  Comment,       // a comment line's text from `#` (without newline)
  Whitespace,    // indentation, or a whole blank line's spaces
  Newline,       // `\n`, `\r\n` (any trailing `\r`s), or nothing at EOF
  Keyword,       // the instruction keyword as spelled
  Text,          // instruction content (flags and arguments) on one line
  Continuation,  // escape char plus trailing spaces/tabs ending a line
  HeredocBody,   // one heredoc content line (without newline)
  HeredocEnd,    // the heredoc terminator line (without newline)
};

struct Token {
  TokenKind kind;
  Span span;
};

enum class Severity : uint8_t { Error, Warning };

// `code` is stable and machine-readable (e.g. "unterminated-heredoc");
// an Error diagnostic means BuildKit itself would reject the file.
struct Diagnostic {
  Severity severity = Severity::Error;
  std::string code;
  std::string message;
  uint32_t offset = 0;  // byte offset the diagnostic points at
  int line = 0;         // 1-based
  int column = 0;       // 1-based, in bytes
};

struct Directive {
  std::string name;   // lower-cased: syntax, escape or check
  std::string value;  // trimmed
  Span span;          // the directive token
  int line = 0;
};

// One `--name[=value]` flag, decoded the way BuildKit's flag splitter does
// (quotes removed, escapes applied).
struct Flag {
  std::string name;                  // without the leading `--`
  std::optional<std::string> value;  // absent for `--link`
  Span span;                         // the flag's bytes in the file
};

struct Heredoc {
  std::string name;  // delimiter with quotes removed
  unsigned fd = 0;   // `2<<EOF` gives 2; 0 when not given
  bool expand = true;  // false when any part of the delimiter was quoted
  bool chomp = false;  // `<<-` strips leading tabs
  std::string body;    // the content lines, newlines included, as written
  Span marker;         // `<<EOF` as written on the instruction line
  Span body_span;      // the content lines in the file
  Span terminator;     // the terminator line (without its newline); empty if unterminated
};

// A contiguous run of the logical (joined) line that comes from one place in
// the file. BuildKit joins continued lines by dropping the escape char, the
// newline, comment lines and blank lines; pieces record where each kept byte
// came from, so any logical position maps back to a file offset.
struct Piece {
  uint32_t logical = 0;
  uint32_t file = 0;
  uint32_t length = 0;
};

struct Instruction {
  std::string keyword;  // upper-cased; may be anything for unknown instructions
  Span keyword_span;    // the keyword as spelled in the file
  Span span;            // first byte of the first line to end of the last line (newline included)
  int start_line = 0;   // 1-based, inclusive, as BuildKit's Node.StartLine
  int end_line = 0;     // 1-based, inclusive, heredoc bodies and terminators included
  uint32_t first_token = 0;  // tokens [first_token, end_token)
  uint32_t end_token = 0;

  std::string logical;        // the joined line BuildKit parses (its Node.Original)
  std::vector<Piece> pieces;  // logical -> file mapping of `logical`

  std::vector<Flag> flags;
  std::string arguments;  // what follows keyword and flags, trimmed (BuildKit's "rest")
  Span arguments_span;    // file range of `arguments` (may cross continuation lines)
  uint32_t arguments_offset = 0;  // where `arguments` starts in `logical`

  bool known = true;              // a Dockerfile instruction BuildKit dispatches
  bool exec_form = false;         // arguments are a valid JSON array of strings
  std::vector<std::string> exec;  // decoded JSON array when exec_form
  std::vector<Heredoc> heredocs;
  std::shared_ptr<Instruction> onbuild;  // the trigger of `ONBUILD <instruction>`

  // Map a logical offset (into `logical`) to a file offset.
  uint32_t file_offset(uint32_t logical_offset) const;
};

struct Dockerfile {
  std::string path;    // for messages; may be empty or "-"
  std::string source;  // the bytes, owned
  std::vector<Token> tokens;
  std::vector<Directive> directives;
  std::vector<Instruction> instructions;
  std::vector<Diagnostic> diagnostics;
  std::vector<uint32_t> line_starts;  // offset of each physical line's first byte
  char escape = '\\';

  std::string_view text(Span s) const {
    return std::string_view(source).substr(s.begin, s.size());
  }
  // 1-based line and byte column of an offset.
  std::pair<int, int> position(uint32_t offset) const;
  // True when BuildKit would refuse the file (an Error diagnostic exists).
  bool has_errors() const;
};

// Parses any bytes; never throws on malformed input.
Dockerfile parse(std::string source, std::string path = {});

// Prints the tree back: the concatenation of every token's bytes.
std::string print(const Dockerfile& file);

}  // namespace dockerfix
