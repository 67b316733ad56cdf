#include "transforms/pragmas.h"

#include <algorithm>
#include <regex>

#include "model/words.h"
#include "transforms/buildkit_support.h"

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

bool listed(std::span<const std::string> names, const RuleInfo& rule, std::span<const RuleInfo* const> rules) {
  return std::any_of(names.begin(), names.end(), [&](const std::string& n) { return resolve_rule(n, rules) == &rule; });
}

// Go's strconv.ParseBool.
std::optional<bool> parse_bool(std::string_view v) {
  for (auto t : {"1", "t", "T", "TRUE", "true", "True"})
    if (v == t) return true;
  for (auto f : {"0", "f", "F", "FALSE", "false", "False"})
    if (v == f) return false;
  return std::nullopt;
}

std::vector<std::string> names_of(std::string_view list) {
  std::vector<std::string> out;
  for (size_t i = 0;;) {
    size_t at = list.find(',', i);
    out.emplace_back(trim(list.substr(i, at == std::string_view::npos ? std::string_view::npos : at - i)));
    if (at == std::string_view::npos) break;
    i = at + 1;
  }
  return out;
}

// The check configuration of the whole file: BUILDKIT_DOCKERFILE_CHECK
// when given (it replaces the directive), else the `check` directive.
CheckConfig file_config(const Dockerfile& f, const std::map<std::string, std::string>& build_args) {
  std::optional<std::string_view> value;
  if (auto it = build_args.find("BUILDKIT_DOCKERFILE_CHECK"); it != build_args.end()) value = it->second;
  else
    for (const auto& d : f.directives)
      if (d.name == "check") {
        value = d.value;
        break;
      }
  if (!value) return {};
  return parse_check(*value).value_or(CheckConfig{});
}

// BuildKit's WithMergedConfigFromComments: the first comment above the
// instruction that is a `check=` directive, when it parses.
std::optional<CheckConfig> comment_config(const Dockerfile& f, size_t instruction) {
  static const std::regex directive(R"(^([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$)");
  for (const auto& c : buildkit::prev_comments(f, instruction)) {
    std::smatch m;
    if (!std::regex_match(c, m, directive)) continue;
    std::string name = m[1].str();
    for (char& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    if (name != "check") continue;
    return parse_check(m[2].str());
  }
  return std::nullopt;
}

// Whether a `# dockerfix ignore=` / `# hadolint ignore=` comment switches
// the finding off: a global one anywhere in the file, or one on the line
// above the instruction holding the finding, or above the one whose
// `# check=` comments apply where that is another (an overridden CMD is
// reported at itself, hadolint's DL4003 at the CMD that overrides it: an
// ignore above either works).
bool ignored_by_comment(const Dockerfile& f, const Finding& fd, std::span<const RuleInfo* const> rules,
                        const std::vector<std::string_view>& global) {
  if (std::find(global.begin(), global.end(), fd.rule) != global.end()) return true;
  auto ignored_above = [&](const Instruction& ins) {
    int above = ins.start_line - 1;
    if (above < 1) return false;
    uint32_t b = f.line_starts[static_cast<size_t>(above - 1)];
    uint32_t e = f.line_starts[static_cast<size_t>(above)];
    auto ids = pragma_rules(f.text({b, e}), rules);
    return std::find(ids.begin(), ids.end(), fd.rule) != ids.end();
  };
  auto it = std::upper_bound(f.instructions.begin(), f.instructions.end(), fd.span.begin,
                             [](uint32_t at, const Instruction& i) { return at < i.span.begin; });
  if (it != f.instructions.begin() && ignored_above(*(it - 1))) return true;
  return fd.check_comments_of && *fd.check_comments_of < f.instructions.size() &&
         ignored_above(f.instructions[*fd.check_comments_of]);
}

}  // namespace

std::optional<CheckConfig> parse_check(std::string_view value) {
  value = value.substr(0, value.find(' '));
  value = trim(value);
  CheckConfig out;
  if (value.empty()) return out;
  // strings.SplitN(s, ";", 3): a third part keeps any further `;`.
  std::vector<std::string_view> parts;
  for (size_t i = 0;;) {
    size_t at = parts.size() == 2 ? std::string_view::npos : value.find(';', i);
    parts.push_back(value.substr(i, at == std::string_view::npos ? std::string_view::npos : at - i));
    if (at == std::string_view::npos) break;
    i = at + 1;
  }
  for (auto part : parts) {
    auto eq = part.find('=');
    if (eq == std::string_view::npos) return std::nullopt;
    auto key = trim(part.substr(0, eq));
    auto v = trim(part.substr(eq + 1));
    if (key == "skip") {
      if (v == "all") out.skip_all = true;
      else out.skip = names_of(v);
    } else if (key == "experimental") {
      if (v == "all") out.experimental_all = true;
      else out.experimental = names_of(v);
    } else if (key == "error") {
      auto b = parse_bool(v);
      if (!b) return std::nullopt;
      out.error = *b;
    } else {
      return std::nullopt;
    }
  }
  return out;
}


void apply_pragmas(const Dockerfile& f, std::vector<Finding>& findings, std::span<const RuleInfo* const> rules,
                   const RuleInfo& rule, const std::map<std::string, std::string>& build_args, bool off_by_default) {
  const CheckConfig file = file_config(f, build_args);
  const bool file_skips = file.skip_all || listed(file.skip, rule, rules);
  const bool file_enables = file.experimental_all || listed(file.experimental, rule, rules);
  const bool raised = file.error && buildkit_name(rule).has_value();
  const auto global = global_pragmas(f, rules);
  auto dropped = [&](const Finding& fd) {
    if (file_skips) return true;
    if (fd.check_comments_of) {
      auto c = comment_config(f, *fd.check_comments_of);
      if (c && (c->skip_all || listed(c->skip, rule, rules))) return true;
      if (off_by_default && !file_enables && !(c && (c->experimental_all || listed(c->experimental, rule, rules))))
        return true;
    } else if (off_by_default && !file_enables) {
      return true;
    }
    return ignored_by_comment(f, fd, rules, global);
  };
  findings.erase(std::remove_if(findings.begin(), findings.end(), dropped), findings.end());
  for (auto& fd : findings) fd.severity = raised ? Severity::Error : rule.severity;
}

void drop_ignored(const Dockerfile& f, std::vector<Finding>& findings, std::span<const RuleInfo* const> rules,
                  const std::map<std::string, std::string>& build_args) {
  const CheckConfig file = file_config(f, build_args);
  const auto global = global_pragmas(f, rules);
  auto dropped = [&](const Finding& fd) {
    for (const auto& name : file.skip)
      if (name == fd.rule) return true;
    return ignored_by_comment(f, fd, rules, global);
  };
  findings.erase(std::remove_if(findings.begin(), findings.end(), dropped), findings.end());
}

}  // namespace dockerfix::fix
