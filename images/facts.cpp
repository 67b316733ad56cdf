#include "images/facts.h"

#include <archive.h>
#include <archive_entry.h>

#include <exception>
#include <sstream>

namespace dockerfix::images {

namespace {

constexpr size_t kMaxKeptFile = 1 << 20;
const char* const kPathDirs[] = {"/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"};
const char* const kBusyboxAt[] = {"/bin/busybox", "/usr/bin/busybox", "/sbin/busybox"};

std::set<std::string> kept_files() {
  return {"etc/os-release", "usr/lib/os-release", "etc/passwd", "etc/group"};
}

std::vector<std::string> fields(const std::string& line) {
  std::vector<std::string> out;
  std::stringstream ss(line);
  for (std::string f; std::getline(ss, f, ':');) out.push_back(f);
  if (!line.empty() && line.back() == ':') out.emplace_back();
  return out;
}

std::optional<uint32_t> number(const std::string& s) {
  if (s.empty() || s.size() > 10 || s.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
  unsigned long v = std::stoul(s);
  if (v > 0xffffffffUL) return std::nullopt;
  return static_cast<uint32_t>(v);
}

std::vector<std::string> strings_of(const nlohmann::json& j) {
  std::vector<std::string> out;
  if (j.is_array())
    for (const auto& s : j)
      if (s.is_string()) out.push_back(s.get<std::string>());
  return out;
}

struct Pull {
  const std::function<std::string_view()>* pull;
  std::exception_ptr error;
};

la_ssize_t read_callback(struct archive*, void* data, const void** buffer) {
  auto* p = static_cast<Pull*>(data);
  try {
    std::string_view piece = (*p->pull)();
    *buffer = piece.data();
    return static_cast<la_ssize_t>(piece.size());
  } catch (...) {
    p->error = std::current_exception();
    return ARCHIVE_FATAL;
  }
}

}  // namespace

std::map<std::string, std::string> parse_os_release(const std::string& text) {
  std::map<std::string, std::string> out;
  std::stringstream ss(text);
  for (std::string line; std::getline(ss, line);) {
    auto eq = line.find('=');
    if (line.empty() || line[0] == '#' || eq == std::string::npos) continue;
    std::string key = line.substr(0, eq), value = line.substr(eq + 1);
    while (!value.empty() && (value.back() == '\r' || value.back() == ' ')) value.pop_back();
    if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') && value.back() == value.front()) {
      std::string unquoted;
      for (size_t i = 1; i + 1 < value.size(); ++i) {
        if (value[i] == '\\' && i + 2 < value.size()) ++i;
        unquoted += value[i];
      }
      value = unquoted;
    }
    for (auto& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (key == "id" || key == "id_like" || key == "version_id" || key == "pretty_name" || key == "version_codename")
      out[key] = value;
  }
  return out;
}

std::vector<model::KnownUser> parse_passwd(const std::string& text) {
  std::vector<model::KnownUser> out;
  std::stringstream ss(text);
  for (std::string line; std::getline(ss, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '#' || line[0] == '+' || line[0] == '-') continue;
    auto f = fields(line);
    if (f.size() < 7 || f[0].empty()) continue;
    out.push_back({f[0], number(f[2]), number(f[3]), f[5], f[6]});
  }
  return out;
}

std::vector<model::KnownGroup> parse_group(const std::string& text) {
  std::vector<model::KnownGroup> out;
  std::stringstream ss(text);
  for (std::string line; std::getline(ss, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '#' || line[0] == '+' || line[0] == '-') continue;
    auto f = fields(line);
    if (f.size() < 3 || f[0].empty()) continue;
    out.push_back({f[0], number(f[2])});
  }
  return out;
}

model::ImageConfig parse_image_config(const nlohmann::json& blob) {
  model::ImageConfig c;
  if (!blob.is_object() || !blob.contains("config") || !blob["config"].is_object()) return c;
  const auto& j = blob["config"];
  if (j.contains("User") && j["User"].is_string()) c.user = j["User"].get<std::string>();
  if (j.contains("WorkingDir") && j["WorkingDir"].is_string()) c.working_dir = j["WorkingDir"].get<std::string>();
  if (j.contains("Entrypoint")) c.entrypoint = strings_of(j["Entrypoint"]);
  if (j.contains("Cmd")) c.cmd = strings_of(j["Cmd"]);
  if (j.contains("Env")) c.env = strings_of(j["Env"]);
  if (j.contains("ExposedPorts") && j["ExposedPorts"].is_object())
    for (const auto& [port, _] : j["ExposedPorts"].items()) c.exposed_ports.push_back(port);
  if (j.contains("Healthcheck") && j["Healthcheck"].is_object() && j["Healthcheck"].contains("Test"))
    c.healthcheck = strings_of(j["Healthcheck"]["Test"]);
  if (j.contains("Labels") && j["Labels"].is_object())
    for (const auto& [k, v] : j["Labels"].items())
      if (v.is_string()) c.labels[k] = v.get<std::string>();
  return c;
}

FactsReader::FactsReader() : fs_(kept_files()) {}

bool FactsReader::answered() const {
  using A = RootFs::Answer;
  auto known = [&](const std::string& p) { return fs_.resolve(p).answer != A::NotYet; };
  auto os = fs_.resolve("/etc/os-release").answer;
  if (os == A::NotYet || (os == A::No && !known("/usr/lib/os-release"))) return false;
  if (!known("/etc/passwd") || !known("/etc/group") || !known("/bin/sh")) return false;
  for (const char* b : kBusyboxAt)
    if (!known(b)) return false;
  for (const auto& tool : model::probed_tools()) {
    bool any_yes = false, all_no = true;
    for (const char* dir : kPathDirs) {
      auto a = fs_.resolve(std::string(dir) + "/" + tool).answer;
      any_yes = any_yes || a == A::Yes;
      all_no = all_no && a == A::No;
    }
    if (!any_yes && !all_no) return false;
  }
  return true;
}

bool FactsReader::read_layer(const std::function<std::string_view()>& pull, const std::string& what) {
  struct archive* a = archive_read_new();
  archive_read_support_filter_gzip(a);
  archive_read_support_filter_zstd(a);
  archive_read_support_format_tar(a);
  Pull p{&pull, nullptr};
  auto fail = [&](const std::string& why) {
    std::string msg = what + ": " + why + (archive_error_string(a) ? std::string(": ") + archive_error_string(a) : "");
    archive_read_free(a);
    if (p.error) std::rethrow_exception(p.error);
    throw std::runtime_error(msg);
  };
  if (archive_read_open(a, &p, nullptr, read_callback, nullptr) != ARCHIVE_OK) fail("not a tar archive");
  bool stopped = false;
  size_t count = 0;
  for (;;) {
    struct archive_entry* e = nullptr;
    int rc = archive_read_next_header(a, &e);
    if (rc == ARCHIVE_EOF) break;
    if (rc < ARCHIVE_WARN) fail("a broken layer");
    const char* name = archive_entry_pathname(e);
    if (!name) continue;
    RootFs::Kind kind = RootFs::Kind::Other;
    std::string target;
    if (const char* hl = archive_entry_hardlink(e)) {
      kind = RootFs::Kind::Hardlink;
      target = hl;
    } else {
      switch (archive_entry_filetype(e)) {
        case AE_IFREG: kind = RootFs::Kind::File; break;
        case AE_IFDIR: kind = RootFs::Kind::Dir; break;
        case AE_IFLNK:
          kind = RootFs::Kind::Symlink;
          target = archive_entry_symlink(e) ? archive_entry_symlink(e) : "";
          break;
        default: break;
      }
    }
    if (fs_.add(name, kind, target)) {
      std::string content;
      char buf[16384];
      for (la_ssize_t n; (n = archive_read_data(a, buf, sizeof buf)) > 0;)
        if (content.size() < kMaxKeptFile) content.append(buf, static_cast<size_t>(n));
      if (content.size() <= kMaxKeptFile) fs_.set_content(name, std::move(content));
    }
    if (++count % 256 == 0 && answered()) {
      stopped = true;
      break;
    }
  }
  if (!stopped) {
    // The rest of the stream (tar padding), so that the blob's digest is checked.
    try {
      while (!pull().empty()) {
      }
    } catch (...) {
      archive_read_free(a);
      throw;
    }
  }
  archive_read_free(a);
  if (p.error) std::rethrow_exception(p.error);
  fs_.end_layer();
  ++layers_;
  return stopped || answered();
}

model::LearnedFacts FactsReader::facts(const model::ImageConfig& config) {
  using A = RootFs::Answer;
  fs_.finish();
  model::LearnedFacts f;
  f.config = config;
  auto os = fs_.content("/etc/os-release");
  if (!os) os = fs_.content("/usr/lib/os-release");
  if (os) f.os_release = parse_os_release(*os);
  if (auto passwd = fs_.content("/etc/passwd")) f.users = parse_passwd(*passwd);
  if (auto group = fs_.content("/etc/group")) f.groups = parse_group(*group);
  std::string busybox;
  for (const char* b : kBusyboxAt)
    if (auto r = fs_.resolve(b); r.answer == A::Yes && busybox.empty()) busybox = fs_.canonical(r.path);
  auto is_busybox = [&](const std::string& file) {
    std::string c = fs_.canonical(file);
    return (!busybox.empty() && c == busybox) || c == "busybox" ||
           (c.size() > 8 && c.compare(c.size() - 8, 8, "/busybox") == 0);
  };
  if (auto sh = fs_.resolve("/bin/sh"); sh.answer == A::Yes) {
    f.shell = "/" + fs_.canonical(sh.path);
    f.busybox = is_busybox(sh.path);
  }
  for (const auto& tool : model::probed_tools())
    for (const char* dir : kPathDirs)
      if (auto r = fs_.resolve(std::string(dir) + "/" + tool); r.answer == A::Yes) {
        f.tools[tool] = is_busybox(r.path) ? "busybox" : "/" + r.path;
        break;
      }
  return f;
}

}  // namespace dockerfix::images
