#include "model/expand.h"

namespace dockerfix::model {

namespace {
bool name_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }
}  // namespace

std::optional<std::string> expand(std::string_view s, const Vars& vars, char escape) {
  std::string out;
  bool unknown = false;
  char quote = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (quote == 0 && (c == '"' || c == '\'')) {
      quote = c;
      continue;
    }
    if (quote != 0 && c == quote) {
      quote = 0;
      continue;
    }
    if (c == escape && quote != '\'' && i + 1 < s.size()) {
      out += s[++i];
      continue;
    }
    if (c != '$' || quote == '\'' || i + 1 == s.size()) {
      out += c;
      continue;
    }
    std::string name, op, word;
    if (s[i + 1] == '{') {
      size_t close = s.find('}', i + 2);
      if (close == std::string_view::npos) return std::nullopt;
      std::string_view inner = s.substr(i + 2, close - i - 2);
      size_t n = 0;
      while (n < inner.size() && name_char(inner[n])) ++n;
      name = std::string(inner.substr(0, n));
      std::string_view rest = inner.substr(n);
      if (rest.substr(0, 2) == ":-" || rest.substr(0, 2) == ":+") {
        op = std::string(rest.substr(0, 2));
        word = std::string(rest.substr(2));
      } else if (!rest.empty() && (rest[0] == '-' || rest[0] == '+')) {
        op = std::string(rest.substr(0, 1));
        word = std::string(rest.substr(1));
      } else if (!rest.empty()) {
        return std::nullopt;  // patterns and replacements: not resolved here
      }
      i = close;
    } else {
      size_t n = i + 1;
      while (n < s.size() && name_char(s[n])) ++n;
      if (n == i + 1) {
        out += c;
        continue;
      }
      name = std::string(s.substr(i + 1, n - i - 1));
      i = n - 1;
    }
    auto it = vars.find(name);
    bool set = it != vars.end();
    bool nonempty = set && !it->second.empty();
    if (op == ":-") out += nonempty ? it->second : word;
    else if (op == "-") out += set ? it->second : word;
    else if (op == ":+") out += nonempty ? word : "";
    else if (op == "+") out += set ? word : "";
    else if (set) out += it->second;
    else unknown = true;
  }
  if (unknown) return std::nullopt;
  return out;
}

}  // namespace dockerfix::model
