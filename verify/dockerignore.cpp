#include "verify/dockerignore.h"

#include <sstream>

namespace dockerfix::verify {

namespace {

std::string trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

// patternmatcher's translation of a pattern into a regular expression.
std::string to_regex(const std::string& p) {
  std::string re = "^";
  for (size_t i = 0; i < p.size(); ++i) {
    char c = p[i];
    if (c == '*') {
      if (i + 1 < p.size() && p[i + 1] == '*') {
        ++i;
        if (i + 1 < p.size() && p[i + 1] == '/') ++i;  // "**/" is "**"
        re += i + 1 == p.size() ? ".*" : "(.*/)?";
      } else {
        re += "[^/]*";
      }
    } else if (c == '?') {
      re += "[^/]";
    } else if (std::string_view(".+()|{}$^").find(c) != std::string_view::npos) {
      re += '\\';
      re += c;
    } else if (c == '\\') {
      re += '\\';
      if (i + 1 < p.size()) re += p[++i];
      else re += '\\';
    } else {
      re += c;  // '[' and ']' keep their class meaning
    }
  }
  return re + "$";
}

}  // namespace

std::string clean_path(std::string_view path) {
  bool rooted = !path.empty() && path.front() == '/';
  std::vector<std::string> parts;
  std::string part;
  std::istringstream in{std::string(path)};
  while (std::getline(in, part, '/')) {
    if (part.empty() || part == ".") continue;
    if (part == "..") {
      if (!parts.empty() && parts.back() != "..") parts.pop_back();
      else if (!rooted) parts.push_back(part);
      continue;
    }
    parts.push_back(part);
  }
  std::string out = rooted ? "/" : "";
  for (size_t i = 0; i < parts.size(); ++i) out += (i ? "/" : "") + parts[i];
  return out.empty() ? "." : out;
}

DockerIgnore::DockerIgnore(std::string_view text) {
  std::istringstream in{std::string(text)};
  std::string line;
  while (std::getline(in, line)) {
    std::string p = trim(line);
    if (p.empty() || p.front() == '#') continue;
    bool exception = p.front() == '!';
    if (exception) p = trim(p.substr(1));
    if (p.empty()) continue;
    p = clean_path(p);
    if (p.size() > 1 && p.front() == '/') p.erase(0, 1);
    try {
      Pattern pattern{p, exception, std::regex(to_regex(p)), {}};
      if (p.rfind("**", 0) == 0 && p.size() > 2 && p.find_first_of("*?[\\", 2) == std::string::npos)
        pattern.suffix = p.substr(2);
      patterns_.push_back(std::move(pattern));
    } catch (const std::regex_error&) {
      // The CLI refuses a bad pattern with ErrBadPattern; here it matches nothing.
    }
  }
}

bool DockerIgnore::match(const Pattern& p, const std::string& path) {
  auto one = [&](const std::string& s) {
    if (p.suffix.empty()) return std::regex_match(s, p.regex);
    if (s.size() >= p.suffix.size() && s.compare(s.size() - p.suffix.size(), p.suffix.size(), p.suffix) == 0)
      return true;
    return p.suffix.front() == '/' && s == p.suffix.substr(1);
  };
  if (one(path)) return true;
  // A pattern matching any parent directory matches the path.
  for (size_t slash = path.find('/'); slash != std::string::npos; slash = path.find('/', slash + 1))
    if (one(path.substr(0, slash))) return true;
  return false;
}

bool DockerIgnore::excluded(const std::string& path) const {
  bool matched = false;
  for (const auto& p : patterns_) {
    if (p.exception != matched) continue;  // only a pattern that could change the answer
    if (match(p, path)) matched = !p.exception;
  }
  return matched;
}

bool DockerIgnore::may_reinclude_below(const std::string& dir) const {
  for (const auto& p : patterns_)
    if (p.exception && (p.text + "/").rfind(dir + "/", 0) == 0) return true;
  return false;
}

}  // namespace dockerfix::verify
