#include "dockerfix/values.h"
#include "transforms/rule_support.h"

namespace dockerfix::fix {

namespace {

bool plain(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '@' ||
         c == '%' || c == '+' || c == '=' || c == ':' || c == ',' || c == '.' || c == '/' || c == '-';
}

bool name_char(char c, bool first) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (!first && c >= '0' && c <= '9');
}

}  // namespace

std::string shell_word(std::string_view word) {
  if (!word.empty() && std::all_of(word.begin(), word.end(), plain)) return std::string(word);
  std::string out = "'";
  for (char c : word) {
    if (c == '\'') out += "'\\''";
    else out += c;
  }
  return out + "'";
}

std::optional<std::string> shell_word_expanding(std::string_view text) {
  if (text.empty()) return std::nullopt;
  std::string out = "\"";
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '$') {
      bool braced = i + 1 < text.size() && text[i + 1] == '{';
      size_t n = i + (braced ? 2 : 1);
      size_t start = n;
      while (n < text.size() && name_char(text[n], n == start)) ++n;
      if (n == start) return std::nullopt;
      if (braced) {
        if (n >= text.size() || text[n] != '}') return std::nullopt;
        ++n;
      }
      out.append(text.substr(i, n - i));
      i = n - 1;
    } else if (c == '"' || c == '\\' || c == '`' || c == '\n' || c == '\r') {
      return std::nullopt;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

bool plain_user_spec(std::string_view spec) {
  if (spec.empty() || spec.front() == '-' || std::count(spec.begin(), spec.end(), ':') > 1) return false;
  return std::all_of(spec.begin(), spec.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
           c == '-' || c == ':';
  });
}

bool refuse_option(Finding& f, const std::string& problem) {
  if (problem.empty()) return false;
  f.fix.clear();
  f.no_fix_reason = "the configured " + problem;
  return true;
}

}  // namespace dockerfix::fix
