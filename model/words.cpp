#include "model/words.h"

#include <cctype>

namespace dockerfix::model {

std::string unquote(std::string_view s) {
  if (s.size() >= 2 && (s.front() == '"' || s.front() == '\'') && s.back() == s.front()) s = s.substr(1, s.size() - 2);
  return std::string(s);
}

std::vector<std::string> split_words(std::string_view s) {
  std::vector<std::string> out;
  out.reserve(4);  // FROM, COPY and EXPOSE lines hold a few
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
    size_t b = i;
    while (i < s.size() && !std::isspace(static_cast<unsigned char>(s[i]))) ++i;
    if (i > b) out.emplace_back(s.substr(b, i - b));
  }
  return out;
}

// The steps of C++17 [fs.path.generic] normalisation as libstdc++ takes them
// on POSIX (no root-name; any run of `/` is one separator), on the path's
// names: `.` is dropped, `..` removes the name before it (is dropped right
// after the root, kept at the start of a relative path), and the result ends
// in `/` when its last element was `.`, `..` or empty after a name, unless its
// last name is `..`.
bool is_normal_path(std::string_view p) {
  if (p.empty()) return true;
  // No empty name but a last one, and no `.` or `..` name.
  for (size_t b = p.front() == '/' ? 1 : 0; b < p.size();) {
    size_t e = p.find('/', b);
    if (e == std::string_view::npos) e = p.size();
    const std::string_view name = p.substr(b, e - b);
    if ((name.empty() && e < p.size()) || name == "." || name == "..") return false;
    b = e + 1;
  }
  return true;
}

std::string normal_path(std::string_view p) {
  if (is_normal_path(p)) return std::string(p);
  const bool absolute = p.front() == '/';
  std::string out;  // the root and the names kept, joined by `/`, no trailing `/`
  out.reserve(p.size() + 1);
  if (absolute) out += '/';
  const size_t root = out.size();
  size_t names = 0, dotdots = 0;  // names in `out`; the `..`s among them (all leading)
  bool trailing = false;
  size_t i = 0;
  while (i < p.size()) {
    while (i < p.size() && p[i] == '/') ++i;
    const size_t b = i;
    while (i < p.size() && p[i] != '/') ++i;
    const std::string_view name = p.substr(b, i - b);
    if (name.empty() || name == ".") {
      trailing = names > 0;
    } else if (name == ".." && names > dotdots) {
      const size_t slash = out.rfind('/');
      out.resize(slash == std::string::npos || slash < root ? root : slash);
      --names;
      trailing = names > 0;
    } else if (name == ".." && absolute) {
      // `/..` is `/`.
    } else {
      if (names > 0) out += '/';
      out += name;
      ++names;
      if (name == "..") ++dotdots;
      trailing = false;
    }
  }
  if (trailing && names > dotdots) out += '/';
  if (out.empty()) out = ".";
  return out;
}

std::string resolve_path(std::string_view workdir, std::string_view p) {
  std::string full;
  if (!p.empty() && p[0] == '/') {
    full = p;
  } else {
    full.reserve(workdir.size() + 1 + p.size());
    full += workdir.empty() ? std::string_view("/") : workdir;
    full += '/';
    full += p;
  }
  std::string s = is_normal_path(full) ? std::move(full) : normal_path(full);
  if (s.size() > 1 && s.back() == '/') s.pop_back();
  return s.empty() ? "/" : s;
}

}  // namespace dockerfix::model
