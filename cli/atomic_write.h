// Replacing a file without ever leaving it half-written, or writing anything
// but the file that was read.
#pragma once

#include <string>

#include "cli/input_file.h"

namespace dockerfix::cli {

// Writes `text` to `.NAME.dockerfix-tmp-XXXXXX` beside the file `file` was
// read from, flushes it to disk, gives it the original's owner, then its mode
// (in that order: a chown clears setuid and setgid), re-checks that the path
// still names the file that was read and renames the temporary over it. A
// SIGINT, SIGTERM, SIGHUP or SIGPIPE meanwhile removes the temporary before
// the signal takes its course. A read-only file (no write bit, or one the
// runner may not write) is refused; so is a file whose owner cannot be kept.
// On failure nothing changes and `error` names the file. When the file had
// other hard links, which keep the old content, `note` says so.
bool write_atomically(const InputFile& file, const std::string& text, std::string& error, std::string& note);

}  // namespace dockerfix::cli
