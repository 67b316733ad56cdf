// `dockerfix images learn|check`: the base images' facts read from the images
// themselves into dockerfix.lock, and whether the locked tags have moved.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <fmt/core.h>

#include "cli/atomic_write.h"
#include "cli/commands.h"
#include "cli/config.h"
#include "cli/discovery.h"
#include "cli/file_io.h"
#include "cli/help_text.h"
#include "cli/input_file.h"
#include "dockerfix/lock.h"
#include "dockerfix/syntax.h"
#include "images/base_images.h"
#include "images/cache.h"
#include "images/engine.h"
#include "images/learn.h"

namespace dockerfix::cli {
namespace {

namespace fs = std::filesystem;

struct ImagesOptions {
  std::vector<std::string> inputs;  // Dockerfiles, directories or references
  std::string platform = "linux/amd64";
  bool offline = false;
  std::string source = "auto";
  std::string engine_socket;
  std::string lock;
  std::vector<std::string> insecure;
  std::vector<std::string> build_args;
  std::string config_file;
  bool no_config = false;
  bool quiet = false;
};

struct Gathered {
  std::vector<model::ImageRef> refs;
  std::vector<std::string> errors;
  std::vector<std::string> warnings;  // base images that cannot be named (an ARG without a value)
  Config config;
};

bool is_path(const std::string& arg) {
  std::error_code ec;
  return arg == "-" || fs::exists(arg, ec);
}

// The base images of the Dockerfiles (after ARG substitution) and the
// references given as such, each once, in order.
Gathered gather(const ImagesOptions& o) {
  Gathered g;
  if (!o.config_file.empty()) g.config = load_config(o.config_file);
  else if (!o.no_config)
    if (auto found = find_config(fs::current_path())) g.config = load_config(*found);
  model::Options mo;
  for (const auto& a : o.build_args) {
    auto eq = a.find('=');
    if (eq == std::string::npos) throw std::runtime_error("--build-arg wants NAME=VALUE, got '" + a + "'");
    mo.build_args[a.substr(0, eq)] = a.substr(eq + 1);
  }
  std::vector<std::string> paths;
  images::BaseImages bases;
  std::vector<std::string> inputs = o.inputs.empty() ? std::vector<std::string>{"."} : o.inputs;
  for (const auto& arg : inputs) {
    if (is_path(arg)) {
      paths.push_back(arg);
      continue;
    }
    model::ImageRef r = model::parse_image_ref(arg);
    if (!r.valid || (!r.digest.empty() && r.digest.rfind("sha256:", 0) != 0)) {
      g.errors.push_back(arg + ": neither a file nor an image reference");
      continue;
    }
    images::add_base_image(r, bases);
  }
  if (!paths.empty()) {
    Discovered d = discover(paths, g.config);
    g.errors.insert(g.errors.end(), d.errors.begin(), d.errors.end());
    for (size_t i = 0; i < d.files.size(); ++i) {
      const Input in = d.files[i];
      std::string bytes, error;
      if (!read_input(in.path, bytes, error)) {
        g.errors.push_back(error);
        continue;
      }
      images::add_base_images(parse(std::move(bytes), in.path), in.path, mo, bases);
    }
  }
  g.refs = std::move(bases.refs);
  for (auto& w : bases.warnings) g.warnings.push_back(w + " (give it with --build-arg)");
  return g;
}

fs::path lock_file(const ImagesOptions& o, const Config& config) {
  if (!o.lock.empty()) return fs::absolute(o.lock);
  return model::lock_path_for(config.file, fs::current_path());
}

// A new lock is written beside where it goes and renamed into place, as
// write_atomically does for an existing one.
bool write_lock(const fs::path& path, const std::string& text, std::string& error) {
  std::error_code ec;
  if (fs::exists(path, ec)) {
    // Opened the way apply opens a Dockerfile, so the same no-follow and
    // still-the-same-file checks guard the rewrite.
    constexpr size_t kMaxLock = 64u << 20;
    InputFile opened;
    std::string bytes, note;
    if (open_input(Input{path.string(), ""}, kMaxLock, opened, bytes, error) != ReadStatus::Ok) return false;
    return write_atomically(opened, text, error, note);
  }
  std::string tmp = (path.parent_path() / ("." + path.filename().string() + ".dockerfix-XXXXXX")).string();
  int fd = ::mkstemp(tmp.data());
  if (fd < 0) {
    error = path.string() + ": cannot create a file in " + path.parent_path().string();
    return false;
  }
  bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) && ::fsync(fd) == 0;
  mode_t mask = ::umask(0);
  ::umask(mask);
  ok = ok && ::fchmod(fd, 0666 & ~mask) == 0;
  ::close(fd);
  if (ok) fs::rename(tmp, path, ec);
  if (!ok || ec) {
    fs::remove(tmp, ec);
    error = path.string() + ": cannot write the lock file";
    return false;
  }
  return true;
}

images::LearnOptions learn_options(const ImagesOptions& o) {
  images::LearnOptions lo;
  auto p = images::parse_platform(o.platform);
  if (!p) throw std::runtime_error("--platform wants os/arch[/variant] (linux/amd64, linux/arm64/v8), got '" +
                                   o.platform + "'");
  lo.platform = *p;
  lo.offline = o.offline;
  lo.registry.insecure = o.insecure;
  lo.registry.docker_config = images::docker_config_file();
  lo.cache_dir = images::default_cache_dir();
  if (o.source != "registry") lo.engine_socket = o.engine_socket.empty() ? images::default_engine_socket() : o.engine_socket;
  lo.engine_only = o.source == "engine";
  return lo;
}

// Everything a subcommand needs before it asks a registry: the options, the
// base images of the inputs and the lock. nullopt (the error printed) on bad input.
struct Run {
  Gathered g;
  images::LearnOptions lo;
  fs::path path;
  model::Lock lock;
};

std::optional<Run> prepare(const ImagesOptions& o, bool lock_required) {
  Run r;
  try {
    r.lo = learn_options(o);
    r.g = gather(o);
    r.path = lock_file(o, r.g.config);
    std::error_code ec;
    if (lock_required || fs::exists(r.path, ec)) r.lock = model::read_lock(r.path);
  } catch (const std::exception& e) {
    fmt::print(stderr, "dockerfix: {}\n", e.what());
    return std::nullopt;
  }
  for (const auto& e : r.g.errors) fmt::print(stderr, "dockerfix: {}\n", e);
  for (const auto& w : r.g.warnings) fmt::print(stderr, "dockerfix: warning: {}\n", w);
  return r;
}

int run_learn(const ImagesOptions& o) {
  auto run = prepare(o, false);
  if (!run) return kExitUsage;
  auto& [g, lo, path, previous] = *run;
  if (!o.quiet) lo.progress = [](const std::string& line) { fmt::print(stderr, "{}\n", line); };
  images::LearnReport report = images::learn(g.refs, lo, previous);
  if (!o.quiet)
    for (const auto& n : report.notes) fmt::print("{}\n", n);
  for (const auto& e : report.errors) fmt::print(stderr, "dockerfix: {}\n", e);
  std::error_code ec;
  const std::string text = model::lock_text(report.lock);
  bool changed = !fs::exists(path, ec) || model::lock_text(previous) != text;
  if (changed && !report.lock.images.empty()) {
    std::string error;
    if (!write_lock(path, text, error)) {
      fmt::print(stderr, "dockerfix: {}\n", error);
      return kExitUsage;
    }
    if (!o.quiet) fmt::print("wrote {}\n", path.string());
  }
  return g.errors.empty() && report.errors.empty() ? kExitOk : kExitUsage;
}

int run_check(const ImagesOptions& o) {
  auto run = prepare(o, true);
  if (!run) return kExitUsage;
  auto& [g, lo, path, lock] = *run;
  int code = g.errors.empty() ? kExitOk : kExitUsage;
  std::vector<std::string> keys;
  for (const auto& r : g.refs) {
    std::string key = model::lock_key(r);
    if (!lock.images.count(key)) {
      fmt::print("{}: not in {} (run dockerfix images learn)\n", key, path.string());
      if (code == kExitOk) code = kExitFindings;
      continue;
    }
    keys.push_back(key);
  }
  for (const auto& t : images::check_tags(lock, keys, lo)) {
    if (!t.error.empty()) {
      fmt::print(stderr, "dockerfix: {}\n", t.error);
      code = kExitUsage;
    } else if (t.moved()) {
      fmt::print("{}: moved: locked {}, now {} (dockerfix images learn updates the lock)\n", t.reference, t.locked,
                 t.current);
      if (code == kExitOk) code = kExitFindings;
    } else if (!o.quiet) {
      fmt::print("{}: {} (current)\n", t.reference, t.current);
    }
  }
  return code;
}

void add_common(CLI::App* sub, ImagesOptions& o) {
  sub->add_option("inputs", o.inputs, "Dockerfiles, directories (searched for Dockerfiles) or image references");
  sub->add_option("--platform", o.platform, "os/arch[/variant] of the images (default linux/amd64)");
  sub->add_option("--lock", o.lock, "The lock file (default: dockerfix.lock beside the config, or found upward)");
  sub->add_option("--insecure-registry", o.insecure, "A registry (host[:port]) that may use plain HTTP; repeat");
  sub->add_option("--build-arg", o.build_args, "NAME=VALUE for ARGs in FROM lines, as docker build --build-arg");
  sub->add_option("--config", o.config_file, "Config file (default: the nearest .dockerfix.yaml upward)");
  sub->add_flag("--no-config", o.no_config, "Ignore .dockerfix.yaml files");
  sub->add_flag("-q,--quiet", o.quiet, "Print only errors (and, for check, moved tags)");
}

}  // namespace

Command add_images_command(CLI::App& app) {
  auto learn = std::make_shared<ImagesOptions>();
  auto check = std::make_shared<ImagesOptions>();
  const HelpText& help = help_text("images");
  CLI::App* images = app.add_subcommand("images", help.brief());
  images->footer(help.footer());
  images->require_subcommand(1);
  CLI::App* l = images->add_subcommand(
      "learn", "Read each base image's config and files from its registry into the lock (dockerfix.lock)");
  add_common(l, *learn);
  l->add_flag("--offline", learn->offline, "Never touch the network: keep what the lock has, else use the cache");
  l->add_option("--source", learn->source,
                "auto (default: the local engine when it has the image, else the registry), registry or engine")
      ->check(CLI::IsMember({"auto", "registry", "engine"}));
  l->add_option("--engine-socket", learn->engine_socket, "The Docker engine's socket (default: DOCKER_HOST, else /var/run/docker.sock)");
  CLI::App* c = images->add_subcommand("check", "Report locked tags that have moved and base images not in the lock");
  add_common(c, *check);
  return {images, [=] { return l->parsed() ? run_learn(*learn) : run_check(*check); }};
}

}  // namespace dockerfix::cli
