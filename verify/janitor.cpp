#include "verify/janitor.h"

#include <algorithm>

namespace dockerfix::verify {

namespace {

// The cleanup must run even while an interrupt is pending: plain requests,
// not the interruptible path.
bool remove(Engine& engine, const std::string& path) {
  try {
    long status = engine.request("DELETE", path, {}, std::chrono::seconds(60), false).status;
    return status < 400 || status == 404;
  } catch (const std::exception&) {
    return false;
  }
}

}  // namespace

Janitor::~Janitor() { clean(); }

void Janitor::remove_container(const std::string& id) {
  remove(engine_, "/containers/" + id + "?force=1&v=1");
  containers_.erase(std::remove(containers_.begin(), containers_.end(), id), containers_.end());
}

std::vector<std::string> Janitor::clean() {
  std::vector<std::string> left;
  for (const auto& id : containers_)
    if (!remove(engine_, "/containers/" + id + "?force=1&v=1")) left.push_back("container " + id);
  // noprune: layers taken from the cache belong to someone else's builds.
  for (const auto& t : tags_)
    if (!remove(engine_, "/images/" + url_encode(t) + "?noprune=1")) left.push_back("image " + t);
  for (auto it = layers_.rbegin(); it != layers_.rend(); ++it)
    if (!remove(engine_, "/images/" + *it + "?noprune=1")) left.push_back("layer " + *it);
  containers_.clear();
  tags_.clear();
  layers_.clear();
  return left;
}

}  // namespace dockerfix::verify
