// Standard output whose failures are not lost: a full disk, a closed pipe
// or /dev/full makes the run exit 2 rather than report success with half its
// output missing.
#pragma once

#include <cstdio>
#include <string_view>

namespace dockerfix::cli {

// Writes to stdout; false when this or an earlier write failed.
bool write_out(std::string_view bytes);

// Copies the rest of standard input to stdout in bounded chunks.
bool copy_stdin_to_out();

// Flushes and closes stdout, checking both (and every earlier write): on a
// failure prints "dockerfix: cannot write to standard output: WHY" and
// returns kExitUsage, else `code`. Call it last: stdout is closed after.
int finish_output(int code);

}  // namespace dockerfix::cli
