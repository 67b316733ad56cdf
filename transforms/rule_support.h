// What rules build findings and fixes from: inserted lines that match their
// neighbours, shell words for generated commands, checked user specs, and
// the findings themselves.
#pragma once

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
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

// A word for a generated shell command: as is when every character is one
// no shell treats specially (letters, digits, _ @ % + = : , . / -), else in
// single quotes, a quote written '\''. Every word dockerfix writes into a
// RUN goes through this (or shell_word_expanding), so a path such as "/ srv"
// stays one word.
std::string shell_word(std::string_view word);
// For text that must keep its variables (a WORKDIR of $APP/data): in double
// quotes when its only expansions are $NAME and ${NAME}, so the shell sees
// the same value BuildKit did; nullopt for anything else ($(...), `...`,
// ${X:-...}, backslashes), which dockerfix does not rewrite.
std::optional<std::string> shell_word_expanding(std::string_view text);

// A user name (or name:group) from the knowledge base or the model that
// can be written into a USER line or a --chown value as is: letters,
// digits, `_ . -` (and one `:`). Names from an `images:` entry of a
// repository's config reach the rules through here, never raw.
bool plain_user_spec(std::string_view spec);

// When `problem` (a refused option value, "uid: 0 is root's id", from
// dockerfix/values.h) is not empty, the finding loses its fix and says why;
// true then. Rules check the options they write, so a library caller's bad
// value is refused, never written.
bool refuse_option(Finding& f, const std::string& problem);

// Whether text a rule writes for sh (a RUN or a shell-form HEALTHCHECK) runs
// in sh at the end of `stage`: false after SHELL ["powershell", ...] (or cmd,
// pwsh) or on a Windows base image.
bool final_shell_is_posix(const Context& ctx, const model::Stage& stage);

Finding make_finding(const Dockerfile& f, std::string_view rule, std::string message, Span span);

}  // namespace dockerfix::fix
