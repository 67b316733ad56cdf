#include "verify/run.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <sstream>

#include <fmt/format.h>

#include "verify/interrupt.h"

namespace dockerfix::verify {

namespace {

using Clock = std::chrono::steady_clock;
constexpr int64_t kSecond = 1'000'000'000;  // the API counts durations in nanoseconds

double since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

std::string container_name() {
  static std::atomic<int> n{0};
  return fmt::format("dockerfix-verify-{}-{}", ::getpid(), ++n);
}

std::vector<std::string> strings(const nlohmann::json& j) {
  std::vector<std::string> out;
  if (j.is_array())
    for (const auto& s : j)
      if (s.is_string()) out.push_back(s);
  return out;
}

std::vector<std::string> last_lines(const std::string& text, size_t n) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(line);
  }
  if (lines.size() > n) lines.erase(lines.begin(), lines.end() - static_cast<long>(n));
  return lines;
}

nlohmann::json create_body(const std::string& image, const RunSettings& s) {
  nlohmann::json host{{"NetworkMode", "none"}, {"PublishAllPorts", false}};
  if (!s.volumes.empty()) host["Binds"] = s.volumes;
  if (!s.cap_add.empty()) host["CapAdd"] = s.cap_add;
  nlohmann::json body{{"Image", image}, {"HostConfig", host}, {"Labels", {{"dockerfix.verify", "1"}}},
                      {"AttachStdin", false}, {"OpenStdin", false}, {"Tty", false}};
  if (!s.env.empty()) body["Env"] = s.env;
  return body;
}

std::string create(Engine& engine, Janitor& janitor, const nlohmann::json& body) {
  auto created = engine.call("POST", "/containers/create?name=" + container_name(), body);
  std::string id = created.value("Id", "");
  if (id.empty()) throw EngineError("the engine created a container without an id");
  janitor.container(id);
  return id;
}

std::string logs(Engine& engine, const std::string& id, int tail) {
  auto r = engine.request("GET", fmt::format("/containers/{}/logs?stdout=1&stderr=1&tail={}", id, tail));
  return r.status < 400 ? demultiplex(r.body) : std::string();
}

// The uid of the container's main process from the engine's `top` (ps on
// the host), which needs nothing inside the image.
std::optional<uint32_t> main_process_uid(Engine& engine, const std::string& id, long pid) {
  auto r = engine.request("GET", "/containers/" + id + "/top?ps_args=" + url_encode("-o pid,uid"));
  if (r.status >= 400) return std::nullopt;
  auto j = nlohmann::json::parse(r.body, nullptr, false);
  if (!j.is_object() || !j["Titles"].is_array() || !j["Processes"].is_array()) return std::nullopt;
  auto titles = strings(j["Titles"]);
  auto pid_col = std::find(titles.begin(), titles.end(), "PID") - titles.begin();
  auto uid_col = std::find(titles.begin(), titles.end(), "UID") - titles.begin();
  if (pid_col >= static_cast<long>(titles.size()) || uid_col >= static_cast<long>(titles.size())) return std::nullopt;
  for (const auto& row : j["Processes"]) {
    auto cells = strings(row);
    if (static_cast<long>(cells.size()) <= std::max(pid_col, uid_col)) continue;
    if (cells[pid_col] == std::to_string(pid)) {
      try {
        return static_cast<uint32_t>(std::stoul(cells[uid_col]));
      } catch (const std::exception&) {
        return std::nullopt;
      }
    }
  }
  return std::nullopt;
}

// Podman's compatible `top` takes its own descriptors, not ps's `-o pid,uid`,
// and answers with the container's pids. When the engine runs on this
// host, the main process's uid is in /proc/<Pid>/status; the process is
// only trusted to be the container's when its cgroup names the container
// (docker-<id>.scope, /docker/<id>, libpod-<id>.scope), so a dockerfix in
// another pid namespace (a container with the socket mounted) never reads
// some other process.
std::optional<uint32_t> host_process_uid(const std::string& id, long pid) {
  if (pid <= 0 || id.size() < 12) return std::nullopt;
  const std::string proc = "/proc/" + std::to_string(pid);
  std::ifstream cgroup(proc + "/cgroup");
  std::string text((std::istreambuf_iterator<char>(cgroup)), std::istreambuf_iterator<char>());
  if (text.find(id) == std::string::npos) return std::nullopt;
  std::ifstream status(proc + "/status");
  for (std::string line; std::getline(status, line);) {
    unsigned long real = 0, effective = 0;
    // "Uid:\treal\teffective\tsaved\tfs": the effective uid, as ps's uid column shows.
    if (std::sscanf(line.c_str(), "Uid: %lu %lu", &real, &effective) == 2) return static_cast<uint32_t>(effective);
  }
  return std::nullopt;
}

}  // namespace

bool ImageConfig::has_healthcheck() const {
  if (!healthcheck.is_object()) return false;
  auto test = strings(healthcheck.value("Test", nlohmann::json::array()));
  return !test.empty() && test[0] != "NONE";
}

double ImageConfig::health_start_period() const {
  return has_healthcheck() ? static_cast<double>(healthcheck.value("StartPeriod", int64_t{0})) / kSecond : 0;
}

ImageConfig inspect_image(Engine& engine, const std::string& image) {
  auto j = engine.call("GET", "/images/" + url_encode(image) + "/json");
  ImageConfig c;
  c.id = j.value("Id", "");
  const auto& cfg = j.contains("Config") && j["Config"].is_object() ? j["Config"] : nlohmann::json::object();
  if (cfg.contains("User") && cfg["User"].is_string()) c.user = cfg["User"];
  if (cfg.contains("WorkingDir") && cfg["WorkingDir"].is_string()) c.workdir = cfg["WorkingDir"];
  c.entrypoint = strings(cfg.value("Entrypoint", nlohmann::json()));
  c.cmd = strings(cfg.value("Cmd", nlohmann::json()));
  if (cfg.contains("Healthcheck")) c.healthcheck = cfg["Healthcheck"];
  return c;
}

std::string demultiplex(const std::string& body) {
  std::string out;
  size_t pos = 0;
  while (pos + 8 <= body.size()) {
    unsigned char kind = static_cast<unsigned char>(body[pos]);
    if (kind > 2 || body[pos + 1] != 0 || body[pos + 2] != 0 || body[pos + 3] != 0) return body;  // a TTY's raw stream
    size_t n = (static_cast<size_t>(static_cast<unsigned char>(body[pos + 4])) << 24) |
               (static_cast<size_t>(static_cast<unsigned char>(body[pos + 5])) << 16) |
               (static_cast<size_t>(static_cast<unsigned char>(body[pos + 6])) << 8) |
               static_cast<size_t>(static_cast<unsigned char>(body[pos + 7]));
    out.append(body, pos + 8, std::min(n, body.size() - pos - 8));
    pos += 8 + n;
  }
  return pos == 0 && !body.empty() ? body : out;
}

RunOutcome run_image(Engine& engine, Janitor& janitor, const ImageConfig& image, const RunSettings& settings) {
  RunOutcome out;
  out.has_healthcheck = image.has_healthcheck();
  nlohmann::json body = create_body(image.id, settings);
  double health_limit = static_cast<double>(settings.window.count());
  if (out.has_healthcheck) {
    nlohmann::json hc = image.healthcheck;
    hc["Interval"] = kSecond;
    body["Healthcheck"] = hc;
    // Until the engine would have declared it unhealthy at one probe a
    // second, plus a moment; at most a minute past the window.
    double timeout = static_cast<double>(hc.value("Timeout", int64_t{0})) / kSecond;
    if (timeout <= 0) timeout = 30;
    int retries = hc.value("Retries", 0);
    if (retries <= 0) retries = 3;
    double decided = image.health_start_period() + retries * (1 + std::min(timeout, 5.0)) + 2;
    health_limit = std::max(health_limit, std::min(decided, health_limit + 60));
  }
  std::string id;
  try {
    id = create(engine, janitor, body);
  } catch (const EngineError& e) {
    if (e.status == 0) throw;  // no answer at all: not the image's fault
    out.start_error = e.what();  // "No command specified", a bad volume, ...
    return out;
  }
  auto r = engine.request("POST", "/containers/" + id + "/start");
  auto t0 = Clock::now();
  if (r.status >= 400) {
    auto j = nlohmann::json::parse(r.body, nullptr, false);
    out.start_error = j.is_object() ? j.value("message", r.body) : r.body;
    janitor.remove_container(id);
    return out;
  }
  out.started = true;
  nlohmann::json state;
  for (;;) {
    state = engine.call("GET", "/containers/" + id + "/json")["State"];
    const double elapsed = since(t0);
    if (!state.value("Running", false)) {
      out.still_running = false;
      out.exit_code = state.value("ExitCode", 0);
      out.oom_killed = state.value("OOMKilled", false);
      out.seconds = elapsed;
      break;
    }
    std::string health;
    if (out.has_healthcheck && state.contains("Health") && state["Health"].is_object()) {
      health = state["Health"].value("Status", "");
      if (health == "healthy" && out.healthy_after < 0) out.healthy_after = elapsed;
    }
    if (elapsed >= static_cast<double>(settings.window.count())) {
      bool decided = !out.has_healthcheck || out.healthy_after >= 0 || health == "unhealthy" || elapsed >= health_limit;
      if (decided) {
        out.still_running = true;
        out.seconds = elapsed;
        out.uid = main_process_uid(engine, id, state.value("Pid", 0L));
        if (out.uid) out.uid_source = "the main process (engine's top)";
        if (!out.uid && (out.uid = host_process_uid(id, state.value("Pid", 0L))))
          out.uid_source = "the main process (/proc on the engine's host)";
        break;
      }
    }
    pause_ms(250);
  }
  if (out.has_healthcheck) {
    if (out.healthy_after >= 0) {
      out.health = "healthy";
    } else {
      const auto& h = state.contains("Health") && state["Health"].is_object() ? state["Health"] : nlohmann::json::object();
      out.health = h.value("Status", "starting");
      if (out.health.empty() || out.health == "none") out.health = "starting";
      if (h.contains("Log") && h["Log"].is_array() && !h["Log"].empty()) {
        auto last = h["Log"].back();
        out.health_output = last.value("Output", "");
        while (!out.health_output.empty() && out.health_output.back() == '\n') out.health_output.pop_back();
      }
    }
  }
  out.logs = last_lines(logs(engine, id, 40), 20);
  janitor.remove_container(id);
  if (!out.uid) {
    // The process is gone: the uid its user resolves to, from a fresh
    // container of the same image.
    ProbeResult p = probe(engine, janitor, image.id, {"id", "-u"}, settings);
    if (p.ran && p.exit_code == 0) {
      try {
        out.uid = static_cast<uint32_t>(std::stoul(p.output));
        out.uid_source = out.still_running ? "`id -u` in a new container (the engine's top gave none)"
                                           : "`id -u` in a new container (the main process had exited)";
      } catch (const std::exception&) {
      }
    }
    if (!out.uid) out.uid_source = "not observed (no uid from the engine's top, and the image has no `id`)";
  }
  return out;
}

ProbeResult probe(Engine& engine, Janitor& janitor, const std::string& image, const std::vector<std::string>& argv,
                  const RunSettings& settings, std::chrono::seconds limit) {
  ProbeResult p;
  nlohmann::json body = create_body(image, settings);
  body["Entrypoint"] = argv;
  body["Cmd"] = nlohmann::json::array();
  body["Healthcheck"] = {{"Test", {"NONE"}}};
  std::string id;
  try {
    id = create(engine, janitor, body);
    auto r = engine.request("POST", "/containers/" + id + "/start");
    if (r.status >= 400) {
      auto j = nlohmann::json::parse(r.body, nullptr, false);
      p.error = j.is_object() ? j.value("message", r.body) : r.body;
      janitor.remove_container(id);
      return p;
    }
    auto w = engine.call("POST", "/containers/" + id + "/wait", nullptr, limit);
    p.ran = true;
    p.exit_code = w.value("StatusCode", -1);
    p.output = logs(engine, id, 200);
    while (!p.output.empty() && (p.output.back() == '\n' || p.output.back() == '\r')) p.output.pop_back();
  } catch (const EngineError& e) {
    p.error = e.what();
  }
  if (!id.empty()) janitor.remove_container(id);
  return p;
}

}  // namespace dockerfix::verify
