// Running a helper program (helm) without a shell.
#pragma once

#include <string>
#include <vector>

namespace dockerfix::k8s {

struct RunResult {
  bool started = false;
  int status = -1;    // exit status; -1 when killed by a signal
  std::string out;    // standard output
  std::string err;    // standard error
  std::string error;  // why it did not start
};
// argv[0] is a path or a name looked up on PATH.
RunResult run_capture(const std::vector<std::string>& argv);

bool executable(const std::string& path);
// The first executable `name` in the directories of $PATH, or empty.
std::string find_on_path(const std::string& name);

}  // namespace dockerfix::k8s
