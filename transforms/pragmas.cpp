#include "transforms/pragmas.h"

#include <algorithm>

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
  // Most comments are no pragma: a pragma needs a word starting `ignore=`.
  if (line.find("ignore=") == std::string_view::npos) return {};
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

// The ids the comment on the line above `ins` ignores.
std::vector<std::string_view> ignores_above(const Dockerfile& f, const Instruction& ins,
                                            std::span<const RuleInfo* const> rules) {
  int above = ins.start_line - 1;
  if (above < 1) return {};
  uint32_t b = f.line_starts[static_cast<size_t>(above - 1)];
  uint32_t e = f.line_starts[static_cast<size_t>(above)];
  std::string_view line = f.text({b, e});
  // Mostly the line above is an instruction's: only a comment can be a pragma.
  if (size_t lead = line.find_first_not_of(" \t"); lead == std::string_view::npos || line[lead] != '#') return {};
  return pragma_rules(line, rules);
}

template <class T>
bool contains(const std::vector<T>& v, const auto& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
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

bool regex_space(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }  // \t \n \v \f \r
bool ascii_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool ascii_alnum(char c) { return ascii_alpha(c) || (c >= '0' && c <= '9'); }
bool line_break(char c) { return c == '\n' || c == '\r'; }  // what std::regex's `.` does not match

// BuildKit's WithMergedConfigFromComments: the first comment above the
// instruction that is a `check=` directive, when it parses.
std::optional<CheckConfig> check_comment(const Dockerfile& f, size_t instruction) {
  for (const auto& c : buildkit::prev_comments(f, instruction)) {
    auto setting = comment_setting(c);
    if (!setting || setting->name.size() != 5) continue;
    std::string name(setting->name);
    for (char& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    if (name != "check") continue;
    return parse_check(setting->value);
  }
  return std::nullopt;
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


std::optional<CommentSetting> comment_setting(std::string_view c) {
  // The name and the `=` are found without backtracking: name characters,
  // spaces and `=` are disjoint.
  if (c.empty() || !ascii_alpha(c[0])) return std::nullopt;
  size_t i = 1;
  while (i < c.size() && ascii_alnum(c[i])) ++i;
  const std::string_view name = c.substr(0, i);
  while (i < c.size() && regex_space(c[i])) ++i;
  if (i == c.size() || c[i] != '=') return std::nullopt;
  const std::string_view rest = c.substr(i + 1);
  size_t s = 0, t = rest.size();
  while (s < t && regex_space(rest[s])) ++s;
  while (t > s && regex_space(rest[t - 1])) --t;
  if (s < t) {
    // Spaces on either side go to the `\s*`s; a line break inside fails `.`.
    std::string_view value = rest.substr(s, t - s);
    if (std::any_of(value.begin(), value.end(), line_break)) return std::nullopt;
    return CommentSetting{name, value};
  }
  // Only spaces: `.+?` takes one, the last the leading `\s*` can give back.
  for (size_t k = rest.size(); k-- > 0;)
    if (!line_break(rest[k])) return CommentSetting{name, rest.substr(k, 1)};
  return std::nullopt;
}

PragmaIndex::PragmaIndex(const Dockerfile& f, std::span<const RuleInfo* const> rules,
                         const std::map<std::string, std::string>& build_args)
    : f_(f), rules_(rules), file_(resolve(file_config(f, build_args))), global_(global_pragmas(f, rules)) {
  above_.reserve(f.instructions.size());
  for (const auto& ins : f.instructions) above_.push_back(ignores_above(f, ins, rules));
}

PragmaIndex::Resolved PragmaIndex::resolve(CheckConfig c) const {
  Resolved out;
  for (const auto& n : c.skip) out.skip.push_back(resolve_rule(n, rules_));
  for (const auto& n : c.experimental) out.experimental.push_back(resolve_rule(n, rules_));
  out.config = std::move(c);
  return out;
}

const std::optional<PragmaIndex::Resolved>& PragmaIndex::comment_config(size_t instruction) {
  if (auto it = comment_.find(instruction); it != comment_.end()) return it->second;
  auto c = check_comment(f_, instruction);
  return comment_.emplace(instruction, c ? std::optional<Resolved>(resolve(std::move(*c))) : std::nullopt).first->second;
}

// Whether a `# dockerfix ignore=` / `# hadolint ignore=` comment switches
// the finding off: a global one anywhere in the file, or one on the line
// above the instruction holding the finding, or above the one whose
// `# check=` comments apply where that is another (an overridden CMD is
// reported at itself, hadolint's DL4003 at the CMD that overrides it: an
// ignore above either works).
bool PragmaIndex::ignored_by_comment(const Finding& fd) const {
  if (contains(global_, fd.rule)) return true;
  const auto& ins = f_.instructions;
  auto it = std::upper_bound(ins.begin(), ins.end(), fd.span.begin,
                             [](uint32_t at, const Instruction& i) { return at < i.span.begin; });
  if (it != ins.begin() && contains(above_[static_cast<size_t>(it - ins.begin()) - 1], fd.rule)) return true;
  return fd.check_comments_of && *fd.check_comments_of < ins.size() && contains(above_[*fd.check_comments_of], fd.rule);
}

void PragmaIndex::apply(std::vector<Finding>& findings, const RuleInfo& rule, bool off_by_default) {
  const bool file_skips = file_.config.skip_all || contains(file_.skip, &rule);
  const bool file_enables = file_.config.experimental_all || contains(file_.experimental, &rule);
  const bool raised = file_.config.error && buildkit_name(rule).has_value();
  auto dropped = [&](const Finding& fd) {
    if (file_skips) return true;
    if (fd.check_comments_of) {
      const auto& c = comment_config(*fd.check_comments_of);
      if (c && (c->config.skip_all || contains(c->skip, &rule))) return true;
      if (off_by_default && !file_enables && !(c && (c->config.experimental_all || contains(c->experimental, &rule))))
        return true;
    } else if (off_by_default && !file_enables) {
      return true;
    }
    return ignored_by_comment(fd);
  };
  findings.erase(std::remove_if(findings.begin(), findings.end(), dropped), findings.end());
  for (auto& fd : findings) fd.severity = raised ? Severity::Error : rule.severity;
}

void PragmaIndex::drop_ignored(std::vector<Finding>& findings) const {
  auto dropped = [&](const Finding& fd) { return contains(file_.config.skip, fd.rule) || ignored_by_comment(fd); };
  findings.erase(std::remove_if(findings.begin(), findings.end(), dropped), findings.end());
}

void drop_ignored(const Dockerfile& f, std::vector<Finding>& findings, std::span<const RuleInfo* const> rules,
                  const std::map<std::string, std::string>& build_args) {
  PragmaIndex(f, rules, build_args).drop_ignored(findings);
}

}  // namespace dockerfix::fix
