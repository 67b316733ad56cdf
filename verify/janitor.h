// Everything a verification creates is recorded here and removed at the
// end, on errors and after Ctrl-C alike: containers first (forced), then
// tags, then the layers the builds made, newest first.
#pragma once

#include <string>
#include <vector>

#include "verify/engine.h"

namespace dockerfix::verify {

class Janitor {
 public:
  explicit Janitor(Engine& engine) : engine_(engine) {}
  ~Janitor();
  Janitor(const Janitor&) = delete;
  Janitor& operator=(const Janitor&) = delete;

  void container(const std::string& id) { containers_.push_back(id); }
  void tag(const std::string& name) { tags_.push_back(name); }
  void layers(const std::vector<std::string>& ids) { layers_.insert(layers_.end(), ids.begin(), ids.end()); }
  // Removes one container now (it is also forgotten).
  void remove_container(const std::string& id);
  // Removes everything recorded; what could not be removed is listed.
  std::vector<std::string> clean();

 private:
  bool remove_build_containers(const std::string& layer);
  Engine& engine_;
  std::vector<std::string> containers_, tags_, layers_;
};

}  // namespace dockerfix::verify
