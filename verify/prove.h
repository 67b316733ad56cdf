// Proof by building: the original and the fixed Dockerfile are built by a
// real engine and run, and each rule's fix is kept only when its image
// still builds, runs as the intended user, stays up as long as the original
// (or exits the same way) and, with a HEALTHCHECK, becomes healthy. A fix
// that breaks is dropped and the others are kept if they still prove.
//
// The CLI's `verify`, `apply --verify` and `diff --verify` call prove(); so
// can the bot's fixer callback (git/fixer.h): it needs the file's bytes,
// its path and the directory that is its build context.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dockerfix/fix.h"
#include "verify/run.h"

namespace dockerfix::verify {

enum class Verdict {
  Proven,        // built and ran as intended
  BrokeBuild,    // the build fails with the fix (and not without it)
  BrokeRuntime,  // it builds, but the container misbehaves
  NotProvable,   // the original does not build, a build needs secrets, ...
  KeptUnproven,  // a fix that needs no proof (a safe one, when only unsafe fixes are proven)
};
std::string_view verdict_id(Verdict v);    // proven, broke-build, broke-runtime, not-provable, kept-unproven
std::string_view verdict_text(Verdict v);  // "proven", "broke the build", ...

struct ImageReport {
  bool built = false;
  double build_seconds = 0;
  std::string build_error;
  std::string failing_step;
  std::vector<std::string> build_log;
  std::string configured_user;  // the image's USER ("" is root)
  bool ran = false;
  RunOutcome run;
  std::vector<std::string> checks;  // "WORKDIR /app is writable by uid 1000", ...
};

struct RuleVerdict {
  std::string rule;
  Verdict verdict = Verdict::NotProvable;
  std::string reason;             // one line
  std::vector<std::string> log;   // the failing step's or the container's last lines
  std::vector<fix::Finding> fixes;  // what the rule changes in the fully fixed file
};

struct Settings {
  std::string docker_host;  // empty: DOCKER_HOST, else the default socket
  std::filesystem::path context;  // empty: the Dockerfile's directory
  std::map<std::string, std::string> build_args;
  std::string target;
  std::string network = "none";  // for RUN during builds: none | host
  RunSettings run;
  std::chrono::seconds build_timeout{1800};
  // Which fixes are candidates (safe only, or unsafe ones too), and which
  // rules' fixes must be proven; the others are kept as they are. `dockerfix
  // verify` proves every fix; apply, diff and the bot with --verify only the
  // rules that make an unsafe fix (prove_safe_fixes false).
  fix::FixScope scope{true};
  bool prove_safe_fixes = true;
  // Where the Dockerfile is on disk when `path` only names it (the bot's
  // checkout: `path` is relative to the repository); empty: `path` itself.
  std::filesystem::path dockerfile;
  std::function<void(const std::string&)> progress;  // one line per build and run, for a terminal
};

struct Proof {
  std::string path;
  std::string error;         // the verification could not run; nothing was kept
  std::string not_provable;  // why no fix could be proven (each rule says so too)
  std::optional<ImageReport> original;
  std::optional<ImageReport> fixed;  // the image with the kept fixes
  std::vector<RuleVerdict> rules;    // in the order fixes are applied
  fix::FixResult kept;               // the file with only the kept fixes
  int builds = 0;
  std::vector<std::string> left_behind;  // what cleanup could not remove

  bool proven() const;  // every fix kept
  std::vector<std::string> kept_rules() const;
  std::vector<std::string> dropped_rules() const;
  // What was proven, for a pull request: "built and ran as uid 1000; still
  // running after 10 s; healthy after 2 s (probed every second)".
  std::string summary() const;
  // How the original ran, to read beside it: "the original ran as uid 0;
  // still running after 10 s". Empty when it did not run.
  std::string original_summary() const;
};

// Throws Interrupted after Ctrl-C (everything made is removed first).
Proof prove(const std::string& path, const std::string& source, const model::KnowledgeBase& kb,
            const fix::Options& options, const fix::Selection& selection, const Settings& settings);

}  // namespace dockerfix::verify
