// Deadlines for network work. libgit2 1.5 sets no socket timeouts and its
// progress callbacks do not fire while a read blocks, so a server that
// accepts a connection and never answers would hang the process. The work is
// run in a child process instead; the child reports when a network operation
// starts, when data moves and when it ends, and the parent kills it when an
// operation goes `network_timeout` seconds without data, or the whole work
// takes longer than `total_timeout`. Killing a process interrupts any
// blocking call (a socket read, an SSH handshake, a DNS lookup), which no
// callback can.
#pragma once

#include <functional>
#include <limits>
#include <string>

namespace dockerfix::gitlayer {

struct WatchLimits {
  double network_timeout = 60;                                    // seconds without data in a network operation
  double total_timeout = std::numeric_limits<double>::infinity();  // seconds for the whole work
  // Seconds a worker that is stopped gets, after SIGTERM, to remove what it
  // made (bot --verify: containers and images) before SIGKILL; 0: SIGKILL
  // at once. A worker without a SIGTERM handler ends at once either way.
  double grace = 0;
  // Asked whenever the watch wakes (a signal wakes it): true stops the
  // worker as a spent budget does (Ctrl-C in the parent).
  std::function<bool()> stop;
};

struct WatchedResult {
  enum class Status {
    Finished,        // `output` is what the work returned
    Failed,          // the work threw; `error` is its message
    NetworkStalled,  // killed: no data for network_timeout seconds
    OverBudget,      // killed: total_timeout passed
    Crashed,         // the child died on its own (`error` says how)
    Stopped,         // stopped because `stop` said so
  };
  Status status = Status::Finished;
  std::string output;
  std::string error;
  std::string activity;  // the network operation under way when it was stopped
};

// Runs `work` in a child process and returns what it returned. libgit2 must
// not be initialised in the calling process (the child initialises its own:
// a forked TLS random generator would repeat its parent's numbers in every
// child); throws std::logic_error when it is.
WatchedResult run_watched(const std::function<std::string()>& work, const WatchLimits& limits);

// Marks a network operation for the watchdog, for as long as it lives.
// Outside a watched child it does nothing.
class NetworkActivity {
 public:
  explicit NetworkActivity(const std::string& what);
  ~NetworkActivity();
  NetworkActivity(const NetworkActivity&) = delete;
  NetworkActivity& operator=(const NetworkActivity&) = delete;
};

// Data moved (a progress callback fired): the stall clock starts again.
void network_progress();

}  // namespace dockerfix::gitlayer
