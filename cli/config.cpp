#include "cli/config.h"

#include <fnmatch.h>

#include <cstdlib>

#include <algorithm>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "dockerfix/fix.h"
#include "dockerfix/rule_info.h"
#include "dockerfix/values.h"

namespace dockerfix::cli {
namespace fs = std::filesystem;

namespace {

class Reader {
 public:
  explicit Reader(std::string origin) : origin_(std::move(origin)) {}

  [[noreturn]] void fail(const YAML::Node& at, const std::string& what) const {
    throw ConfigError(fmt::format("{}:{}: {}", origin_, at.Mark().line + 1, what));
  }

  // Every key of `map` must be one of `known`; the error names the first
  // that is not, and lists what would have been accepted.
  void check_keys(const YAML::Node& map, const std::string& where, const std::vector<std::string>& known) const {
    if (!map.IsMap()) fail(map, fmt::format("{} must be a map", where));
    std::map<std::string, int> seen;  // key -> line
    for (const auto& kv : map) {
      auto key = kv.first.as<std::string>();
      if (std::find(known.begin(), known.end(), key) == known.end())
        fail(kv.first, fmt::format("unknown key '{}' in {} (known: {})", key, where, fmt::join(known, ", ")));
      // YAML parsers keep one of two equal keys silently; which one won
      // would be a guess.
      if (auto [it, fresh] = seen.emplace(key, kv.first.Mark().line + 1); !fresh)
        fail(kv.first, fmt::format("'{}' is given twice in {} (also on line {})", key, where, it->second));
    }
  }

  template <class T>
  T value(const YAML::Node& n, const std::string& key, const char* expected) const {
    if (!n.IsScalar()) fail(n, fmt::format("'{}' must be {}", key, expected));
    try {
      return n.as<T>();
    } catch (const YAML::Exception&) {
      fail(n, fmt::format("'{}' must be {}, not '{}'", key, expected, n.Scalar()));
    }
  }

  template <class T>
  void set(std::optional<T>& slot, const YAML::Node& n, const std::string& key, const char* expected) const {
    assign(slot, value<T>(n, key, expected), n, key);
  }

  template <class T, class U>
  void assign(std::optional<T>& slot, const U& v, const YAML::Node& n, const std::string& key) const {
    // uid and friends are shared by several rules: two different values
    // under two rules would make one of them silently lose.
    if (slot && *slot != static_cast<T>(v)) fail(n, fmt::format("'{}' is set twice with different values", key));
    slot = static_cast<T>(v);
  }

  // A value that is written into Dockerfiles: refused unless `problem`
  // (from dockerfix/values.h) is empty. "FILE:LINE: rules.R.KEY: why".
  void check(const YAML::Node& n, const std::string& path, const std::string& problem) const {
    if (!problem.empty()) fail(n, fmt::format("{}: {}", path, problem));
  }

 private:
  std::string origin_;
};

// One reader for every rule's options, from the rule table: a scalar turns
// the rule on or off; a map may hold `enabled` and the rule's options, each
// read as its type and checked as the flags are (dockerfix/rule_info.h).
void read_rule(const Reader& r, const fix::RuleInfo& rule, const YAML::Node& n, Config& c) {
  const std::string id(rule.id);
  auto enable = [&](bool on) { (on ? c.enabled : c.disabled).push_back(id); };
  if (n.IsScalar()) {
    enable(r.value<bool>(n, id, "on, off or a map of options"));
    return;
  }
  std::vector<std::string> keys{"enabled"};
  for (const auto& o : rule.options) keys.emplace_back(o.name);
  r.check_keys(n, "rules." + id, keys);
  for (const auto& kv : n) {
    auto key = kv.first.as<std::string>();
    const YAML::Node& v = kv.second;
    if (key == "enabled") {
      enable(r.value<bool>(v, key, "true or false"));
      continue;
    }
    const fix::RuleOption& option = *fix::find_option(rule, key);
    const std::string expected(option.expected);
    std::string text;
    switch (option.type) {
      case fix::OptionType::Count:
      case fix::OptionType::Id: text = std::to_string(r.value<long long>(v, key, expected.c_str())); break;
      case fix::OptionType::Bool: text = r.value<bool>(v, key, expected.c_str()) ? "true" : "false"; break;
      default: text = r.value<std::string>(v, key, expected.c_str());
    }
    r.check(v, "rules." + id + "." + key, fix::option_problem(option, text));
    // user, uid and gid are shared by several rules: two different values
    // under two rules would make one of them silently lose.
    const std::string setting(option.setting);
    auto [it, fresh] = c.settings.emplace(setting, Config::Value{text, v.Mark().line + 1});
    if (!fresh && it->second.text != text) r.fail(v, fmt::format("'{}' is set twice with different values", key));
  }
}

std::vector<std::string> rule_ids() {
  std::vector<std::string> ids;
  for (const fix::RuleInfo* rule : fix::rule_table()) ids.emplace_back(rule->id);
  return ids;
}

const std::vector<std::string> kLabelTypes{"text", "url", "semver", "hash", "rfc3339", "spdx", "email"};
const std::vector<std::string> kThresholds{"error", "warning", "info", "style", "ignore", "none"};

// A string, or a list of them (hadolint accepts both for trustedRegistries).
std::vector<std::string> strings(const Reader& r, const YAML::Node& n, const std::string& key) {
  std::vector<std::string> out;
  if (n.IsNull()) return out;
  if (n.IsScalar()) return {n.Scalar()};
  if (!n.IsSequence()) r.fail(n, fmt::format("'{}' must be a list", key));
  for (const auto& v : n) out.push_back(r.value<std::string>(v, key, "a string"));
  return out;
}

void read_label_schema(const Reader& r, const YAML::Node& n, Config& c) {
  if (n.IsNull()) return;
  if (!n.IsMap()) r.fail(n, "'label-schema' must be a map of label names to types");
  for (const auto& kv : n) {
    auto type = r.value<std::string>(kv.second, "label-schema", "a label type");
    if (std::find(kLabelTypes.begin(), kLabelTypes.end(), type) == kLabelTypes.end())
      r.fail(kv.second, fmt::format("label-schema: '{}' is not a label type (known: {})", type, fmt::join(kLabelTypes, ", ")));
    c.label_schema[kv.first.as<std::string>()] = type;
  }
}

void read_threshold(const Reader& r, const YAML::Node& n, Config& c) {
  auto v = r.value<std::string>(n, "failure-threshold", "a severity");
  if (std::find(kThresholds.begin(), kThresholds.end(), v) == kThresholds.end())
    r.fail(n, fmt::format("failure-threshold: '{}' is not one of {}", v, fmt::join(kThresholds, ", ")));
  c.failure_threshold = v == "ignore" ? "none" : v;
}

// A rule name as the config gives it: its id when a rule has it, else as written.
std::string rule_name(std::string_view name) {
  const fix::RuleInfo* rule = fix::resolve_rule(name);
  return rule ? std::string(rule->id) : std::string(name);
}

}  // namespace

std::optional<fs::path> find_config(const fs::path& start) {
  std::error_code ec;
  fs::path dir = fs::absolute(start, ec);
  for (;;) {
    fs::path candidate = dir / ".dockerfix.yaml";
    if (fs::is_regular_file(candidate, ec)) return candidate;
    if (!dir.has_parent_path() || dir.parent_path() == dir) return std::nullopt;
    dir = dir.parent_path();
  }
}

Config load_config(const fs::path& file) {
  const std::string origin = file.string();
  std::ifstream in(file, std::ios::binary);
  if (!in) throw ConfigError(origin + ": cannot read the config file");
  std::stringstream ss;
  ss << in.rdbuf();
  std::error_code ec;
  fs::path dir = fs::weakly_canonical(fs::absolute(file), ec).parent_path();
  if (file.filename().string().find("hadolint") != std::string::npos ||
      fs::absolute(file, ec).parent_path().filename().string().find("hadolint") != std::string::npos)
    return parse_hadolint_config(ss.str(), origin, dir);
  return parse_config(ss.str(), origin, dir);
}

Config parse_config(const std::string& text, const std::string& origin, const fs::path& dir) {
  Config c;
  c.file = origin;
  c.root = dir;
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    throw ConfigError(fmt::format("{}:{}: {}", origin, e.mark.line + 1, e.msg));
  }
  if (!root || root.IsNull()) return c;  // an empty file is a valid config
  Reader r(origin);
  r.check_keys(root, "the config",
               {"rules", "max-size", "ignore", "images", "trusted-registries", "label-schema", "strict-labels", "severity",
                "failure-threshold", "no-fail", "shellcheck", "cache", "kubernetes"});
  if (auto n = root["trusted-registries"]) c.trusted_registries = strings(r, n, "trusted-registries");
  if (auto n = root["label-schema"]) read_label_schema(r, n, c);
  if (auto n = root["strict-labels"]) c.strict_labels = r.value<bool>(n, "strict-labels", "true or false");
  if (auto n = root["no-fail"]) c.no_fail = r.value<bool>(n, "no-fail", "true or false");
  if (auto n = root["shellcheck"]) c.shellcheck = r.value<bool>(n, "shellcheck", "true or false");
  if (auto n = root["cache"]) c.cache = r.value<bool>(n, "cache", "true or false");
  if (auto n = root["failure-threshold"]) read_threshold(r, n, c);
  if (auto n = root["severity"]) {
    if (!n.IsMap()) r.fail(n, "'severity' must be a map of rules to error, warning, info or style");
    for (const auto& kv : n) {
      auto level = fix::parse_severity(r.value<std::string>(kv.second, "severity", "error, warning, info or style"));
      if (!level) r.fail(kv.second, "severity: '" + kv.second.Scalar() + "' is not error, warning, info or style");
      c.severity[rule_name(kv.first.as<std::string>())] = *level;
    }
  }
  if (auto rules = root["rules"]) {
    // A rule is named by its id or any alias; an error lists the ids.
    if (!rules.IsMap()) r.fail(rules, "rules must be a map");
    std::map<std::string, int> seen;  // rule id -> line
    for (const auto& kv : rules) {
      auto key = kv.first.as<std::string>();
      const fix::RuleInfo* rule = fix::resolve_rule(key);
      if (!rule)
        r.fail(kv.first, fmt::format("unknown key '{}' in rules (known: {})", key, fmt::join(rule_ids(), ", ")));
      if (auto [it, fresh] = seen.emplace(std::string(rule->id), kv.first.Mark().line + 1); !fresh)
        r.fail(kv.first, fmt::format("'{}' is given twice in rules (also on line {})", key, it->second));
      read_rule(r, *rule, kv.second, c);
    }
  }
  if (auto n = root["max-size"]) r.set(c.max_size, n, "max-size", "a number of bytes");
  if (auto n = root["ignore"]) {
    if (n.IsScalar()) n = YAML::Node(std::vector<std::string>{n.Scalar()});
    if (!n.IsSequence()) r.fail(n, "'ignore' must be a list of path patterns");
    for (const auto& p : n) c.ignore.push_back(r.value<std::string>(p, "ignore", "a path pattern"));
  }
  if (auto n = root["kubernetes"]) {
    try {
      c.kubernetes = k8s::parse_config(n, origin);
    } catch (const std::runtime_error& e) {
      throw ConfigError(e.what());
    }
  }
  if (root["images"]) {
    try {
      c.images = model::KnowledgeBase::from_yaml(text, origin);
    } catch (const std::runtime_error& e) {
      throw ConfigError(e.what());
    }
  }
  return c;
}


Config parse_hadolint_config(const std::string& text, const std::string& origin, const fs::path& dir) {
  Config c;
  c.file = origin;
  c.root = dir;
  c.hadolint = true;
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    throw ConfigError(fmt::format("{}:{}: {}", origin, e.mark.line + 1, e.msg));
  }
  if (!root || root.IsNull()) return c;
  Reader r(origin);
  if (!root.IsMap()) r.fail(root, "the config must be a map");
  auto warn = [&](const YAML::Node& at, const std::string& what) {
    c.warnings.push_back(fmt::format("{}:{}: {}", origin, at.Mark().line + 1, what));
  };
  for (const auto& kv : root) {
    const auto key = kv.first.as<std::string>();
    const YAML::Node& v = kv.second;
    if (key == "ignored") {
      for (const auto& name : strings(r, v, key)) {
        if (const fix::RuleInfo* rule = fix::resolve_rule(name)) c.disabled.emplace_back(rule->id);
        else c.ignored_names.push_back(name);
      }
    } else if (key == "override") {
      if (v.IsNull()) continue;
      if (!v.IsMap()) r.fail(v, "'override' must be a map of error, warning, info and style to rule lists");
      for (const auto& level : v) {
        auto sev = fix::parse_severity(level.first.as<std::string>());
        if (!sev) r.fail(level.first, "override: '" + level.first.as<std::string>() + "' is not error, warning, info or style");
        for (const auto& name : strings(r, level.second, "override")) c.severity[rule_name(name)] = *sev;
      }
    } else if (key == "failure-threshold") {
      read_threshold(r, v, c);
    } else if (key == "trustedRegistries") {
      c.trusted_registries = strings(r, v, key);
    } else if (key == "label-schema") {
      read_label_schema(r, v, c);
    } else if (key == "strict-labels") {
      c.strict_labels = r.value<bool>(v, key, "true or false");
    } else if (key == "no-fail") {
      c.no_fail = r.value<bool>(v, key, "true or false");
    } else if (key == "format") {
      auto f = r.value<std::string>(v, key, "an output format");
      if (f == "tty") f = "text";
      static const std::vector<std::string> kFormats{"full", "text", "concise", "json", "sarif", "checkstyle", "codeclimate", "gitlab_codeclimate"};
      if (std::find(kFormats.begin(), kFormats.end(), f) != kFormats.end()) c.format = f;
      else warn(v, "format '" + f + "' is not one dockerfix writes; text is used");
    } else if (key == "no-color" || key == "verbose") {
      r.value<bool>(v, key, "true or false");  // hadolint's terminal settings; dockerfix has --color
    } else {
      warn(kv.first, "'" + key + "' is not used by dockerfix");
    }
  }
  return c;
}

void apply_rule_settings(const Config& c, fix::Options& o) {
  if (!c.trusted_registries.empty()) o.trusted_registries = c.trusted_registries;
  if (!c.label_schema.empty()) o.label_schema = c.label_schema;
  if (c.strict_labels) o.strict_labels = *c.strict_labels;
}

std::optional<fs::path> find_hadolint_config(const fs::path& start) {
  std::vector<fs::path> candidates{start / ".hadolint"};
  const char* xdg = std::getenv("XDG_CONFIG_HOME");
  const char* home = std::getenv("HOME");
  if (xdg && *xdg) candidates.push_back(fs::path(xdg) / "hadolint");
  if (home && *home) {
    fs::path h(home);
    for (auto p : {h / ".config" / "hadolint", h / ".hadolint" / "hadolint", h / "hadolint" / "config", h / ".hadolint"})
      candidates.push_back(p);
  }
  std::error_code ec;
  for (const auto& c : candidates)
    for (const char* ext : {".yaml", ".yml"}) {
      fs::path p = c;
      p += ext;
      if (fs::is_regular_file(p, ec)) return p;
    }
  return std::nullopt;
}

bool is_ignored(const Config& config, const fs::path& path) {
  if (config.ignore.empty()) return false;
  std::error_code ec;
  // Resolve the directories, not the file: a symlinked Dockerfile is matched
  // by its own name.
  fs::path abs = fs::absolute(path, ec).lexically_normal();
  fs::path rel = (fs::weakly_canonical(abs.parent_path(), ec) / abs.filename()).lexically_relative(config.root);
  return is_ignored_relative(config, rel.generic_string());
}

bool is_ignored_relative(const Config& config, const std::string& s) {
  if (s.empty() || s.starts_with("..")) return false;
  for (const auto& raw : config.ignore) {
    std::string pattern = raw;
    while (pattern.starts_with("./")) pattern.erase(0, 2);
    while (pattern.size() > 1 && pattern.ends_with('/')) pattern.pop_back();
    // `*` crosses directories (no FNM_PATHNAME), so `**/x` and `vendor/*` both
    // work as people expect from .gitignore-style lists.
    if (fnmatch(pattern.c_str(), s.c_str(), 0) == 0) return true;
    if (fnmatch((pattern + "/*").c_str(), s.c_str(), 0) == 0) return true;
  }
  return false;
}

}  // namespace dockerfix::cli
