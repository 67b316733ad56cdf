#include "cli/shellcheck_cache.h"

#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "images/digest.h"

namespace dockerfix::cli {

namespace fs = std::filesystem;

namespace {

const char* env(const char* name) {
  const char* v = std::getenv(name);
  return v && *v ? v : nullptr;
}

bool write_all(int fd, const std::string& text) {
  for (size_t done = 0; done < text.size();) {
    ssize_t n = write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

// A comment as shellcheck writes it, with what dockerfix reads of it.
bool well_formed(const nlohmann::json& c) {
  if (!c.is_object()) return false;
  for (const char* k : {"line", "endLine", "column", "endColumn", "code"})
    if (auto it = c.find(k); it == c.end() || !it->is_number_integer()) return false;
  for (const char* k : {"level", "message"})
    if (auto it = c.find(k); it == c.end() || !it->is_string()) return false;
  return true;
}

}  // namespace

fs::path shellcheck_cache_dir() {
  if (const char* d = env("DOCKERFIX_CACHE_DIR")) return fs::path(d) / "shellcheck";
  // The XDG spec: a relative path in XDG_CACHE_HOME is invalid and ignored.
  if (const char* xdg = env("XDG_CACHE_HOME"); xdg && fs::path(xdg).is_absolute())
    return fs::path(xdg) / "dockerfix" / "shellcheck";
  if (const char* home = env("HOME")) return fs::path(home) / ".cache" / "dockerfix" / "shellcheck";
  return {};
}

ShellcheckCache::ShellcheckCache(fs::path dir, nlohmann::json identity)
    : dir_(std::move(dir)), identity_(std::move(identity)), identity_text_(identity_.dump()) {}

fs::path ShellcheckCache::entry(const std::string& script) const {
  images::Sha256 h;
  h.update(identity_text_.data(), identity_text_.size() + 1);  // with its NUL: where the script starts is unambiguous
  h.update(script.data(), script.size());
  return dir_ / (h.digest().substr(7) + ".json");
}

std::optional<nlohmann::json> ShellcheckCache::get(const std::string& script) const {
  if (dir_.empty()) return std::nullopt;
  std::ifstream in(entry(script), std::ios::binary);
  if (!in) return std::nullopt;
  std::stringstream text;
  text << in.rdbuf();
  auto e = nlohmann::json::parse(text.str(), nullptr, false);
  if (!e.is_object()) return std::nullopt;
  auto key = e.find("key"), stored = e.find("script"), comments = e.find("comments");
  if (key == e.end() || stored == e.end() || comments == e.end()) return std::nullopt;
  if (*key != identity_ || !stored->is_string() || stored->get_ref<const std::string&>() != script) return std::nullopt;
  if (!comments->is_array()) return std::nullopt;
  for (const auto& c : *comments)
    if (!well_formed(c)) return std::nullopt;
  return std::move(*comments);
}

void ShellcheckCache::put(const std::string& script, const nlohmann::json& comments) {
  if (dir_.empty()) return;
  std::call_once(made_dir_, [&] {
    std::error_code ec;
    fs::create_directories(dir_, ec);
  });
  const nlohmann::json e{{"key", identity_}, {"script", script}, {"comments", comments}};
  // Invalid UTF-8 in a script would make dump() throw: replaced, the entry
  // no longer holds the script exactly and is a miss when read.
  const std::string text = e.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  std::string tmp = (dir_ / ".entry-XXXXXX").string();
  int fd = mkstemp(tmp.data());
  if (fd < 0) return;
  const bool written = write_all(fd, text);
  if (close(fd) != 0 || !written || rename(tmp.c_str(), entry(script).c_str()) != 0) unlink(tmp.c_str());
}

}  // namespace dockerfix::cli
