#include "cli/fix_options.h"

#include <algorithm>
#include <filesystem>
#include <functional>
#include <memory>

#include "cli/suggest.h"
#include "dockerfix/lock.h"
#include "dockerfix/values.h"

namespace dockerfix::cli {

namespace {

// Values that end up in a Dockerfile are checked before anything is read;
// CLI11 prints "--flag: why" and the command exits 2.
CLI::Validator refuse_unless(std::function<std::string(const std::string&)> problem, std::string name) {
  return CLI::Validator([problem](std::string& value) { return problem(value); }, "", std::move(name));
}

std::optional<int64_t> whole_number(const std::string& s) {
  size_t i = s.size() > 1 && s[0] == '-' ? 1 : 0;
  if (s.size() == i || s.size() - i > 12 ||
      !std::all_of(s.begin() + static_cast<long>(i), s.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return std::nullopt;
  return std::stoll(s);
}

CLI::Validator id_value() {
  return refuse_unless(
      [](const std::string& s) {
        auto n = whole_number(s);
        return n ? fix::id_problem(*n) : "'" + s + "' is not a number";
      },
      "ID");
}

CLI::Validator count_value(int64_t min, int64_t max) {
  return refuse_unless(
      [min, max](const std::string& s) {
        auto n = whole_number(s);
        return n ? fix::count_problem(*n, min, max) : "'" + s + "' is not a number";
      },
      "COUNT");
}

CLI::Validator duration_value() {
  return refuse_unless([](const std::string& s) { return fix::duration_problem(s); }, "DURATION");
}

}  // namespace

void add_rule_options(CLI::App* sub, FixOptions& o) {
  // One id per flag (or comma-separated), so the flag never swallows paths.
  sub->add_option("--rule", o.rules, "Only this rule, by id or alias such as DL3002 (repeat, or a,b)")->allow_extra_args(false)->delimiter(',');
  sub->add_option("--skip", o.skip, "Skip this rule, by id or alias (repeat, or a,b)")->allow_extra_args(false)->delimiter(',');
  sub->add_option("--user", o.user, "Name of the non-root user to create (default agent; a-z, then a-z 0-9 _ -)")
      ->check(refuse_unless([](const std::string& s) { return fix::user_name_problem(s); }, "NAME"));
  sub->add_option("--uid", o.uid, "uid for created users and explicit-uid (default 1000; 1-2147483646)")->check(id_value());
  sub->add_option("--gid", o.gid, "gid for created groups (default 1000; 1-2147483646)")->check(id_value());
  sub->add_flag("--numeric-user", o.numeric_user, "Write USER uid:gid (Kubernetes runAsNonRoot can verify it)");
  sub->add_flag("--unsafe-fixes", o.unsafe_fixes,
                "Also make unsafe fixes (they may change what the image does at run time; check marks them [unsafe])");
}

void add_fix_options(CLI::App* sub, FixOptions& o) {
  sub->add_option("paths", o.paths, "Dockerfiles, directories (searched for Dockerfiles), or - for stdin");
  sub->add_option("--files-from", o.files_from, "Also the paths in this file, one a line (- reads them from stdin)");
  add_rule_options(sub, o);
  sub->add_option("--config", o.config_file, "Config file (default: the nearest .dockerfix.yaml upward)");
  sub->add_flag("--no-config", o.no_config, "Ignore .dockerfix.yaml files");
  sub->add_option("--retries", o.tuning.retries, "Retries for curl, wget, apt-get and npm (default 3; 1-100)")
      ->check(count_value(1, fix::kMaxRetries));
  sub->add_option("--retry-delay", o.tuning.retry_delay, "curl --retry-delay seconds (default 5; 0-3600)")
      ->check(count_value(0, fix::kMaxRetryDelay));
  sub->add_option("--pip-retries", o.tuning.pip_retries, "pip --retries (default 5; 1-100)")
      ->check(count_value(1, fix::kMaxRetries));
  sub->add_option("--health-interval", o.tuning.health_interval, "HEALTHCHECK --interval (default 30s; a Docker duration, at least 1ms)")
      ->check(duration_value());
  sub->add_option("--health-timeout", o.tuning.health_timeout, "HEALTHCHECK --timeout (default 5s; a Docker duration, at least 1ms)")
      ->check(duration_value());
  sub->add_option("--health-start-period", o.tuning.health_start_period, "HEALTHCHECK --start-period (default 10s; a Docker duration, at least 1ms)")
      ->check(duration_value());
  sub->add_option("--health-retries", o.tuning.health_retries, "HEALTHCHECK --retries (default 3; 1-100)")
      ->check(count_value(1, fix::kMaxRetries));
  sub->add_option("--target", o.target, "The stage that is built (default: the last)");
  sub->add_option("--context", o.context,
                  "Build context directory, where scripts a RUN or ENTRYPOINT runs are read (default: each Dockerfile's directory; none for -)");
  sub->add_option("--color", o.color, "auto (default: on a terminal, unless NO_COLOR is set), always or never")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  sub->add_flag("-q,--quiet", o.quiet, "Print nothing; use the exit code");
  sub->add_option("--max-size", o.max_size, "Refuse files larger than this many bytes (default 1 MiB)");
  // hadolint's flags, so its users keep their command lines.
  sub->add_option("--ignore", o.ignore, "hadolint's name for --skip (DL3008, SC2086, or a dockerfix id)")
      ->allow_extra_args(false)->delimiter(',');
  sub->add_option("-t,--failure-threshold", o.failure_threshold,
                  "Exit 1 only for findings of this severity or above: error, warning, info, style (default) or none")
      ->check(CLI::IsMember({"error", "warning", "info", "style", "ignore", "none"}));
  sub->add_flag("--no-fail", o.no_fail, "Exit 0 even with findings (errors still exit 2)");
  sub->add_option("--trusted-registry", o.trusted_registries, "A registry FROM may name (repeat; trusted-registries)")
      ->allow_extra_args(false);
  sub->add_option("--require-label", o.require_labels, "NAME:TYPE, a label every image must have (repeat; label-schema)")
      ->allow_extra_args(false);
  sub->add_flag("--strict-labels", o.strict_labels, "Labels outside the label schema are findings");
  for (auto [flag, list] : {std::pair{"--error", &o.as_error}, std::pair{"--warning", &o.as_warning},
                            std::pair{"--info", &o.as_info}, std::pair{"--style", &o.as_style}})
    sub->add_option(flag, *list, std::string("Report this rule (or SCxxxx) as ") + (flag + 2) + " (repeat)")
        ->allow_extra_args(false)->delimiter(',');
  sub->add_flag("--no-shellcheck", o.no_shellcheck, "Do not run shellcheck on RUN scripts");
  sub->add_option("-j,--jobs", o.jobs, "Files worked on at once (default: one per core; output stays in input order)")
      ->check(CLI::Range(1u, 256u));
}

namespace {

std::string upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

// SC1000-SC9999: shellcheck's codes, reported as rules of their own.
bool is_shellcheck_code(const std::string& s) {
  return s.size() == 6 && (s[0] == 'S' || s[0] == 's') && (s[1] == 'C' || s[1] == 'c') &&
         std::all_of(s.begin() + 2, s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// A rule name from --rule/--skip as the rule's id; unknown names are refused
// with the closest known one.
std::string rule_id(const std::string& name) {
  if (const fix::RuleInfo* r = fix::resolve_rule(name)) return std::string(r->id);
  if (is_shellcheck_code(name)) return upper(name);
  std::string hint;
  if (auto near = closest(name, fix::rule_names())) hint = "; did you mean '" + *near + "'?";
  throw std::runtime_error("unknown rule '" + name + "'" + hint + " (dockerfix rules lists them)");
}

const fix::RuleOption* option_for(const std::string& setting) {
  for (const fix::RuleInfo* r : fix::rule_table())
    for (const auto& o : r->options)
      if (o.setting == setting) return &o;
  return nullptr;
}

}  // namespace

Settings resolve_settings(const CLI::App& sub, FixOptions& o) {
  Config config;
  if (!o.config_file.empty()) {
    config = load_config(o.config_file);
  } else if (!o.no_config) {
    // A .dockerfix.yaml says what it says; without one, hadolint's config is read.
    if (auto found = find_config(std::filesystem::current_path())) config = load_config(*found);
    else if (auto hadolint = find_hadolint_config(std::filesystem::current_path())) config = load_config(*hadolint);
  }
  Settings s = settings_from(sub, o, std::move(config));
  return s;
}

Settings settings_from(const CLI::App& sub, FixOptions o, Config config, const LockSource& lock_source) {
  Settings s;
  s.config = std::move(config);
  const Config& c = s.config;
  if (c.max_size && sub.count("--max-size") == 0) o.max_size = *c.max_size;

  s.options = o.tuning;
  s.options.user = o.user;
  s.options.uid = o.uid;
  s.options.gid = o.gid;
  s.options.numeric_user = o.numeric_user;
  // The config's value for a setting unless its flag was given.
  for (const auto& [setting, value] : c.settings) {
    const CLI::Option* flag = sub.get_option_no_throw("--" + setting);
    if (flag && flag->count() > 0) continue;
    if (const fix::RuleOption* option = option_for(setting)) fix::set_option(s.options, *option, value.text);
  }
  if (!o.target.empty()) s.options.model.target = o.target;
  if (!o.context.empty()) {
    std::error_code ec;
    if (!std::filesystem::is_directory(o.context, ec))
      throw std::runtime_error("--context " + o.context + ": not a directory");
    s.options.model.context = std::filesystem::absolute(o.context);
  }
  s.scope.unsafe = o.unsafe_fixes;
  s.max_size = o.max_size;
  // Flags and config were checked as they were read; this catches a value
  // that reached the options another way.
  if (auto bad = fix::invalid_option(s.options); !bad.empty()) throw std::runtime_error(bad);

  for (const auto& r : o.rules) s.selection.only.push_back(rule_id(r));
  for (const auto& r : o.skip) s.selection.skip.push_back(rule_id(r));
  for (const auto& r : o.ignore) s.selection.skip.push_back(rule_id(r));
  // Names in a hadolint config that no rule has are another tool's (or shellcheck's) business.
  for (const auto& r : c.ignored_names) s.selection.skip.push_back(is_shellcheck_code(r) ? upper(r) : r);

  apply_rule_settings(c, s.options);
  if (!o.trusted_registries.empty()) s.options.trusted_registries = o.trusted_registries;
  for (const auto& spec : o.require_labels) {
    auto colon = spec.rfind(':');
    if (colon == std::string::npos || colon == 0) throw std::runtime_error("--require-label " + spec + ": give NAME:TYPE");
    s.options.label_schema[spec.substr(0, colon)] = spec.substr(colon + 1);
  }
  if (o.strict_labels) s.options.strict_labels = true;

  for (const auto& [name, level] : c.severity) s.severity[is_shellcheck_code(name) ? upper(name) : name] = level;
  for (auto [list, level] : {std::pair{&o.as_error, fix::Severity::Error}, std::pair{&o.as_warning, fix::Severity::Warning},
                             std::pair{&o.as_info, fix::Severity::Info}, std::pair{&o.as_style, fix::Severity::Style}})
    for (const auto& r : *list) s.severity[rule_id(r)] = level;
  // hadolint fails on info and above unless told otherwise; dockerfix on any finding.
  std::string threshold = o.failure_threshold;
  if (threshold.empty() && c.failure_threshold) threshold = *c.failure_threshold;
  if (threshold.empty() && c.hadolint) threshold = "info";
  if (threshold == "none" || threshold == "ignore") s.no_fail = true;
  else if (!threshold.empty()) s.failure_threshold = fix::parse_severity(threshold);
  if (o.no_fail || c.no_fail.value_or(false)) s.no_fail = true;
  s.shellcheck = !o.no_shellcheck && c.shellcheck.value_or(true);
  s.cache = !o.no_cache && c.cache.value_or(true);
  if (c.format) s.format = *c.format;
  // --rule names exactly what runs; otherwise the config's `off` rules are
  // skipped, and the rules off by default that it does not switch on report
  // only where the Dockerfile switches them on (`# check=experimental=`).
  if (o.rules.empty()) {
    s.selection.skip.insert(s.selection.skip.end(), c.disabled.begin(), c.disabled.end());
    for (const fix::RuleInfo* r : fix::rule_table())
      if (!r->enabled_by_default && std::find(c.enabled.begin(), c.enabled.end(), r->id) == c.enabled.end())
        s.selection.off_by_default.emplace_back(r->id);
  }

  s.kb = model::KnowledgeBase::builtin();
  if (c.images) s.kb.prepend(*c.images);
  // dockerfix.lock wins over both; pin-base-digest reads its digests.
  if (!lock_source.find) {
    if (lock_source.given) {
      s.kb.prepend(model::lock_knowledge(*lock_source.given));
      s.options.model.lock = lock_source.given;
    }
  } else if (auto lock = model::prepend_lock(s.kb, c.file, std::filesystem::current_path())) {
    s.options.model.lock = std::make_shared<const model::Lock>(model::read_lock(*lock));
  }
  return s;
}

void Settings::set_severity(fix::Finding& f) const {
  if (auto it = severity.find(f.rule); it != severity.end()) f.severity = it->second;
}

bool Settings::fails(const fix::Finding& f) const {
  if (no_fail) return false;
  // Severities are ordered error < warning < info < style.
  return !failure_threshold || static_cast<int>(f.severity) <= static_cast<int>(*failure_threshold);
}

}  // namespace dockerfix::cli
