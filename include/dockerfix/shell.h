// A POSIX-shell lexer for RUN commands: simple commands with their argv,
// assignments and redirections, every word's exact byte range, and the
// scripts a command runs (`sh -c '...'`, `bash x.sh`).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dockerfix::shell {

struct Word {
  std::string text;   // the input bytes, quotes and escapes included
  std::string value;  // quotes removed, escapes applied; $VAR, ${..}, $(..) kept as written
  uint32_t begin = 0;  // offsets into the lexed text: text == input.substr(begin, end - begin)
  uint32_t end = 0;
  bool quoted = false;
  bool has_expansion = false;
};

struct Redirect {
  std::string op;  // > >> < >& <& &> &>> >| <> << <<- <<<
  int fd = -1;     // explicit fd, or -1
  Word target;     // for << the delimiter
  uint32_t begin = 0;
  uint32_t end = 0;
};

struct Command {
  std::vector<Word> argv;
  std::vector<Word> assignments;  // NAME=value before the command name
  std::vector<Redirect> redirects;
  uint32_t begin = 0;
  uint32_t end = 0;
  int depth = 0;  // nesting inside $(...) and backticks
};

struct Script {
  std::vector<Command> commands;
  std::vector<std::string> errors;
};

Script lex(std::string_view text);

// `sh -c 'script'` (any shell, options before -c allowed, also after env):
// the script, lexed; offsets are relative to the string's value.
std::optional<Script> inner_script(const Command& cmd);

// The script file a command runs: `bash x.sh`, `sh -e /tmp/x.sh arg`,
// `. ./x.sh`, `source x.sh`, `./x.sh`, `/opt/x.sh`.
std::optional<Word> script_path(const Command& cmd);

}  // namespace dockerfix::shell
