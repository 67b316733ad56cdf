#include "transforms/pragmas.h"

#include <algorithm>

#include "model/words.h"

namespace dockerfix::fix {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> split_list(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i <= s.size()) {
    size_t at = s.find(sep, i);
    if (at == std::string_view::npos) at = s.size();
    if (auto item = trim(s.substr(i, at - i)); !item.empty()) out.push_back(item);
    i = at + 1;
  }
  return out;
}

// The ids of the rules `names` (ids or aliases) name; unknown names are
// another tool's business and are left alone.
// shellcheck's codes (SC2086) name findings of their own and are kept as written.
void add_ids(std::string_view names, std::span<const RuleInfo* const> rules, std::vector<std::string_view>& ids) {
  for (auto name : split_list(names, ',')) {
    if (const RuleInfo* r = resolve_rule(name, rules)) ids.push_back(r->id);
    else if (name.size() == 6 && name.starts_with("SC")) ids.push_back(name);
  }
}

// Rule ids a comment line switches off, or nothing: `# hadolint ignore=A,B`
// (the next instruction), or with `global` (`# hadolint global ignore=A`,
// the whole file) when `global` is true. Names point into `line`.
std::vector<std::string_view> pragma_rules(std::string_view line, std::span<const RuleInfo* const> rules, bool global = false) {
  line = trim(line);
  if (line.empty() || line.front() != '#') return {};
  line.remove_prefix(1);
  std::vector<std::string_view> out;
  // Words as views of `line`, so the names found outlive this call.
  std::vector<std::string_view> words;
  for (size_t i = 0; i < line.size();) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    size_t j = i;
    while (j < line.size() && line[j] != ' ' && line[j] != '\t') ++j;
    if (j > i) words.push_back(line.substr(i, j - i));
    i = j;
  }
  for (size_t i = 0; i + 1 < words.size(); ++i) {
    if (words[i] != "dockerfix" && words[i] != "hadolint") continue;
    size_t at = i + 1;
    if (words[at] == "global") {
      if (!global || at + 1 >= words.size()) continue;
      ++at;
    } else if (global) {
      continue;
    }
    if (!words[at].starts_with("ignore=")) continue;
    add_ids(words[at].substr(7), rules, out);
  }
  return out;
}

std::vector<std::string_view> global_pragmas(const Dockerfile& f, std::span<const RuleInfo* const> rules) {
  std::vector<std::string_view> out;
  for (const auto& t : f.tokens)
    if (t.kind == TokenKind::Comment)
      for (auto id : pragma_rules(f.text(t.span), rules, true)) out.push_back(id);
  return out;
}

// `# check=skip=A,B;error=true`: the rules skipped for the whole file;
// `skip=all` skips every rule.
std::vector<std::string_view> skipped_by_directive(const Dockerfile& f, std::span<const RuleInfo* const> rules) {
  std::vector<std::string_view> out;
  for (const auto& d : f.directives) {
    if (d.name != "check") continue;
    for (auto part : split_list(d.value, ';')) {
      auto eq = part.find('=');
      if (eq == std::string_view::npos || trim(part.substr(0, eq)) != "skip") continue;
      auto value = trim(part.substr(eq + 1));
      if (value == "all") {
        for (const RuleInfo* r : rules) out.push_back(r->id);
      } else {
        add_ids(value, rules, out);
      }
    }
  }
  return out;
}

}  // namespace

void drop_ignored(const Dockerfile& f, std::vector<Finding>& findings, std::span<const RuleInfo* const> rules) {
  auto skipped = skipped_by_directive(f, rules);
  for (auto id : global_pragmas(f, rules)) skipped.push_back(id);
  auto listed = [](const std::vector<std::string_view>& ids, const std::string& id) {
    return std::find(ids.begin(), ids.end(), id) != ids.end();
  };
  findings.erase(std::remove_if(findings.begin(), findings.end(),
                                [&](const Finding& fd) {
                                  if (listed(skipped, fd.rule)) return true;
                                  // The instruction holding the finding, and the line above it.
                                  auto it = std::upper_bound(f.instructions.begin(), f.instructions.end(), fd.span.begin,
                                                             [](uint32_t at, const Instruction& i) { return at < i.span.begin; });
                                  if (it == f.instructions.begin()) return false;
                                  const Instruction& ins = *(it - 1);
                                  int above = ins.start_line - 1;
                                  if (above < 1) return false;
                                  uint32_t b = f.line_starts[static_cast<size_t>(above - 1)];
                                  uint32_t e = f.line_starts[static_cast<size_t>(above)];
                                  return listed(pragma_rules(f.text({b, e}), rules), fd.rule);
                                }),
                 findings.end());
}

}  // namespace dockerfix::fix
