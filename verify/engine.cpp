#include "verify/engine.h"

#include <curl/curl.h>

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <memory>

#include <fmt/format.h>

#include "verify/interrupt.h"

namespace dockerfix::verify {

namespace {

// Docker 20.10's API. Newer engines (and Podman) accept it; older ones are
// asked for their own version instead.
constexpr const char* kApiVersion = "v1.41";

using Curl = std::unique_ptr<CURL, decltype(&curl_easy_cleanup)>;
using Headers = std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)>;

struct Sink {
  std::string* body = nullptr;
  const std::function<void(std::string_view)>* on_data = nullptr;
};

size_t write_cb(char* data, size_t size, size_t n, void* user) {
  auto* sink = static_cast<Sink*>(user);
  std::string_view chunk(data, size * n);
  if (sink->on_data) (*sink->on_data)(chunk);
  else sink->body->append(chunk);
  return size * n;
}

size_t read_file_cb(char* buffer, size_t size, size_t n, void* user) {
  return std::fread(buffer, 1, size * n, static_cast<std::FILE*>(user));
}

int progress_cb(void*, curl_off_t, curl_off_t, curl_off_t, curl_off_t) { return interrupted() ? 1 : 0; }

Curl handle(const std::string& socket, const std::string& url, std::chrono::seconds timeout, bool interruptible = true) {
  static const bool initialised = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
  if (!initialised) throw EngineError("cannot initialise libcurl");
  Curl curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) throw EngineError("cannot start an HTTP request");
  if (!socket.empty()) curl_easy_setopt(curl.get(), CURLOPT_UNIX_SOCKET_PATH, socket.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT, static_cast<long>(timeout.count()));
  curl_easy_setopt(curl.get(), CURLOPT_CONNECTTIMEOUT, 10L);
  curl_easy_setopt(curl.get(), CURLOPT_NOSIGNAL, 1L);
  if (interruptible) {
    curl_easy_setopt(curl.get(), CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(curl.get(), CURLOPT_XFERINFOFUNCTION, progress_cb);
  }
  curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, write_cb);
  return curl;
}

std::string engine_message(const std::string& body) {
  auto j = nlohmann::json::parse(body, nullptr, false);
  if (j.is_object() && j.contains("message") && j["message"].is_string()) return j["message"];
  std::string text = body;
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  return text;
}

}  // namespace

std::string url_encode(std::string_view text) {
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') out += static_cast<char>(c);
    else out += fmt::format("%{:02X}", c);
  }
  return out;
}

Engine Engine::from_environment() {
  if (const char* h = std::getenv("DOCKER_HOST"); h && *h) return Engine(h);
  std::error_code ec;
  if (!std::filesystem::exists("/var/run/docker.sock", ec) && std::filesystem::exists("/run/podman/podman.sock", ec))
    return Engine("unix:///run/podman/podman.sock");
  return Engine("unix:///var/run/docker.sock");
}

Engine::Engine(std::string host) : host_(std::move(host)) {
  if (host_.rfind("unix://", 0) == 0) {
    socket_ = host_.substr(7);
    base_url_ = "http://localhost";
  } else if (host_.rfind("tcp://", 0) == 0) {
    base_url_ = "http://" + host_.substr(6);
    while (!base_url_.empty() && base_url_.back() == '/') base_url_.pop_back();
  } else {
    throw EngineError("DOCKER_HOST=" + host_ + ": only unix:// and tcp:// (without TLS) are supported");
  }
  base_url_ += std::string("/") + kApiVersion;
}

void Engine::ping() {
  Response r;
  try {
    r = request("GET", "/_ping", {}, std::chrono::seconds(10));
  } catch (const EngineError& e) {
    throw EngineError("no Docker engine answers at " + host_ + " (" + e.what() + ")");
  }
  if (r.status != 200) throw EngineError(fmt::format("the engine at {} answered /_ping with HTTP {}", host_, r.status));
}

Response Engine::request(const std::string& method, const std::string& path, const std::string& body,
                         std::chrono::seconds timeout, bool interruptible) {
  if (interruptible) check_interrupted();
  Response r;
  Sink sink{&r.body, nullptr};
  Curl curl = handle(socket_, base_url_ + path, timeout, interruptible);
  Headers headers(curl_slist_append(nullptr, "Content-Type: application/json"), curl_slist_free_all);
  curl_easy_setopt(curl.get(), CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(curl.get(), CURLOPT_CUSTOMREQUEST, method.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_WRITEDATA, &sink);
  if (method == "POST" || method == "PUT") {
    curl_easy_setopt(curl.get(), CURLOPT_POSTFIELDS, body.c_str());
    curl_easy_setopt(curl.get(), CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
  }
  CURLcode rc = curl_easy_perform(curl.get());
  if (interruptible) check_interrupted();
  if (rc != CURLE_OK) throw EngineError(fmt::format("{} {}: {}", method, path.substr(0, path.find('?')), curl_easy_strerror(rc)));
  curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &r.status);
  return r;
}

nlohmann::json Engine::call(const std::string& method, const std::string& path, const nlohmann::json& body,
                            std::chrono::seconds timeout) {
  Response r = request(method, path, body.is_null() ? std::string() : body.dump(), timeout);
  if (r.status >= 400) {
    EngineError e(engine_message(r.body));
    e.status = r.status;
    throw e;
  }
  if (r.body.empty()) return nullptr;
  auto j = nlohmann::json::parse(r.body, nullptr, false);
  return j.is_discarded() ? nlohmann::json(r.body) : j;
}

Response Engine::stream_upload(const std::string& path, const std::filesystem::path& upload,
                               const std::string& content_type, const std::function<void(std::string_view)>& on_data,
                               std::chrono::seconds timeout) {
  check_interrupted();
  std::unique_ptr<std::FILE, decltype(&std::fclose)> file(std::fopen(upload.c_str(), "rb"), std::fclose);
  if (!file) throw EngineError("cannot read " + upload.string());
  std::error_code ec;
  auto size = std::filesystem::file_size(upload, ec);
  Response r;
  std::string error_body;
  // The body of an error status is the engine's message, not the stream.
  bool failed = false;
  std::function<void(std::string_view)> route = [&](std::string_view chunk) {
    if (failed) error_body.append(chunk);
    else on_data(chunk);
  };
  Sink sink{&r.body, &route};
  Curl curl = handle(socket_, base_url_ + path, timeout);
  Headers headers(curl_slist_append(nullptr, ("Content-Type: " + content_type).c_str()), curl_slist_free_all);
  curl_easy_setopt(curl.get(), CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(curl.get(), CURLOPT_POST, 1L);
  curl_easy_setopt(curl.get(), CURLOPT_READFUNCTION, read_file_cb);
  curl_easy_setopt(curl.get(), CURLOPT_READDATA, file.get());
  curl_easy_setopt(curl.get(), CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(ec ? 0 : size));
  curl_easy_setopt(curl.get(), CURLOPT_WRITEDATA, &sink);
  curl_easy_setopt(curl.get(), CURLOPT_HEADERFUNCTION,
                   +[](char* data, size_t size, size_t n, void* user) -> size_t {
                     std::string_view line(data, size * n);
                     // "HTTP/1.1 500 ..." : an error answer comes as one message.
                     if (line.rfind("HTTP/", 0) == 0) {
                       auto sp = line.find(' ');
                       if (sp != std::string_view::npos && sp + 1 < line.size() && line[sp + 1] >= '4')
                         *static_cast<bool*>(user) = true;
                     }
                     return size * n;
                   });
  curl_easy_setopt(curl.get(), CURLOPT_HEADERDATA, &failed);
  CURLcode rc = curl_easy_perform(curl.get());
  check_interrupted();
  if (rc != CURLE_OK) throw EngineError(fmt::format("POST {}: {}", path.substr(0, path.find('?')), curl_easy_strerror(rc)));
  curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &r.status);
  if (r.status >= 400) {
    EngineError e(engine_message(error_body));
    e.status = r.status;
    throw e;
  }
  return r;
}

}  // namespace dockerfix::verify
