#include "verify/build.h"

#include <regex>

#include <fmt/format.h>

namespace dockerfix::verify {

namespace {

const std::regex& step_header() {
  static const std::regex re(R"(^(?:Step|STEP) \d+/\d+ ?: ?(.*)$)");
  return re;
}
// Classic builder " ---> 1a2b3c4d5e6f", Podman "--> 1a2b3c4d5e6f".
const std::regex& layer_line() {
  static const std::regex re(R"(^ ?--?-> ([0-9a-f]{12,64})$)");
  return re;
}
const std::regex& cache_line() {
  static const std::regex re(R"(^ ?--?-> Using cache\b.*$)");
  return re;
}

bool noise(const std::string& line) {
  return line.rfind(" ---> Running in ", 0) == 0 || line.rfind("Removing intermediate container", 0) == 0 ||
         line.rfind("Successfully built", 0) == 0 || line.rfind("Successfully tagged", 0) == 0 || line.empty();
}

}  // namespace

void BuildStream::feed(std::string_view chunk) {
  pending_.append(chunk);
  for (size_t nl; (nl = pending_.find('\n')) != std::string::npos;) {
    std::string line = pending_.substr(0, nl);
    pending_.erase(0, nl + 1);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!line.empty()) object(line);
  }
}

void BuildStream::finish() {
  if (!pending_.empty()) object(pending_);
  pending_.clear();
  if (!partial_text_.empty()) text_line(partial_text_);
  partial_text_.clear();
  if (result_.error.empty() && !result_.image_id.empty()) {
    result_.ok = true;
    result_.failing_step.clear();
    result_.log.clear();
  } else {
    result_.ok = false;
    if (result_.error.empty()) result_.error = "the engine's build stream ended without an image";
    result_.log = step_log_;
  }
}

void BuildStream::object(const std::string& line) {
  auto j = nlohmann::json::parse(line, nullptr, false);
  if (!j.is_object()) {
    text_line(line);
    return;
  }
  if (j.contains("stream") && j["stream"].is_string()) {
    partial_text_ += j["stream"].get<std::string>();
    for (size_t nl; (nl = partial_text_.find('\n')) != std::string::npos;) {
      std::string text = partial_text_.substr(0, nl);
      partial_text_.erase(0, nl + 1);
      text_line(text);
    }
    // A step header comes without its newline; take it as soon as it is whole.
    if (std::regex_match(partial_text_, step_header())) {
      text_line(partial_text_);
      partial_text_.clear();
    }
  }
  if (j.contains("aux") && j["aux"].is_object() && j["aux"].contains("ID") && j["aux"]["ID"].is_string())
    result_.image_id = j["aux"]["ID"];
  if (j.contains("errorDetail") && j["errorDetail"].is_object() && j["errorDetail"].contains("message"))
    result_.error = j["errorDetail"]["message"].get<std::string>();
  else if (j.contains("error") && j["error"].is_string())
    result_.error = j["error"];
}

void BuildStream::text_line(const std::string& raw) {
  // The classic builder colours a step's stderr with terminal escapes.
  static const std::regex escapes("\x1b\\[[0-9;]*[A-Za-z]");
  std::string line = std::regex_replace(raw, escapes, "");
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
  std::smatch m;
  if (std::regex_match(line, m, step_header())) {
    result_.failing_step = line;
    step_log_.clear();
    step_cached_ = false;
    std::string ins = m[1].str();
    step_is_from_ = ins.size() >= 4 && (ins.compare(0, 4, "FROM") == 0 || ins.compare(0, 4, "from") == 0);
    return;
  }
  if (std::regex_match(line, cache_line())) {
    step_cached_ = true;
    return;
  }
  if (std::regex_match(line, m, layer_line())) {
    if (!step_cached_ && !step_is_from_) {
      result_.layers.push_back(m[1].str());
      if (on_layer_) on_layer_(m[1].str());
    }
    return;
  }
  if (noise(line)) return;
  step_log_.push_back(line);
  if (step_log_.size() > kLogLines) step_log_.erase(step_log_.begin());
}

BuildResult build_image(Engine& engine, const std::filesystem::path& context_tar, const BuildRequest& request) {
  std::string q = "/build?rm=1&forcerm=1&pull=0&q=0";
  q += "&t=" + url_encode(request.tag);
  q += "&dockerfile=" + url_encode(request.dockerfile);
  q += "&networkmode=" + url_encode(request.network);
  if (!request.target.empty()) q += "&target=" + url_encode(request.target);
  if (!request.build_args.empty()) q += "&buildargs=" + url_encode(nlohmann::json(request.build_args).dump());
  if (!request.labels.empty()) q += "&labels=" + url_encode(nlohmann::json(request.labels).dump());
  BuildStream stream(request.on_layer);
  auto start = std::chrono::steady_clock::now();
  try {
    engine.stream_upload(q, context_tar, "application/x-tar", [&](std::string_view c) { stream.feed(c); },
                         request.timeout);
  } catch (const EngineError& e) {
    stream.finish();
    BuildResult& r = stream.result();
    r.ok = false;
    r.error = e.what();
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return r;
  }
  stream.finish();
  BuildResult& r = stream.result();
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return r;
}

}  // namespace dockerfix::verify
