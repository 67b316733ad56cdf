// POST /build: the context tar up, the engine's JSON progress stream down.
// The stream names each step ("Step 3/7 : RUN ..."), its output, the layer
// it made, and at the end the image or the error; the failing step and its
// last log lines are kept for the report.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "verify/engine.h"

namespace dockerfix::verify {

struct BuildRequest {
  std::string tag;  // t=
  std::string dockerfile;  // its name in the context tar
  std::map<std::string, std::string> build_args;
  std::string target;
  std::string network = "none";  // networkmode=
  std::map<std::string, std::string> labels;
  std::chrono::seconds timeout{1800};
  // Called for each layer as the build makes it, so that an interrupted
  // build's layers are known too.
  std::function<void(const std::string&)> on_layer;
};

struct BuildResult {
  bool ok = false;
  std::string image_id;       // sha256:...
  std::string error;          // the engine's message when !ok
  std::string failing_step;   // "Step 4/6 : RUN /bin/bash /tmp/desktop_setup.sh"
  std::vector<std::string> log;  // the failing step's last output lines
  std::vector<std::string> layers;  // image ids this build made (not taken from the cache), in order
  double seconds = 0;
};

// Reads the stream chunk by chunk (a JSON object may span chunks).
class BuildStream {
 public:
  explicit BuildStream(std::function<void(const std::string&)> on_layer = {}) : on_layer_(std::move(on_layer)) {}
  void feed(std::string_view chunk);
  void finish();
  BuildResult& result() { return result_; }
  static constexpr size_t kLogLines = 25;

 private:
  void object(const std::string& line);
  void text_line(const std::string& line);
  std::string pending_, partial_text_;
  bool step_cached_ = false, step_is_from_ = false;
  std::vector<std::string> step_log_;
  BuildResult result_;
  std::function<void(const std::string&)> on_layer_;
};

BuildResult build_image(Engine& engine, const std::filesystem::path& context_tar, const BuildRequest& request);

}  // namespace dockerfix::verify
