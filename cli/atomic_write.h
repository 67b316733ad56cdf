// Replacing a file without ever leaving it half-written, or writing anything
// but the file that was read.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "cli/input_file.h"

namespace dockerfix::cli {

// Replaces a few files at a time, each as write_atomically below does, in
// fewer trips to the disk than one at a time:
//   add(): the file is checked (still the file read, and writable);
//   commit(): each file's `.NAME.dockerfix-tmp-XXXXXX` is made beside it,
//     written and given the original's owner, then its mode (in that order:
//     a chown clears setuid and setgid); every temporary is flushed to disk
//     (fsync; these steps run for several files at once on a few threads, so
//     the device sees a few flushes for the lot); then, one file after the
//     other in the order added, the path is re-checked to still name the
//     file that was read and the temporary renamed over it; last, every
//     directory that had a rename is flushed, once however many of its files
//     were replaced.
// So a file is replaced only by a complete temporary already on disk (never
// half-written, whatever fails or crashes), and when commit() returns, every
// replacement it reports is durable: the caller says "fixed" only then. A
// rename not yet flushed with its directory can, if the machine crashes,
// come back as the old file, whole; the run had not reported it.
// A SIGINT, SIGTERM, SIGHUP or SIGPIPE meanwhile removes every temporary
// that exists before the signal takes its course. A read-only file (no
// write bit, or one the runner may not write) is refused; so is a file whose
// owner cannot be kept. A file refused or failing at any step is left as it
// was, its temporary removed, and does not stop the others.
// One batch at a time (the signal handler minds its temporaries), used from
// one thread.
class AtomicWriteBatch {
 public:
  // Files a batch takes: their temporaries are open at once in commit().
  static constexpr size_t kMaxFiles = 64;

  struct Outcome {
    bool written = false;
    std::string error;  // not written: why, naming the file
    std::string note;   // written: the file had other hard links, which keep the old content, or its directory could not be flushed
  };

  AtomicWriteBatch();
  AtomicWriteBatch(const AtomicWriteBatch&) = delete;
  AtomicWriteBatch& operator=(const AtomicWriteBatch&) = delete;
  ~AtomicWriteBatch();  // removes the temporaries of a batch never committed

  // Stages `text` for `file`; both must outlive the batch. At most kMaxFiles.
  // The file is checked here, its temporary made in commit().
  void add(const InputFile& file, std::string_view text);
  size_t size() const { return staged_.size(); }
  bool full() const { return staged_.size() >= kMaxFiles; }
  // One outcome per add(), in that order; the batch is empty afterwards.
  std::vector<Outcome> commit();

 private:
  struct Staged {
    const InputFile* file = nullptr;
    std::string_view text;
    int slot = -1;     // in the signal handler's table
    std::string temp;  // its name in file->dir_fd while it exists
    int fd = -1;       // the temporary, open until flushed
    std::string failed;  // the step that failed on a helper thread, worded with `err` afterwards
    int err = 0;
    Outcome outcome;
  };
  void write_temp(Staged& s);
  void flush_temp(Staged& s);
  void discard(Staged& s);
  std::vector<Staged> staged_;
};

// One file through an AtomicWriteBatch of its own. On failure nothing
// changes and `error` names the file; `note` as in Outcome.
bool write_atomically(const InputFile& file, const std::string& text, std::string& error, std::string& note);

}  // namespace dockerfix::cli
