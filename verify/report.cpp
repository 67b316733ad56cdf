#include "verify/report.h"

#include <fmt/format.h>

#include "verify/judge.h"

namespace dockerfix::verify {

namespace {

nlohmann::json image_json(const ImageReport& r) {
  nlohmann::json j{{"built", r.built}, {"build_seconds", r.build_seconds}};
  if (!r.built) {
    j["failing_step"] = r.failing_step;
    j["build_error"] = r.build_error;
    j["build_log"] = r.build_log;
    return j;
  }
  j["user"] = r.configured_user;
  if (!r.ran) return j;
  const RunOutcome& o = r.run;
  j["started"] = o.started;
  if (!o.started) {
    j["start_error"] = o.start_error;
    return j;
  }
  j["uid"] = o.uid ? nlohmann::json(*o.uid) : nlohmann::json(nullptr);
  j["uid_source"] = o.uid_source;
  j["running"] = o.still_running;
  j["seconds"] = o.seconds;
  if (!o.still_running) j["exit_code"] = o.exit_code;
  if (o.has_healthcheck) {
    nlohmann::json h{{"status", o.health}};
    if (o.healthy_after >= 0) h["healthy_after"] = o.healthy_after;
    if (!o.health_output.empty()) h["last_output"] = o.health_output;
    j["health"] = h;
  } else {
    j["health"] = nullptr;
  }
  j["logs"] = o.logs;
  j["checks"] = r.checks;
  return j;
}

// The last lines are the telling ones; JSON has them all.
void lines(std::string& out, const std::vector<std::string>& log, const char* indent) {
  constexpr size_t kShown = 10;
  size_t from = log.size() > kShown ? log.size() - kShown : 0;
  for (size_t i = from; i < log.size(); ++i) out += fmt::format("{}| {}\n", indent, log[i]);
}

}  // namespace

nlohmann::json report_json(const Proof& p) {
  nlohmann::json j{{"path", p.path}};
  if (!p.error.empty()) j["error"] = p.error;
  if (!p.not_provable.empty()) j["not_provable"] = p.not_provable;
  j["original"] = p.original ? image_json(*p.original) : nlohmann::json(nullptr);
  j["fixed"] = p.fixed ? image_json(*p.fixed) : nlohmann::json(nullptr);
  auto rules = nlohmann::json::array();
  for (const auto& r : p.rules) {
    auto fixes = nlohmann::json::array();
    for (const auto& f : r.fixes) fixes.push_back({{"line", f.line}, {"message", f.message}});
    rules.push_back({{"rule", r.rule}, {"verdict", verdict_id(r.verdict)}, {"reason", r.reason}, {"log", r.log},
                     {"fixes", fixes}});
  }
  j["rules"] = rules;
  j["kept"] = p.kept_rules();
  j["dropped"] = p.dropped_rules();
  j["summary"] = p.summary();
  j["builds"] = p.builds;
  if (!p.left_behind.empty()) j["left_behind"] = p.left_behind;
  return j;
}

std::string report_text(const Proof& p) {
  std::string out;
  if (!p.error.empty()) return fmt::format("{}: cannot verify: {}\n", p.path, p.error);
  if (p.rules.empty()) return fmt::format("{}: nothing to fix, nothing to prove\n", p.path);
  if (p.original) out += fmt::format("{}: original {}\n", p.path, describe(*p.original));
  if (p.original && !p.original->built) lines(out, p.original->build_log, "    ");
  if (!p.not_provable.empty() && (!p.original || p.original->built))
    out += fmt::format("  not provable: {}\n", p.not_provable);
  for (const auto& r : p.rules) {
    out += fmt::format("  {:<26} {}: {}\n", r.rule, verdict_text(r.verdict), r.reason);
    lines(out, r.log, "      ");
  }
  if (p.fixed) {
    out += fmt::format("  fixed image: {}\n", describe(*p.fixed));
    for (const auto& c : p.fixed->checks) out += fmt::format("    {}\n", c);
  }
  auto kept = p.kept_rules();
  out += fmt::format("  kept {} of {} fix{}{}\n", kept.size(), p.rules.size(), p.rules.size() == 1 ? "" : "es",
                     kept.empty() ? "" : ": " + fmt::format("{}", fmt::join(kept, ", ")));
  for (const auto& l : p.left_behind) out += fmt::format("  not cleaned up: {}\n", l);
  return out;
}

}  // namespace dockerfix::verify
