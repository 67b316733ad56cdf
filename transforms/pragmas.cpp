#include "transforms/pragmas.h"

#include <algorithm>

#include "model/words.h"

namespace dockerfix::fix {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
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
void add_ids(std::string_view names, std::span<const RuleInfo* const> rules, std::vector<std::string_view>& ids) {
  for (auto name : split_list(names, ','))
    if (const RuleInfo* r = resolve_rule(name, rules)) ids.push_back(r->id);
}

// Rule ids a comment line switches off, or nothing.
std::vector<std::string_view> pragma_rules(std::string_view line, std::span<const RuleInfo* const> rules) {
  line = trim(line);
  if (line.empty() || line.front() != '#') return {};
  auto words = model::split_words(line.substr(1));
  std::vector<std::string_view> out;
  for (size_t i = 0; i + 1 < words.size(); ++i) {
    if ((words[i] != "dockerfix" && words[i] != "hadolint") || words[i + 1].rfind("ignore=", 0) != 0) continue;
    add_ids(std::string_view(words[i + 1]).substr(7), rules, out);
  }
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
  const auto skipped = skipped_by_directive(f, rules);
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
