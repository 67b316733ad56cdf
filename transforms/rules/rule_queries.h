// Questions many rules ask of instructions and RUN commands, answered one
// way: which argument words a command has (hadolint's `cmdHasArgs`), COPY's
// sources and destination, LABEL/ENV pairs, cache mounts, where text may be
// appended to a RUN, and which stages end up in an image.
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "dockerfix/fix.h"

namespace dockerfix::fix {

struct RunStep {
  const model::Step& step;
  const Instruction& ins;
};
// Every RUN of the file after the first FROM, in order. Found once per
// model (kept with it: most rules walk the RUNs); valid as long as it is.
const std::vector<RunStep>& run_steps(const Context& ctx);

// An argument after the program equals one of `words`.
bool has_arg(const model::RunCommand& c, std::initializer_list<std::string_view> words);
// The program-relative index of the first argument equal to `word`.
std::optional<size_t> arg_index(const model::RunCommand& c, std::string_view word);
// The command runs `program` (by base name) with one of `subcommands` among its arguments.
bool runs(const model::RunCommand& c, std::initializer_list<std::string_view> programs,
          std::initializer_list<std::string_view> subcommands = {});
// Operands after the first that equals one of `subcommands` (the packages of `apt-get install a b`).
std::vector<const model::ShellWord*> operands_after(const model::RunCommand& c,
                                                    std::initializer_list<std::string_view> subcommands,
                                                    std::initializer_list<std::string_view> with_value = {});
// Whether a word names a program run through `sudo` (a wrapper before the program).
bool through_sudo(const model::RunCommand& c);

// `RUN --mount=type=cache|tmpfs,target=...` with a target containing `path`.
bool cache_mount(const Instruction& run, std::string_view path);
const Flag* flag(const Instruction& ins, std::string_view name);

struct CopyArgs {
  std::vector<std::string> sources;  // quotes removed
  std::string dest;
};
// COPY/ADD sources and destination; nullopt for heredocs or fewer than two words.
std::optional<CopyArgs> copy_args(const Instruction& ins, char escape);

// LABEL and ENV pairs (ENV's legacy `KEY value` form too), quotes removed.
std::vector<std::pair<std::string, std::string>> key_value_pairs(const Instruction& ins, char escape);

// `name.tar.gz`, `x.tgz`, `a.zip` ...: a file ADD would unpack or a tool extracts.
bool is_archive_name(std::string_view name);
bool is_url(std::string_view source);
std::string lower(std::string_view s);
bool contains(std::string_view text, std::string_view part);

// Where text can be appended so it runs after everything else in a
// shell-form RUN (`... && rm -rf x`): the end of its last top-level
// command, when only blanks follow it and it is not backgrounded.
std::optional<uint32_t> run_append_point(const Dockerfile& f, const RunStep& run);

// The stage and the stages it is built on (FROM <stage>), nearest first.
std::vector<size_t> stage_chain(const model::BuildModel& m, size_t stage);

// The bytes [from, to) hold only `&&`, blanks and line continuations: the
// join between two commands that an edit may drop with one of them.
bool only_and_between(const Dockerfile& f, uint32_t from, uint32_t to);

// The stage is built into the image: the final stage, or the base of a later one.
bool stage_is_kept(const model::BuildModel& m, size_t stage);

// A word of a RUN replaced (apt -> apt-get).
Edit replace_word(const model::ShellWord& w, std::string text);

}  // namespace dockerfix::fix
