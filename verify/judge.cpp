#include "verify/judge.h"

#include <cmath>

#include <fmt/format.h>

namespace dockerfix::verify {

namespace {

std::string secs(double s) { return s < 10 ? fmt::format("{:.1f} s", s) : fmt::format("{:.0f} s", s); }

std::string exit_text(const RunOutcome& r) {
  if (r.still_running) return "still running after " + secs(r.seconds);
  return fmt::format("exited with code {}{} after {}", r.exit_code, r.oom_killed ? " (out of memory)" : "",
                     secs(r.seconds));
}

std::string uid_text(const RunOutcome& r) {
  return r.uid ? fmt::format("uid {}", *r.uid) : std::string("an unobserved uid");
}

Judgement broke(Verdict v, std::string reason, std::vector<std::string> log = {}) {
  return {v, std::move(reason), std::move(log), false};
}

Judgement broke_health(Verdict v, std::string reason, std::vector<std::string> log) {
  return {v, std::move(reason), std::move(log), true};
}

}  // namespace

Expectation expect_user(const model::EffectiveUser& before, const model::EffectiveUser& after,
                        const std::optional<ImageReport>& original) {
  Expectation e;
  const bool same = before.state == after.state && before.name == after.name && before.uid == after.uid;
  const std::optional<uint32_t> seen =
      original && original->ran && original->run.started ? original->run.uid : std::nullopt;
  if (same) {
    // The user did not change. An original whose main process is not the
    // configured user dropped privileges itself (gosu, setpriv): the
    // entrypoint picks the uid, which the fixes may renumber.
    std::optional<uint32_t> configured = before.uid ? before.uid : before.is_root() ? std::optional<uint32_t>(0) : std::nullopt;
    if (seen && configured && *seen != *configured) return e;
    if (seen) {
      e.uid = seen;
      e.who = fmt::format("the original's uid {}", *seen);
      return e;
    }
  }
  std::string name = after.name.empty() ? std::string("root") : after.name;
  if (after.uid) {
    e.uid = after.uid;
    e.who = fmt::format("{} (uid {})", name, *after.uid);
  } else if (after.is_nonroot()) {
    e.nonroot = true;
    e.who = name + " (not root)";
  } else if (after.is_root()) {
    e.uid = 0;
    e.who = "root";
  }
  return e;
}

std::string describe(const ImageReport& image) {
  if (!image.built) {
    std::string s = "does not build";
    if (!image.failing_step.empty()) s += ": " + image.failing_step;
    if (!image.build_error.empty()) s += ": " + image.build_error;
    return s;
  }
  std::string s = "built in " + secs(image.build_seconds);
  if (!image.ran) return s;
  const RunOutcome& r = image.run;
  if (!r.started) return s + "; the container does not start: " + r.start_error;
  s += "; ran as " + uid_text(r);
  if (!image.configured_user.empty()) s += " (USER " + image.configured_user + ")";
  s += "; " + exit_text(r);
  if (r.has_healthcheck) {
    if (r.health == "healthy") s += "; healthy after " + secs(r.healthy_after) + " (probed every second)";
    else s += "; health " + r.health + (r.health_output.empty() ? "" : " (" + r.health_output + ")");
  }
  return s;
}

Judgement judge(const std::optional<ImageReport>& original, const ImageReport& fixed, const Expectation& expect) {
  const bool original_built = original && original->built;
  if (!fixed.built) {
    std::string where = fixed.failing_step.empty() ? "" : " at " + fixed.failing_step;
    if (!original_built)
      return broke(Verdict::NotProvable, "the original does not build either; with the fix it fails" + where + ": " +
                                             fixed.build_error,
                   fixed.build_log);
    return broke(Verdict::BrokeBuild, "the build fails" + where + ": " + fixed.build_error, fixed.build_log);
  }
  const RunOutcome& f = fixed.run;
  if (!f.started) {
    const bool same = original_built && original->ran && !original->run.started &&
                      original->run.start_error == f.start_error;
    if (same) return {Verdict::Proven, "builds; its container does not start, as the original's does not: " + f.start_error, {}, false};
    return broke(Verdict::BrokeRuntime, "the container does not start: " + f.start_error);
  }
  // Without an original that runs there is nothing to compare the exit
  // with; the fix must at least leave a container that does not fail.
  const RunOutcome* o = original_built && original->ran && original->run.started ? &original->run : nullptr;
  if (o) {
    if (o->still_running && !f.still_running)
      return broke(Verdict::BrokeRuntime,
                   fmt::format("{}; the original was still running after {}", exit_text(f), secs(o->seconds)), f.logs);
    if (!o->still_running && o->exit_code == 0 && (f.still_running || f.exit_code != 0))
      return broke(Verdict::BrokeRuntime, fmt::format("{}; the original exited with code 0", exit_text(f)), f.logs);
    if (!o->still_running && o->exit_code != 0 && !f.still_running && f.exit_code != 0 && f.exit_code != o->exit_code)
      return broke(Verdict::BrokeRuntime,
                   fmt::format("{}; the original exited with code {}", exit_text(f), o->exit_code), f.logs);
  } else if (!f.still_running && f.exit_code != 0) {
    return broke(Verdict::NotProvable,
                 fmt::format("it builds, but the container {}, and the original gives nothing to compare with",
                             exit_text(f)),
                 f.logs);
  }
  if (f.uid) {
    if (expect.uid && *f.uid != *expect.uid)
      return broke(Verdict::BrokeRuntime, fmt::format("runs as uid {}, not {}", *f.uid, expect.who), f.logs);
    if (expect.nonroot && *f.uid == 0) return broke(Verdict::BrokeRuntime, "still runs as root", f.logs);
  }
  // A HEALTHCHECK must become healthy, unless the original's own never did.
  const bool original_unhealthy = o && o->has_healthcheck && o->health != "healthy";
  if (f.has_healthcheck && f.health != "healthy" && !original_unhealthy) {
    if (!f.still_running) {
      if (o && !o->still_running && o->exit_code != 0)
        return broke_health(Verdict::NotProvable,
                     fmt::format("the HEALTHCHECK cannot be tried: the container {}, as the original did", exit_text(f)),
                     f.logs);
      return broke_health(Verdict::BrokeRuntime,
                   fmt::format("the HEALTHCHECK never reported healthy: the container {}", exit_text(f)), f.logs);
    }
    std::string last = f.health_output.empty() ? "" : "; last probe: " + f.health_output;
    return broke_health(Verdict::BrokeRuntime, fmt::format("health {} after {}{}", f.health, secs(f.seconds), last),
                        f.logs);
  }
  std::string reason = describe(fixed);
  if (!original_built) reason = "repairs the build (the original fails" +
                                (original && !original->failing_step.empty() ? " at " + original->failing_step : "") +
                                "); " + reason;
  return {Verdict::Proven, reason, {}, false};
}

}  // namespace dockerfix::verify
