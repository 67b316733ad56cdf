// .dockerignore as the docker CLI reads it (moby/patternmatcher): one
// pattern a line, `#` comments, `!` exceptions where the last match wins,
// Go filepath.Match syntax plus `**`, and a pattern that matches a parent
// directory excludes everything below it.
#pragma once

#include <regex>
#include <string>
#include <string_view>
#include <vector>

namespace dockerfix::verify {

class DockerIgnore {
 public:
  DockerIgnore() = default;
  explicit DockerIgnore(std::string_view text);

  // `path` is relative to the context, with '/' separators.
  bool excluded(const std::string& path) const;
  // Whether a directory that is excluded may still hold an exception, so
  // the walk has to look inside it.
  bool may_reinclude_below(const std::string& dir) const;
  bool empty() const { return patterns_.empty(); }

 private:
  struct Pattern {
    std::string text;  // cleaned, without the '!'
    bool exception = false;
    std::regex regex;
    std::string suffix;  // "**foo" without wildcards after it: patternmatcher's suffix match
  };
  static bool match(const Pattern& p, const std::string& path);
  std::vector<Pattern> patterns_;
};

// filepath.Clean for '/'-separated relative paths ("a/./b/../c/" -> "a/c").
std::string clean_path(std::string_view path);

}  // namespace dockerfix::verify
