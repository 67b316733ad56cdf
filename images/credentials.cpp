#include "images/credentials.h"

#include <openssl/evp.h>
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <nlohmann/json.hpp>

extern char** environ;

namespace dockerfix::images {

namespace fs = std::filesystem;

namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// The keys docker login writes for a host: Docker Hub's historical URL, and
// any key given as a URL ("https://host/v2/") compares by its host.
std::string auth_key_host(std::string key) {
  if (auto p = key.find("://"); p != std::string::npos) key = key.substr(p + 3);
  if (auto slash = key.find('/'); slash != std::string::npos) key.resize(slash);
  key = lower(key);
  if (key == "index.docker.io" || key == "registry-1.docker.io" || key == "registry.hub.docker.com") return "docker.io";
  return key;
}

// Runs `docker-credential-<helper> get` with the server on stdin.
std::optional<Credentials> from_helper(const std::string& helper, const std::string& server) {
  if (helper.empty() || !std::all_of(helper.begin(), helper.end(), [](unsigned char c) {
        return std::isalnum(c) || c == '-' || c == '_' || c == '.';
      }))
    throw std::runtime_error("credential helper name '" + helper + "' is not a plain name");
  const std::string program = "docker-credential-" + helper;
  int in[2], out[2];
  if (pipe(in) != 0) throw std::runtime_error(program + ": cannot make a pipe");
  if (pipe(out) != 0) {
    close(in[0]);
    close(in[1]);
    throw std::runtime_error(program + ": cannot make a pipe");
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in[0], 0);
  posix_spawn_file_actions_adddup2(&actions, out[1], 1);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addclose(&actions, in[1]);
  posix_spawn_file_actions_addclose(&actions, out[0]);
  std::string get = "get";
  char* argv[] = {const_cast<char*>(program.c_str()), get.data(), nullptr};
  pid_t pid = 0;
  int rc = posix_spawnp(&pid, program.c_str(), &actions, nullptr, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  close(in[0]);
  close(out[1]);
  if (rc != 0) {
    close(in[1]);
    close(out[0]);
    throw std::runtime_error(program + " (a credential helper the Docker config names) cannot be run");
  }
  std::string input = server + "\n";
  [[maybe_unused]] auto written = write(in[1], input.data(), input.size());
  close(in[1]);
  std::string text;
  char buf[4096];
  for (ssize_t n; (n = ::read(out[0], buf, sizeof buf)) > 0;) text.append(buf, static_cast<size_t>(n));
  close(out[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    // The helpers' own wording for "nothing stored for this server".
    if (text.find("credentials not found") != std::string::npos) return std::nullopt;
    throw std::runtime_error(program + " get failed for " + server);
  }
  nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_object()) throw std::runtime_error(program + " get answered something that is not JSON");
  Credentials c;
  c.username = j.value("Username", "");
  std::string secret = j.value("Secret", "");
  if (c.username == "<token>") c.identity_token = secret;
  else c.password = secret;
  if (c.username.empty() && secret.empty()) return std::nullopt;
  return c;
}

}  // namespace

std::vector<Challenge> parse_challenges(const std::string& h) {
  std::vector<Challenge> out;
  size_t i = 0;
  auto skip_space = [&] {
    while (i < h.size() && (h[i] == ' ' || h[i] == '\t' || h[i] == ',')) ++i;
  };
  while (true) {
    skip_space();
    if (i >= h.size()) break;
    size_t b = i;
    while (i < h.size() && h[i] != ' ' && h[i] != '=' && h[i] != ',') ++i;
    std::string token = h.substr(b, i - b);
    if (i < h.size() && h[i] == '=' && !out.empty()) {
      // name=value of the current challenge
      ++i;
      std::string value;
      if (i < h.size() && h[i] == '"') {
        ++i;
        while (i < h.size() && h[i] != '"') {
          if (h[i] == '\\' && i + 1 < h.size()) ++i;
          value += h[i++];
        }
        ++i;
      } else {
        size_t vb = i;
        while (i < h.size() && h[i] != ',') ++i;
        value = h.substr(vb, i - vb);
        while (!value.empty() && value.back() == ' ') value.pop_back();
      }
      out.back().params[lower(token)] = value;
    } else {
      out.push_back({lower(token), {}});
    }
  }
  return out;
}

fs::path docker_config_file() {
  if (const char* dir = std::getenv("DOCKER_CONFIG"); dir && *dir) return fs::path(dir) / "config.json";
  const char* home = std::getenv("HOME");
  return fs::path(home && *home ? home : "/") / ".docker" / "config.json";
}

std::optional<Credentials> credentials_for(const std::string& host, const fs::path& file) {
  std::error_code ec;
  if (file.empty() || !fs::exists(file, ec)) return std::nullopt;
  std::ifstream in(file, std::ios::binary);
  if (!in) throw std::runtime_error(file.string() + ": cannot read the Docker config");
  std::stringstream ss;
  ss << in.rdbuf();
  nlohmann::json j = nlohmann::json::parse(ss.str(), nullptr, false);
  if (!j.is_object()) throw std::runtime_error(file.string() + ": the Docker config is not a JSON object");
  const std::string want = auth_key_host(host);
  // Docker Hub's helpers and auths entries are keyed by its old URL.
  const std::string server = want == "docker.io" ? "https://index.docker.io/v1/" : host;
  if (j.contains("credHelpers") && j["credHelpers"].is_object())
    for (const auto& [key, helper] : j["credHelpers"].items())
      if (auth_key_host(key) == want && helper.is_string()) return from_helper(helper.get<std::string>(), server);
  if (j.contains("credsStore") && j["credsStore"].is_string() && !j["credsStore"].get<std::string>().empty())
    return from_helper(j["credsStore"].get<std::string>(), server);
  if (j.contains("auths") && j["auths"].is_object())
    for (const auto& [key, entry] : j["auths"].items()) {
      if (auth_key_host(key) != want || !entry.is_object()) continue;
      Credentials c;
      c.identity_token = entry.value("identitytoken", "");
      if (std::string auth = entry.value("auth", ""); !auth.empty()) {
        auto decoded = base64_decode(auth);
        auto colon = decoded ? decoded->find(':') : std::string::npos;
        if (colon == std::string::npos)
          throw std::runtime_error(file.string() + ": auths." + key + ".auth is not base64 of user:password");
        c.username = decoded->substr(0, colon);
        c.password = decoded->substr(colon + 1);
      }
      if (c.username.empty() && c.identity_token.empty()) continue;
      return c;
    }
  return std::nullopt;
}

bool insecure_registry(const std::string& host_port, const std::vector<std::string>& named) {
  std::string host = lower(host_port);
  for (const auto& n : named)
    if (lower(n) == host) return true;
  if (!host.empty() && host.front() == '[') {
    auto close = host.find(']');
    return close != std::string::npos && host.substr(1, close - 1) == "::1";
  }
  host = host.substr(0, host.find(':'));
  if (host == "localhost") return true;
  // 127.0.0.0/8, written as a dotted quad.
  int parts = 0, value = -1;
  if (host.rfind("127.", 0) != 0) return false;
  for (char c : host + ".") {
    if (c == '.') {
      if (value < 0 || value > 255) return false;
      ++parts;
      value = -1;
    } else if (c >= '0' && c <= '9') {
      value = (value < 0 ? 0 : value * 10) + (c - '0');
      if (value > 255) return false;
    } else {
      return false;
    }
  }
  return parts == 4;
}

std::string base64_encode(const std::string& data) {
  std::string out(4 * ((data.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(data.data()), static_cast<int>(data.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

std::optional<std::string> base64_decode(const std::string& text) {
  std::string t;
  for (char c : text)
    if (c != '\n' && c != '\r' && c != ' ') t += c;
  if (t.size() % 4 != 0) return std::nullopt;
  std::string out(t.size() / 4 * 3 + 1, '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()), reinterpret_cast<const unsigned char*>(t.data()),
                          static_cast<int>(t.size()));
  if (n < 0) return std::nullopt;
  size_t len = static_cast<size_t>(n);
  // EVP_DecodeBlock counts the padding as zero bytes.
  if (!t.empty() && t.back() == '=') --len;
  if (t.size() > 1 && t[t.size() - 2] == '=') --len;
  out.resize(len);
  return out;
}

}  // namespace dockerfix::images
