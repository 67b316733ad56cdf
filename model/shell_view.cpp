// The query API rules use on RUN commands (dockerfix/model.h RunCommand).
#include <algorithm>

#include "dockerfix/model.h"
#include "model/words.h"

namespace dockerfix::model {

namespace {

bool is_short_cluster(const std::string& a) { return a.size() > 1 && a[0] == '-' && a[1] != '-'; }

// The letters of a short-option cluster up to the first non-letter (`-u1000` is -u).
std::string_view cluster_letters(const std::string& a) {
  size_t i = 1;
  while (i < a.size() && std::isalpha(static_cast<unsigned char>(a[i]))) ++i;
  return std::string_view(a).substr(1, i - 1);
}

}  // namespace

std::vector<std::string> RunCommand::argv() const {
  std::vector<std::string> out;
  if (program < words.size()) out.reserve(words.size() - program);
  for (size_t i = program; i < words.size(); ++i) out.push_back(words[i].value);
  return out;
}

bool RunCommand::has_flag(std::string_view flag) const {
  for (size_t i = program + 1; i < words.size(); ++i) {
    const std::string& a = words[i].value;
    if (a == "--") return false;
    if (a == flag) return true;
    if (flag.starts_with("--")) {
      if (a.size() > flag.size() && a.starts_with(flag) && a[flag.size()] == '=') return true;
    } else if (flag.size() == 2 && flag[0] == '-' && is_short_cluster(a)) {
      if (cluster_letters(a).find(flag[1]) != std::string_view::npos) return true;
    }
  }
  return false;
}

bool RunCommand::has_any_flag(std::initializer_list<std::string_view> flags) const {
  return std::any_of(flags.begin(), flags.end(), [&](std::string_view f) { return has_flag(f); });
}

std::optional<std::string> RunCommand::flag_value(std::string_view flag) const {
  for (size_t i = program + 1; i < words.size(); ++i) {
    const std::string& a = words[i].value;
    if (a == "--") break;
    if (a == flag) return i + 1 < words.size() ? std::optional(words[i + 1].value) : std::nullopt;
    if (flag.starts_with("--") && a.size() > flag.size() && a.starts_with(flag) && a[flag.size()] == '=')
      return a.substr(flag.size() + 1);
    if (flag.size() == 2 && is_short_cluster(a) && a[1] == flag[1] && a.size() > 2) return a.substr(2);
  }
  return std::nullopt;
}

std::vector<const ShellWord*> RunCommand::operands(std::initializer_list<std::string_view> with_value) const {
  std::vector<const ShellWord*> out;
  bool options_done = false;
  for (size_t i = program + 1; i < words.size(); ++i) {
    const std::string& a = words[i].value;
    if (!options_done && a == "--") {
      options_done = true;
      continue;
    }
    if (!options_done && a.size() > 1 && a[0] == '-') {
      // `-s VALUE`, or a cluster ending in it (`-ms VALUE`).
      auto letters = is_short_cluster(a) ? cluster_letters(a) : std::string_view();
      bool ends_in_value = letters.size() > 1 && letters.size() + 1 == a.size() &&
                           std::find(with_value.begin(), with_value.end(), "-" + std::string(1, letters.back())) !=
                               with_value.end();
      if (ends_in_value || std::find(with_value.begin(), with_value.end(), a) != with_value.end()) ++i;
      continue;
    }
    out.push_back(&words[i]);
  }
  return out;
}

std::optional<std::string> RunCommand::subcommand() const {
  auto ops = operands();
  if (ops.empty()) return std::nullopt;
  return ops.front()->value;
}

Span RunCommand::insert_after(size_t i) const {
  const ShellWord& w = words[std::min(program + i, words.size() - 1)];
  return {w.span.end, w.span.end};
}

}  // namespace dockerfix::model
