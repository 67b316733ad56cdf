// Inline pragmas: `# dockerfix ignore=rule-id[,rule-id]` on the line before
// an instruction silences those rules there; hadolint's
// `# hadolint ignore=DLxxxx` is honoured through the table below.
#include <algorithm>
#include <array>

#include "model/words.h"
#include "transforms/text.h"

namespace dockerfix::fix {

namespace {

struct HadolintRule {
  std::string_view code;
  std::string_view rule;
};
// hadolint codes whose meaning matches one of dockerfix's rules.
constexpr std::array<HadolintRule, 2> kHadolint{{
    {"DL3002", "nonroot-final-user"},  // Last USER should not be root
    {"DL3057", "healthcheck"},         // HEALTHCHECK instruction missing
}};

std::vector<std::string> split_list(std::string_view s) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i <= s.size()) {
    size_t comma = s.find(',', i);
    if (comma == std::string_view::npos) comma = s.size();
    auto item = s.substr(i, comma - i);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (!item.empty()) out.emplace_back(item);
    i = comma + 1;
  }
  return out;
}

// Rule ids a comment line switches off, or nothing.
std::vector<std::string> pragma_rules(std::string_view line) {
  while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
  if (line.empty() || line.front() != '#') return {};
  auto words = model::split_words(line.substr(1));
  std::vector<std::string> out;
  for (size_t i = 0; i + 1 < words.size(); ++i) {
    bool ours = words[i] == "dockerfix", hadolint = words[i] == "hadolint";
    if ((!ours && !hadolint) || words[i + 1].rfind("ignore=", 0) != 0) continue;
    for (auto& id : split_list(std::string_view(words[i + 1]).substr(7))) {
      if (ours) out.push_back(id);
      for (const auto& h : kHadolint)
        if (hadolint && h.code == id) out.emplace_back(h.rule);
    }
  }
  return out;
}

}  // namespace

void drop_ignored(const Dockerfile& f, std::vector<Finding>& findings) {
  findings.erase(std::remove_if(findings.begin(), findings.end(),
                                [&](const Finding& fd) {
                                  // The instruction holding the finding, and the line above it.
                                  auto it = std::upper_bound(f.instructions.begin(), f.instructions.end(), fd.span.begin,
                                                             [](uint32_t at, const Instruction& i) { return at < i.span.begin; });
                                  if (it == f.instructions.begin()) return false;
                                  const Instruction& ins = *(it - 1);
                                  int above = ins.start_line - 1;
                                  if (above < 1) return false;
                                  uint32_t b = f.line_starts[static_cast<size_t>(above - 1)];
                                  uint32_t e = f.line_starts[static_cast<size_t>(above)];
                                  auto ids = pragma_rules(f.text({b, e}));
                                  return std::find(ids.begin(), ids.end(), fd.rule) != ids.end();
                                }),
                 findings.end());
}

}  // namespace dockerfix::fix
