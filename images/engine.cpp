#include "images/engine.h"

#include <archive.h>
#include <archive_entry.h>
#include <curl/curl.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>

#include <nlohmann/json.hpp>

#include "images/facts.h"
#include "images/http.h"
#include "images/platform.h"

namespace dockerfix::images {

namespace fs = std::filesystem;

namespace {

constexpr size_t kMaxInspect = 8 << 20;
constexpr size_t kMaxManifestJson = 4 << 20;

std::string escape(const std::string& s) {
  char* e = curl_easy_escape(nullptr, s.c_str(), static_cast<int>(s.size()));
  std::string out = e ? e : "";
  curl_free(e);
  return out;
}

// A temporary directory removed with everything in it.
struct Scratch {
  fs::path path;
  Scratch() {
    std::string t = (fs::temp_directory_path() / "dockerfix-engine-XXXXXX").string();
    if (!mkdtemp(t.data())) throw std::runtime_error("cannot make a temporary directory");
    path = t;
  }
  ~Scratch() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

struct StreamPull {
  HttpStream* stream;
};

la_ssize_t pull_stream(struct archive*, void* data, const void** buffer) {
  auto* p = static_cast<StreamPull*>(data);
  try {
    std::string_view piece = p->stream->read();
    *buffer = piece.data();
    return static_cast<la_ssize_t>(piece.size());
  } catch (const std::exception&) {
    return ARCHIVE_FATAL;
  }
}

// `docker save` lists the layers before the manifest that orders them, so
// the layer files are spooled to `dir`; manifest.json is returned.
std::string spool_save(HttpStream& stream, const fs::path& dir, const std::string& what) {
  struct archive* a = archive_read_new();
  archive_read_support_format_tar(a);
  StreamPull p{&stream};
  std::string manifest;
  auto fail = [&](const std::string& why) {
    std::string msg = what + ": " + why + (archive_error_string(a) ? std::string(": ") + archive_error_string(a) : "");
    archive_read_free(a);
    throw std::runtime_error(msg);
  };
  if (archive_read_open(a, &p, nullptr, pull_stream, nullptr) != ARCHIVE_OK) fail("the saved image is not a tar");
  for (;;) {
    struct archive_entry* e = nullptr;
    int rc = archive_read_next_header(a, &e);
    if (rc == ARCHIVE_EOF) break;
    if (rc < ARCHIVE_WARN) fail("the saved image is broken");
    if (archive_entry_filetype(e) != AE_IFREG || !archive_entry_pathname(e)) continue;
    const std::string name = clean_path(archive_entry_pathname(e));
    if (name.empty() || name.find("..") != std::string::npos) continue;
    if (name == "manifest.json") {
      char buf[16384];
      for (la_ssize_t n; (n = archive_read_data(a, buf, sizeof buf)) > 0;)
        if (manifest.size() < kMaxManifestJson) manifest.append(buf, static_cast<size_t>(n));
      continue;
    }
    fs::path out = dir / name;
    fs::create_directories(out.parent_path());
    std::ofstream file(out, std::ios::binary);
    char buf[65536];
    for (la_ssize_t n; (n = archive_read_data(a, buf, sizeof buf)) > 0;) file.write(buf, n);
    if (!file) fail("cannot spool " + name);
  }
  archive_read_free(a);
  return manifest;
}

}  // namespace

std::string default_engine_socket() {
  if (const char* host = std::getenv("DOCKER_HOST"); host && std::string(host).rfind("unix://", 0) == 0)
    return std::string(host).substr(7);
  return "/var/run/docker.sock";
}

std::optional<model::LockedImage> learn_from_engine(const model::ImageRef& ref, const std::string& socket) {
  struct stat st {};
  if (socket.empty() || ::stat(socket.c_str(), &st) != 0 || !S_ISSOCK(st.st_mode)) return std::nullopt;
  const std::string name = ref.familiar();
  const std::string what = name + " (local engine)";
  HttpRequest inspect;
  inspect.url = "http://localhost/images/" + escape(name) + "/json";
  inspect.unix_socket = socket;
  HttpResponse r;
  try {
    r = http_fetch(inspect, kMaxInspect);
  } catch (const HttpError&) {
    return std::nullopt;  // nothing answers on the socket
  }
  if (r.status == 404) return std::nullopt;
  if (r.status != 200) throw std::runtime_error(what + ": the engine answered HTTP " + std::to_string(r.status));
  auto j = nlohmann::json::parse(r.body, nullptr, false);
  if (!j.is_object()) throw std::runtime_error(what + ": the engine's answer is not JSON");

  model::LockedImage e;
  e.reference = model::lock_key(ref);
  e.manifest = j.value("Id", std::string());
  // The registry digest when the image came from one; else only its ID,
  // which no registry serves (a local build).
  std::string repo = ref.registry == "docker.io" ? ref.familiar().substr(0, ref.familiar().find_first_of(":@"))
                                                 : ref.registry + "/" + ref.repository;
  e.digest.clear();
  for (const auto& d : j.value("RepoDigests", nlohmann::json::array()))
    if (d.is_string() && d.get<std::string>().rfind(repo + "@", 0) == 0) e.digest = d.get<std::string>().substr(repo.size() + 1);
  e.source = e.digest.empty() ? "engine-local" : "engine";
  if (e.digest.empty()) e.digest = e.manifest;
  Platform p{j.value("Os", std::string("linux")), j.value("Architecture", std::string("amd64")),
             j.value("Variant", std::string())};
  auto normal = parse_platform(p.text());
  e.platform = normal ? normal->text() : p.text();
  nlohmann::json config = nlohmann::json::object();
  if (j.contains("Config")) config["config"] = j["Config"];

  Scratch scratch;
  HttpRequest save;
  save.url = "http://localhost/images/" + escape(name) + "/get";
  save.unix_socket = socket;
  HttpStream stream(save);
  if (stream.response().status != 200)
    throw std::runtime_error(what + ": the engine answered HTTP " + std::to_string(stream.response().status) + " to save");
  auto manifest = nlohmann::json::parse(spool_save(stream, scratch.path, what), nullptr, false);
  if (!manifest.is_array() || manifest.empty() || !manifest[0].is_object())
    throw std::runtime_error(what + ": the saved image has no manifest.json");
  const auto layers = manifest[0].value("Layers", nlohmann::json::array());
  FactsReader reader;
  for (auto it = layers.rbegin(); it != layers.rend(); ++it) {
    std::string layer = it->is_string() ? clean_path(it->get<std::string>()) : "";
    std::ifstream in(scratch.path / layer, std::ios::binary);
    if (layer.empty() || !in) throw std::runtime_error(what + ": the saved image lacks layer " + layer);
    std::string buf(65536, '\0');
    std::function<std::string_view()> pull = [&]() -> std::string_view {
      in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
      return std::string_view(buf.data(), static_cast<size_t>(in.gcount()));
    };
    if (reader.read_layer(pull, what + " layer " + layer)) break;
  }
  e.facts = reader.facts(parse_image_config(config));
  return e;
}

}  // namespace dockerfix::images
