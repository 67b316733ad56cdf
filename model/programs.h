// What dockerfix knows about programs a RUN runs, beyond the shell's own
// grammar: which ones only wrap another command (sudo, env, nice, ...).
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace dockerfix::model {

// The index of the program `argv` (values after quote removal) runs once
// the wrappers in front are seen through: `sudo [-u U] cmd`, `doas cmd`,
// `env [-i] [-u N] [NAME=v]... cmd`, `nice [-n N] cmd`, `nohup cmd`,
// `exec [-a N] cmd`, `time [-p] cmd`, `command cmd`, `timeout [opts] DURATION
// cmd`, `stdbuf -oL cmd`, `eatmydata cmd`; argv.size() when only wrappers.
size_t program_index(std::span<const std::string_view> argv);
size_t program_index(std::span<const std::string> argv);

}  // namespace dockerfix::model
