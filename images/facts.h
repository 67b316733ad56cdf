// Facts an image tells about itself: its config's runtime fields and what
// its files say (/etc/os-release, /etc/passwd, /etc/group, /bin/sh, the
// tools on PATH and whether they are busybox). The layers are read from the
// top down, each only as far as needed: reading stops as soon as every
// question has its answer (a tool's absence is only known after the last).
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "dockerfix/lock.h"
#include "images/rootfs.h"

namespace dockerfix::images {

std::map<std::string, std::string> parse_os_release(const std::string& text);
std::vector<model::KnownUser> parse_passwd(const std::string& text);
std::vector<model::KnownGroup> parse_group(const std::string& text);
// The `config` object of an OCI/Docker image config blob.
model::ImageConfig parse_image_config(const nlohmann::json& blob);

class FactsReader {
 public:
  FactsReader();
  // Reads one layer (a tar, gzip or zstd compressed) pulled piece by piece
  // from `pull` (an empty piece ends it). Layers come top first. Returns
  // true when every question is answered: lower layers need not be read.
  // Throws std::runtime_error naming `what` on a broken archive.
  bool read_layer(const std::function<std::string_view()>& pull, const std::string& what);
  // All layers read (or an early stop): the facts.
  model::LearnedFacts facts(const model::ImageConfig& config);
  bool answered() const;

  RootFs& files() { return fs_; }

 private:
  RootFs fs_;
  size_t layers_ = 0;
};

}  // namespace dockerfix::images
