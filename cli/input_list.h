// The files a run covers, in input order, held so that memory grows with
// the number of files by no more than their paths (issue 19): a file
// argument is its index in the argument list, which outlives the run; a
// directory's files are their paths, one after another in one buffer. Only
// a path through a symlink keeps something of its own, the target.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace dockerfix::cli {

struct Input {
  std::string path;
  // When `path` goes through a symlink that stays in its tree: its target,
  // resolved once by discovery. The file is then opened there (and written
  // there, the link kept); otherwise `path` itself is opened, never
  // following a symlink.
  std::string resolved;
};

class InputList {
 public:
  // `args`: the argument list add_argument indexes into; it must outlive the list.
  explicit InputList(const std::vector<std::string>* args = nullptr) : args_(args) {}

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  Input operator[](size_t i) const;
  std::string_view path(size_t i) const;

  // Appends argument `arg` (`resolved`: its symlink's target, if any).
  void add_argument(size_t arg, std::string resolved = {});
  // Appends a path found by a directory walk.
  void add_path(std::string_view path, std::string resolved = {});
  // Sorts the inputs from index `from` on by path; all of them must have
  // come from add_path (one directory's files, sorted as one list).
  void sort_from(size_t from);

  // What the list holds beyond a fixed size: per input at most its path's
  // bytes and two indexes, plus each symlink's target.
  size_t held_bytes() const;

 private:
  // A stretch of consecutive inputs: from `first` on, either arguments
  // args_[from + k] or walked paths at offsets_[from + k].
  struct Run {
    size_t first;
    bool walked;
    size_t from;
  };
  const Run& run_of(size_t i) const;

  const std::vector<std::string>* args_;
  std::vector<Run> runs_;
  size_t size_ = 0;
  std::string paths_;            // walked paths, each ended by '\0'
  std::vector<size_t> offsets_;  // where each walked path starts in paths_
  std::map<size_t, std::string> arg_targets_;   // by argument index
  std::map<size_t, std::string> path_targets_;  // by offset into paths_
};

}  // namespace dockerfix::cli
