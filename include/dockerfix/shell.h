// A POSIX-shell lexer for RUN commands: the simple commands a shell-form RUN
// (or a heredoc script) runs, with their argv, assignments and redirections,
// every word's exact byte range, and the scripts a command runs
// (`sh -c '...'`, `bash x.sh`).
//
// It is a lexer with just enough parsing to find simple commands: quotes,
// escapes, `$VAR`, `${...}`, `$(...)`, backticks, `$((...))`, operators,
// subshells and groups, `if`/`for`/`while`/`until`/`case` (their reserved
// words are skipped, the commands inside are reported), `[[ ... ]]`,
// function definitions, comments and here-documents. It accepts any bytes,
// never throws, and always terminates; problems go to Script::errors.
//
// Known limits: no alias or parameter expansion (words are reported as
// written, `$VAR` kept), commands inside unquoted here-document bodies and
// inside `$((...))` are not lexed, `\r` is taken as a blank.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dockerfix::shell {

struct Word {
  std::string text;   // the input bytes, quotes and escapes included
  std::string value;  // quotes removed, escapes applied; $VAR, ${..}, $(..), `..`, $((..)) kept as written
  uint32_t begin = 0;  // offsets into the lexed text: text == input.substr(begin, end - begin)
  uint32_t end = 0;
  bool quoted = false;         // some part was quoted or escaped ('..', "..", $'..', \x)
  bool has_expansion = false;  // an unquoted or double-quoted $ expansion or backtick
};

struct Redirect {
  std::string op;  // > >> < >& <& &> &>> >| <> << <<- <<<
  int fd = -1;     // explicit fd (`2>`), or -1
  Word target;     // the file, fd (`&1` gives "1") or, for << and <<-, the delimiter
  uint32_t begin = 0;  // the operator (with its fd) through the target
  uint32_t end = 0;
  // Here-documents: the body lines that follow in the lexed text (between the
  // line holding the operator and the delimiter line). Empty when the text
  // ends first (a Dockerfile `RUN cat <<EOF` keeps its body outside the
  // arguments).
  uint32_t body_begin = 0;
  uint32_t body_end = 0;
};

// The operator that follows a simple command.
enum class Op : uint8_t {
  None,        // end of the text, `)`, `}`, or a reserved word such as `then`
  And,         // &&
  Or,          // ||
  Seq,         // ; or a newline (also ;; ;& ;;& ending a case item)
  Pipe,        // | or |&
  Background,  // &
};

struct Command {
  std::vector<Word> argv;           // reserved words (`if`, `then`, `do` ...) are never argv[0]
  std::vector<Word> assignments;    // NAME=value (NAME+=value) before the command name
  std::vector<Redirect> redirects;  // a compound command's redirections (`done < f`,
                                    // `{ ...; } > f`) form a Command with an empty argv
  uint32_t begin = 0;  // first word or redirection through the last one
  uint32_t end = 0;
  int depth = 0;              // nesting in ( ), { }, $( ), backticks, <( ) and >( )
  bool substitution = false;  // inside $( ), backticks, <( ) or >( ): its output is captured
  Op next = Op::None;         // the operator after it at its level
};

struct Script {
  std::vector<Command> commands;    // in text order; nested commands follow the command holding them
  std::vector<std::string> errors;  // unterminated quotes, substitutions, here-documents ...
};

Script lex(std::string_view text);

// `sh -c 'script'` (any shell, options before -c allowed, also after `env`,
// `exec`, `nice`, `nohup`, `time`, `timeout`, `command`, `busybox`): the
// script word's value, lexed; offsets are relative to that value (for
// `sh -c 'a b'` the inner word `b` has begin 2).
std::optional<Script> inner_script(const Command& cmd);
// The index in cmd.argv of that script word.
std::optional<size_t> inner_script_word(const Command& cmd);

// The script file a command runs: `bash x.sh`, `sh -e /tmp/x.sh arg`,
// `. ./x.sh`, `source x.sh`, `./x.sh`, `/opt/x.sh` (a path with a `/` ending
// in .sh or .bash), also behind the wrappers inner_script accepts.
std::optional<Word> script_path(const Command& cmd);

}  // namespace dockerfix::shell
