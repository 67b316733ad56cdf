#include "verify/janitor.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace dockerfix::verify {

namespace {

enum class Removed { Yes, InUse, Failed };

// The cleanup must run even while an interrupt is pending: plain requests,
// not the interruptible path.
Removed remove(Engine& engine, const std::string& path) {
  try {
    long status = engine.request("DELETE", path, {}, std::chrono::seconds(60), false).status;
    if (status < 400 || status == 404) return Removed::Yes;
    return status == 409 ? Removed::InUse : Removed::Failed;
  } catch (const std::exception&) {
    return Removed::Failed;
  }
}

// A layer this run made may be the cache of another build running at the
// same time (two verifications of similar Dockerfiles): it cannot go while
// that build's image exists. Such layers are written down here, and every
// later cleanup on this machine removes the ones that have become free.
class Orphans {
 public:
  explicit Orphans(const std::string& host) : host_(host) {
    path_ = std::filesystem::temp_directory_path() / ("dockerfix-verify-orphans-" + std::to_string(::getuid()));
    fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd_ >= 0) ::flock(fd_, LOCK_EX);
  }
  ~Orphans() {
    if (fd_ >= 0) ::close(fd_);  // and the lock with it
  }
  // Layers of this engine written down by earlier runs; the others are kept aside.
  std::vector<std::string> take() {
    std::vector<std::string> mine;
    if (fd_ < 0) return mine;
    std::ifstream in(path_);
    for (std::string line; std::getline(in, line);) {
      auto tab = line.find('\t');
      if (tab == std::string::npos) continue;
      if (line.substr(0, tab) == host_) mine.push_back(line.substr(tab + 1));
      else others_.push_back(line);
    }
    return mine;
  }
  void put(const std::vector<std::string>& layers) {
    if (fd_ < 0) return;
    std::ofstream out(path_, std::ios::trunc);
    for (const auto& l : others_) out << l << '\n';
    for (const auto& l : layers) out << host_ << '\t' << l << '\n';
  }

 private:
  std::string host_;
  std::filesystem::path path_;
  int fd_ = -1;
  std::vector<std::string> others_;
};

}  // namespace

Janitor::~Janitor() { clean(); }

// An interrupted build leaves its step's container on the layer below it
// until the engine gets round to removing it: that container is this run's
// too. Containers of other verifications (named dockerfix-verify-*) are not
// touched. True when one was removed.
bool Janitor::remove_build_containers(const std::string& layer) {
  bool removed = false;
  try {
    auto list = engine_.request("GET", "/containers/json?all=1", {}, std::chrono::seconds(30), false);
    auto j = nlohmann::json::parse(list.body, nullptr, false);
    if (!j.is_array()) return false;
    for (const auto& c : j) {
      std::string image = c.value("ImageID", "");
      if (image != layer && image != "sha256:" + layer && image.rfind("sha256:" + layer, 0) != 0) continue;
      bool verify_run = false;
      for (const auto& n : c.value("Names", nlohmann::json::array()))
        if (n.is_string() && n.get<std::string>().rfind("/dockerfix-verify-", 0) == 0) verify_run = true;
      if (verify_run) continue;
      removed = remove(engine_, "/containers/" + c.value("Id", "") + "?force=1&v=1") == Removed::Yes || removed;
    }
  } catch (const std::exception&) {
  }
  return removed;
}

void Janitor::remove_container(const std::string& id) {
  remove(engine_, "/containers/" + id + "?force=1&v=1");
  containers_.erase(std::remove(containers_.begin(), containers_.end(), id), containers_.end());
}

std::vector<std::string> Janitor::clean() {
  std::vector<std::string> left;
  for (const auto& id : containers_)
    if (remove(engine_, "/containers/" + id + "?force=1&v=1") != Removed::Yes) left.push_back("container " + id);
  // noprune: layers taken from the cache belong to someone else's builds.
  for (const auto& t : tags_)
    if (remove(engine_, "/images/" + url_encode(t) + "?noprune=1") != Removed::Yes) left.push_back("image " + t);
  const bool had_layers = !layers_.empty();
  std::vector<std::string> in_use;
  for (auto it = layers_.rbegin(); it != layers_.rend(); ++it) {
    Removed r = remove(engine_, "/images/" + *it + "?noprune=1");
    if (r == Removed::InUse && remove_build_containers(*it)) r = remove(engine_, "/images/" + *it + "?noprune=1");
    if (r == Removed::InUse) in_use.push_back(*it);
    else if (r == Removed::Failed) left.push_back("layer " + *it);
  }
  if (had_layers) {
    Orphans orphans(engine_.host());
    std::vector<std::string> still;
    for (const auto& l : orphans.take())
      if (remove(engine_, "/images/" + l + "?noprune=1") == Removed::InUse) still.push_back(l);
    still.insert(still.end(), in_use.begin(), in_use.end());
    orphans.put(still);
  }
  containers_.clear();
  tags_.clear();
  layers_.clear();
  return left;
}

}  // namespace dockerfix::verify
