// Running a built image the way a user would, but shut off: no network, no
// published ports, for a bounded time. What is watched: whether the main
// process stays up (or how it exits), the health status when the image has a
// HEALTHCHECK, the uid the main process really has, and its last log lines.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "verify/engine.h"
#include "verify/janitor.h"

namespace dockerfix::verify {

struct RunSettings {
  std::chrono::seconds window{10};  // how long a service must stay up
  std::vector<std::string> volumes;  // SRC:DST[:ro], as docker run -v
  std::vector<std::string> env;      // K=V
  std::vector<std::string> cap_add;  // capabilities, as docker run --cap-add
};

struct ImageConfig {
  std::string id;
  std::string user;  // Config.User ("" is root)
  std::string workdir;
  std::vector<std::string> entrypoint, cmd;
  nlohmann::json healthcheck;  // Config.Healthcheck, null when none
  bool has_healthcheck() const;
  double health_start_period() const;  // seconds
};
ImageConfig inspect_image(Engine& engine, const std::string& image);

struct RunOutcome {
  bool started = false;
  std::string start_error;  // the engine's message when the container could not start
  bool still_running = false;  // at the end of the watch
  int exit_code = 0;
  bool oom_killed = false;
  double seconds = 0;  // until it exited, or how long it was watched

  bool has_healthcheck = false;
  std::string health;  // healthy | unhealthy | starting (never healthy while watched)
  double healthy_after = -1;
  std::string health_output;  // the last probe's output when not healthy

  std::optional<uint32_t> uid;
  std::string uid_source;  // how the uid was learnt
  std::vector<std::string> logs;  // the last lines of stdout and stderr
};

// The image's own command, watched for `settings.window` (longer, up to the
// health check's own timing, while a HEALTHCHECK has not decided). The
// HEALTHCHECK runs every second instead of its interval, so a healthy
// service shows within the window; its command, timeout, start period and
// retries are the image's.
RunOutcome run_image(Engine& engine, Janitor& janitor, const ImageConfig& image, const RunSettings& settings);

struct ProbeResult {
  bool ran = false;
  int exit_code = -1;
  std::string output;
  std::string error;
};
// `argv` as the entrypoint of a fresh container of the image, as its USER.
ProbeResult probe(Engine& engine, Janitor& janitor, const std::string& image, const std::vector<std::string>& argv,
                  const RunSettings& settings, std::chrono::seconds limit = std::chrono::seconds(20));

// The payload of a logs answer (multiplexed stdout/stderr frames, or raw).
std::string demultiplex(const std::string& body);

}  // namespace dockerfix::verify
