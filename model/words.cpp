#include "model/words.h"

#include <cctype>
#include <filesystem>

namespace dockerfix::model {

std::string base_name(std::string_view s) {
  auto slash = s.rfind('/');
  return std::string(slash == std::string_view::npos ? s : s.substr(slash + 1));
}

std::string unquote(std::string_view s) {
  if (s.size() >= 2 && (s.front() == '"' || s.front() == '\'') && s.back() == s.front()) s = s.substr(1, s.size() - 2);
  return std::string(s);
}

std::vector<std::string> split_words(std::string_view s) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
    size_t b = i;
    while (i < s.size() && !std::isspace(static_cast<unsigned char>(s[i]))) ++i;
    if (i > b) out.emplace_back(s.substr(b, i - b));
  }
  return out;
}

std::string resolve_path(const std::string& workdir, const std::string& p) {
  std::string full = !p.empty() && p[0] == '/' ? p : (workdir.empty() ? std::string("/") : workdir) + "/" + p;
  std::string s = std::filesystem::path(full).lexically_normal().generic_string();
  if (s.size() > 1 && s.back() == '/') s.pop_back();
  return s.empty() ? "/" : s;
}

}  // namespace dockerfix::model
