#include <algorithm>

#include "dockerfix/model.h"

namespace dockerfix::model {

// Docker's reference grammar, reduced to what matching needs: the first
// path component is a registry when it has a dot or a port, or is localhost.
ImageRef parse_image_ref(std::string_view text) {
  ImageRef ref;
  ref.raw = std::string(text);
  if (text.empty() || text.find_first_of(" \t$") != std::string_view::npos) return ref;
  std::string s(text);
  if (auto at = s.find('@'); at != std::string::npos) {
    ref.digest = s.substr(at + 1);
    s.resize(at);
  }
  auto slash = s.find('/');
  std::string first = s.substr(0, slash);
  if (slash != std::string::npos &&
      (first.find('.') != std::string::npos || first.find(':') != std::string::npos || first == "localhost")) {
    ref.registry = first;
    s = s.substr(slash + 1);
  } else {
    ref.registry = "docker.io";
  }
  if (ref.registry == "index.docker.io" || ref.registry == "registry-1.docker.io") ref.registry = "docker.io";
  auto colon = s.rfind(':');
  if (colon != std::string::npos && s.find('/', colon) == std::string::npos) {
    ref.tag = s.substr(colon + 1);
    s.resize(colon);
  }
  if (ref.tag.empty() && ref.digest.empty()) ref.tag = "latest";
  if (ref.registry == "docker.io" && s.find('/') == std::string::npos) s = "library/" + s;
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  ref.repository = s;
  ref.valid = !s.empty() && s != "library/";
  return ref;
}

std::string ImageRef::familiar() const {
  std::string repo = repository;
  if (registry == "docker.io" && repo.rfind("library/", 0) == 0) repo = repo.substr(8);
  std::string out = registry == "docker.io" ? repo : registry + "/" + repo;
  if (!tag.empty()) out += ":" + tag;
  if (!digest.empty()) out += "@" + digest;
  return out;
}

}  // namespace dockerfix::model
