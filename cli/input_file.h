// Reading a discovered input once, from one descriptor, so that check, diff
// and apply all see the file discovery vetted, and apply can tell whether it
// is still that file when it writes.
#pragma once

#include <sys/stat.h>

#include <cstddef>
#include <string>

#include "cli/discovery.h"

namespace dockerfix::cli {

// What was opened: the directory holding the file (kept open when the file
// may be written, so the fixed file is written beside the one read whatever
// happens to the path) and the file's state when read.
class InputFile {
 public:
  InputFile() = default;
  InputFile(const InputFile&) = delete;
  InputFile& operator=(const InputFile&) = delete;
  ~InputFile();

  std::string path;   // as given (messages name it)
  int dir_fd = -1;    // -1 for standard input, and when not opened for writing
  std::string name;   // its name in that directory
  struct stat st {};  // fstat of the descriptor the bytes came from
};

enum class ReadStatus { Ok, TooLarge, Failed };

// Opens `input` once and reads it from that descriptor: `input.resolved` when
// discovery accepted a symlink, else `input.path`, either way with O_NOFOLLOW,
// so a file swapped for a symlink after discovery is refused, not followed.
// Only regular files are read (a device or a FIFO is refused unread); "-"
// reads standard input. At most max_size + 1 bytes are read, whatever stat
// says: TooLarge leaves them in `bytes` and sets `error`. Failed sets `error`,
// naming the path. `for_writing` (apply) keeps the directory open; check and
// diff only read, and open the file by its path, with the same O_NOFOLLOW.
ReadStatus open_input(const Input& input, size_t max_size, InputFile& file, std::string& bytes, std::string& error,
                      bool for_writing = true);

// Empty while the path still names the file that was read (same device and
// inode, a regular file, size and modification time unchanged); otherwise a
// message naming the path and what happened to it.
std::string changed_since_read(const InputFile& file);

}  // namespace dockerfix::cli
