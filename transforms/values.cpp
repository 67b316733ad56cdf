#include "dockerfix/values.h"

#include <fmt/format.h>

#include "dockerfix/fix.h"

namespace dockerfix::fix {

namespace {

// Printable, so a message never carries a raw newline or escape.
std::string shown(std::string_view s) {
  std::string out;
  for (unsigned char c : s.substr(0, 80)) {
    if (c == '\n') out += "\\n";
    else if (c < 0x20 || c == 0x7f) out += fmt::format("\\x{:02x}", c);
    else out += static_cast<char>(c);
  }
  return s.size() > 80 ? out + "..." : out;
}

}  // namespace

std::string user_name_problem(std::string_view name) {
  const std::string why = "'" + shown(name) + "' is not a portable user name";
  const char* rule = " (a lower-case letter, then lower-case letters, digits, _ or -; at most 32 characters)";
  if (name.empty()) return "the user name is empty";
  if (name.size() > 32) return why + rule;
  if (!(name[0] >= 'a' && name[0] <= 'z')) return why + rule;
  for (char c : name)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) return why + rule;
  if (name == "root") return "root is not a non-root user";
  return {};
}

std::string id_problem(int64_t id) {
  if (id >= kMinId && id <= kMaxId) return {};
  if (id == 0) return "0 is root's id; give a non-root id (1-2147483646)";
  return fmt::format("{} is not a usable id (1-2147483646)", id);
}

std::string duration_problem(std::string_view text) {
  const std::string why = "'" + shown(text) + "' is not a duration";
  const char* form = " (a number with a unit: 30s, 1m30s, 500ms; units ns, us, ms, s, m, h)";
  if (text.empty()) return "the duration is empty" + std::string(form);
  // Sum in nanoseconds, as Go's time.ParseDuration does; long double keeps
  // fractions and detects values past Go's limit (about 292 years).
  long double total = 0;
  size_t i = 0;
  while (i < text.size()) {
    size_t start = i;
    long double number = 0, scale = 1;
    bool digits = false, dot = false;
    for (; i < text.size() && ((text[i] >= '0' && text[i] <= '9') || text[i] == '.'); ++i) {
      if (text[i] == '.') {
        if (dot) return why + form;
        dot = true;
        continue;
      }
      digits = true;
      if (dot) number += (text[i] - '0') * (scale /= 10);
      else number = number * 10 + (text[i] - '0');
    }
    if (!digits) return why + form;
    size_t unit_start = i;
    while (i < text.size() && text[i] >= 'a' && text[i] <= 'z') ++i;
    std::string_view unit = text.substr(unit_start, i - unit_start);
    long double ns = unit == "ns" ? 1 : unit == "us" ? 1e3 : unit == "ms" ? 1e6 : unit == "s" ? 1e9
                     : unit == "m" ? 60e9 : unit == "h" ? 3600e9 : 0;
    if (ns == 0) return why + (unit.empty() && start == 0 && i == text.size() ? " (it has no unit: 30s, not 30)" : form);
    total += number * ns;
  }
  if (total > 9223372036854775807.0L) return why + " (longer than Docker can store)";
  if (total < 1e6L) return "'" + shown(text) + "' is shorter than Docker's minimum of 1ms";
  return {};
}

std::string count_problem(int64_t n, int64_t min, int64_t max) {
  if (n >= min && n <= max) return {};
  return fmt::format("{} is out of range ({}-{})", n, min, max);
}

std::string invalid_option(const Options& o) {
  auto named = [](const char* what, const std::string& why) { return why.empty() ? why : what + std::string(": ") + why; };
  for (const auto& p : {named("user", user_name_problem(o.user)), named("uid", id_problem(o.uid)),
                        named("gid", id_problem(o.gid)), named("retries", count_problem(o.retries, 1, kMaxRetries)),
                        named("retry-delay", count_problem(o.retry_delay, 0, kMaxRetryDelay)),
                        named("pip-retries", count_problem(o.pip_retries, 1, kMaxRetries)),
                        named("health-interval", duration_problem(o.health_interval)),
                        named("health-timeout", duration_problem(o.health_timeout)),
                        named("health-start-period", duration_problem(o.health_start_period)),
                        named("health-retries", count_problem(o.health_retries, 1, kMaxRetries))})
    if (!p.empty()) return p;
  return {};
}

}  // namespace dockerfix::fix
