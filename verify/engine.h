// A Docker Engine API client: HTTP over the engine's unix socket (or a plain
// tcp:// address) with libcurl. DOCKER_HOST is honoured as the docker CLI
// does; Podman's Docker-compatible socket speaks the same API.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace dockerfix::verify {

// The engine could not be reached, or answered with an error.
struct EngineError : std::runtime_error {
  using std::runtime_error::runtime_error;
  long status = 0;  // HTTP status, 0 when there was no answer
};

// Ctrl-C (or SIGTERM) arrived: every wait and transfer stops with this.
struct Interrupted : std::runtime_error {
  Interrupted() : std::runtime_error("interrupted") {}
};

struct Response {
  long status = 0;
  std::string body;
};

class Engine {
 public:
  // From DOCKER_HOST (unix:///path or tcp://host:port), else
  // /var/run/docker.sock, else Podman's /run/podman/podman.sock when only
  // that exists. Nothing is sent until the first request.
  static Engine from_environment();
  explicit Engine(std::string host);

  const std::string& host() const { return host_; }  // as given, for messages

  // Throws EngineError naming the host when the engine does not answer.
  void ping();

  // `path` starts with '/', without the API version prefix. An
  // interruptible request stops on Ctrl-C; cleanup requests are not.
  Response request(const std::string& method, const std::string& path, const std::string& body = {},
                   std::chrono::seconds timeout = std::chrono::seconds(120), bool interruptible = true);
  // request() that throws EngineError (with the engine's message) on a status >= 400.
  nlohmann::json call(const std::string& method, const std::string& path, const nlohmann::json& body = nullptr,
                      std::chrono::seconds timeout = std::chrono::seconds(120));
  // POSTs the file's bytes as `content_type` and hands the answer to
  // `on_data` as it arrives (the build's progress stream).
  Response stream_upload(const std::string& path, const std::filesystem::path& upload, const std::string& content_type,
                         const std::function<void(std::string_view)>& on_data, std::chrono::seconds timeout);

 private:
  std::string host_;
  std::string socket_;    // unix socket path, or empty for tcp
  std::string base_url_;  // http://localhost or http://host:port, plus the API version
};

// Percent-encodes a query value.
std::string url_encode(std::string_view text);

}  // namespace dockerfix::verify
