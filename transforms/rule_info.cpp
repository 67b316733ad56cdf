// Lookups over the rule table, and the typed options every rule's settings
// go through (one reader for the config, the flags and the docs).
#include "dockerfix/rule_info.h"

#include <algorithm>
#include <cctype>
#include <charconv>

#include "dockerfix/fix.h"
#include "dockerfix/values.h"

namespace dockerfix::fix {

namespace {

bool same_name(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

std::optional<int64_t> whole_number(std::string_view s) {
  int64_t n = 0;
  if (s.empty() || s.size() > 19) return std::nullopt;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return n;
}

// Where each setting lives in Options.
struct Setting {
  std::string_view name;
  std::string* text = nullptr;
  int* count = nullptr;
  uint32_t* id = nullptr;
  bool* flag = nullptr;
};

Setting setting_of(Options& o, std::string_view name) {
  if (name == "user") return {name, &o.user};
  if (name == "uid") return {name, nullptr, nullptr, &o.uid};
  if (name == "gid") return {name, nullptr, nullptr, &o.gid};
  if (name == "numeric-user") return {name, nullptr, nullptr, nullptr, &o.numeric_user};
  if (name == "retries") return {name, nullptr, &o.retries};
  if (name == "retry-delay") return {name, nullptr, &o.retry_delay};
  if (name == "pip-retries") return {name, nullptr, &o.pip_retries};
  if (name == "health-interval") return {name, &o.health_interval};
  if (name == "health-timeout") return {name, &o.health_timeout};
  if (name == "health-start-period") return {name, &o.health_start_period};
  if (name == "health-retries") return {name, nullptr, &o.health_retries};
  return {name};
}

}  // namespace

std::string_view to_string(Severity s) {
  switch (s) {
    case Severity::Error: return "error";
    case Severity::Warning: return "warning";
    case Severity::Info: return "info";
    case Severity::Style: return "style";
  }
  return "warning";
}

std::optional<Severity> parse_severity(std::string_view s) {
  std::string l(s);
  for (char& c : l) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (Severity v : {Severity::Error, Severity::Warning, Severity::Info, Severity::Style})
    if (l == to_string(v)) return v;
  return std::nullopt;
}

std::string_view to_string(FixAvailability a) {
  switch (a) {
    case FixAvailability::Never: return "never";
    case FixAvailability::Sometimes: return "sometimes";
    case FixAvailability::Always: return "always";
  }
  return "sometimes";
}

std::string_view to_string(Applicability a) { return a == Applicability::Safe ? "safe" : "unsafe"; }

std::string_view to_string(OptionType t) {
  switch (t) {
    case OptionType::Count: return "int";
    case OptionType::Id: return "id";
    case OptionType::Duration: return "duration";
    case OptionType::UserName: return "user-name";
    case OptionType::Bool: return "bool";
  }
  return "string";
}

const RuleInfo* find_rule(std::string_view id) {
  for (const RuleInfo* r : rule_table())
    if (r->id == id) return r;
  return nullptr;
}

const RuleInfo* resolve_rule(std::string_view name, std::span<const RuleInfo* const> rules) {
  for (const RuleInfo* r : rules)
    if (same_name(r->id, name)) return r;
  for (const RuleInfo* r : rules)
    for (auto alias : r->aliases)
      if (same_name(alias, name)) return r;
  return nullptr;
}

std::string_view to_string(RunShells s) {
  return s == RunShells::Posix ? "POSIX sh (RUNs in cmd or PowerShell are skipped)" : "none";
}

std::optional<std::string_view> buildkit_name(const RuleInfo& rule) {
  // hadolint, Trivy, Checkov and ShellCheck names carry digits; BuildKit's are CamelCase words.
  for (auto a : rule.aliases)
    if (!a.empty() && std::isupper(static_cast<unsigned char>(a[0])) &&
        std::all_of(a.begin(), a.end(), [](char c) { return std::isalpha(static_cast<unsigned char>(c)); }))
      return a;
  return std::nullopt;
}

std::vector<std::string> rule_names() {
  std::vector<std::string> out;
  for (const RuleInfo* r : rule_table()) {
    out.emplace_back(r->id);
    for (auto a : r->aliases) out.emplace_back(a);
  }
  return out;
}

const RuleOption* find_option(const RuleInfo& rule, std::string_view name) {
  for (const auto& o : rule.options)
    if (o.name == name) return &o;
  return nullptr;
}

std::string option_problem(const RuleOption& option, std::string_view value) {
  switch (option.type) {
    case OptionType::Count:
    case OptionType::Id: {
      auto n = whole_number(value);
      if (!n) return "'" + std::string(value) + "' is not a number";
      return option.type == OptionType::Id ? id_problem(*n) : count_problem(*n, option.min, option.max);
    }
    case OptionType::Duration: return duration_problem(value);
    case OptionType::UserName: return user_name_problem(value);
    case OptionType::Bool:
      return value == "true" || value == "false" ? std::string() : "'" + std::string(value) + "' is not true or false";
  }
  return {};
}

void set_option(Options& o, const RuleOption& option, std::string_view value) {
  Setting s = setting_of(o, option.setting);
  if (s.text) *s.text = std::string(value);
  if (s.count) *s.count = static_cast<int>(whole_number(value).value_or(*s.count));
  if (s.id) *s.id = static_cast<uint32_t>(whole_number(value).value_or(*s.id));
  if (s.flag) *s.flag = value == "true";
}

std::string option_value(const Options& o, std::string_view setting) {
  Setting s = setting_of(const_cast<Options&>(o), setting);
  if (s.text) return *s.text;
  if (s.count) return std::to_string(*s.count);
  if (s.id) return std::to_string(*s.id);
  if (s.flag) return *s.flag ? "true" : "false";
  return {};
}

}  // namespace dockerfix::fix
