#include "cli/verify_command.h"

#include <cstdlib>
#include <filesystem>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/discovery.h"
#include "cli/file_io.h"
#include "cli/help_text.h"
#include "cli/input_file.h"
#include "cli/input_check.h"
#include "verify/engine.h"
#include "verify/interrupt.h"
#include "verify/report.h"

namespace dockerfix::cli {

namespace {

verify::Settings to_settings(const VerifyCliOptions& v, const Settings& s, bool quiet) {
  verify::Settings out;
  // --context is the fix options' (check/diff/apply read scripts from it too).
  if (s.options.model.context) out.context = std::filesystem::absolute(*s.options.model.context);
  for (const auto& a : v.build_args) {
    auto eq = a.find('=');
    if (eq == 0) throw std::runtime_error("--build-arg " + a + ": the name is missing");
    if (eq != std::string::npos) {
      out.build_args[a.substr(0, eq)] = a.substr(eq + 1);
    } else if (const char* value = std::getenv(a.c_str())) {
      out.build_args[a] = value;  // as docker build --build-arg NAME
    }
  }
  if (s.options.model.target) out.target = *s.options.model.target;
  out.network = v.network;
  out.run.window = std::chrono::seconds(v.timeout);
  out.run.volumes = v.volumes;
  out.run.env = v.env;
  out.run.cap_add = v.cap_add;
  out.build_timeout = std::chrono::seconds(v.build_timeout);
  // `dockerfix verify` proves every fix (safe and unsafe); verified_fix
  // narrows that to the unsafe ones for apply/diff --verify.
  if (!quiet) out.progress = [](const std::string& line) { fmt::print(stderr, "dockerfix: {}\n", line); };
  return out;
}

struct VerifyRun {
  FixOptions o;
  VerifyCliOptions v;
};

int run_verify(const CLI::App& sub, VerifyRun& r) {
  FixOptions& o = r.o;
  if (o.paths.empty()) {
    fmt::print(stderr, "dockerfix: give a Dockerfile or a DIRECTORY; see dockerfix verify --help\n");
    return kExitUsage;
  }
  Settings s;
  verify::Settings vs;
  try {
    s = resolve_settings(sub, o);
    vs = to_settings(r.v, s, o.quiet);
  } catch (const std::exception& e) {
    fmt::print(stderr, "dockerfix: {}\n", e.what());
    return kExitUsage;
  }
  verify::install_interrupt_handlers();
  const bool json = r.v.format == "json";
  int code = kExitOk;
  bool unproven = false;
  nlohmann::json report{{"version", 1}, {"tool", "dockerfix"}, {"files", nlohmann::json::array()},
                        {"errors", nlohmann::json::array()}};
  auto input_error = [&](const std::string& message) {
    if (json) report["errors"].push_back(message);
    fmt::print(stderr, "dockerfix: {}\n", message);
    code = kExitUsage;
  };
  Discovered inputs = discover(o.paths, s.config);
  for (const auto& e : inputs.errors) input_error(e);
  for (size_t i = 0; i < inputs.files.size(); ++i) {
    const Input input = inputs.files[i];
    const std::string& path = input.path;
    // Read once, never through a swapped-in symlink, as check/diff/apply do.
    std::string bytes, error;
    InputFile opened;
    if (open_input(input, s.max_size, opened, bytes, error) != ReadStatus::Ok) {
      input_error(error);
      continue;
    }
    if (auto refused = refuse_input(path, bytes, s.max_size)) {
      input_error(*refused);
      continue;
    }
    Dockerfile file = parse(bytes, path);
    bool bad = false;
    for (const auto& d : file.diagnostics)
      if (d.severity == Severity::Error && !bad) {
        input_error(fmt::format("{}:{}:{}: {} ({})", path, d.line, d.column, d.message, d.code));
        bad = true;
      }
    if (bad) continue;
    fix::Options po = s.options;
    std::filesystem::path context = vs.context.empty() && path != "-" ? std::filesystem::absolute(path).parent_path()
                                                                       : vs.context;
    po.model.context = context;
    verify::Proof proof;
    try {
      proof = verify::prove(path, bytes, s.kb, po, s.selection, vs);
    } catch (const verify::Interrupted&) {
      fmt::print(stderr, "dockerfix: interrupted; the containers and images it made are removed\n");
      return kExitInterrupted;
    }
    if (!proof.error.empty()) {
      input_error(fmt::format("{}: cannot verify: {}", path, proof.error));
      if (json) report["files"].push_back(verify::report_json(proof));
      continue;
    }
    unproven = unproven || !proof.proven();
    if (json) report["files"].push_back(verify::report_json(proof));
    else if (!o.quiet) fmt::print("{}", verify::report_text(proof));
  }
  if (json) fmt::print("{}\n", report.dump(2, ' ', false, nlohmann::json::error_handler_t::replace));
  if (code != kExitOk) return code;
  return unproven ? kExitFindings : kExitOk;
}

}  // namespace

void add_verify_options(CLI::App* sub, VerifyCliOptions& v, bool with_flag) {
  if (with_flag)
    sub->add_flag("--verify", v.enabled, "Keep only the fixes a build and run of the image prove (see dockerfix verify)");
  sub->add_option("--build-arg", v.build_args, "Build argument K=V (repeat); K alone takes it from the environment")
      ->allow_extra_args(false);
  sub->add_option("--network", v.network, "Network for RUN during builds: none (default) or host (apt, npm)")
      ->check(CLI::IsMember({"none", "host"}));
  sub->add_option("--timeout", v.timeout, "Seconds a container is watched (a service must stay up that long; default 10)")
      ->check(CLI::Range(1, 3600));
  sub->add_option("--build-timeout", v.build_timeout, "Seconds one build may take (default 1800)")
      ->check(CLI::Range(1, 86400));
  sub->add_option("--volume", v.volumes, "Mount SRC:DST[:ro] into the containers it runs (repeat), as docker run -v")
      ->allow_extra_args(false);
  sub->add_option("--cap-add", v.cap_add, "Add a capability to the containers it runs (repeat), as docker run --cap-add")
      ->allow_extra_args(false);
  sub->add_option("--env", v.env, "Environment K=V for the containers it runs (repeat)")->allow_extra_args(false);
}

Verifier make_verifier(const Settings& s, const VerifyCliOptions& v, bool quiet, VerifierPlace place) {
  auto vs = std::make_shared<verify::Settings>(to_settings(v, s, quiet));
  // --verify is what makes unsafe fixes acceptable, with or without
  // --unsafe-fixes: they are candidates, and only they need proof.
  vs->scope = fix::FixScope{true};
  vs->prove_safe_fixes = false;
  return [&s, vs, quiet, place](const VerifyInput& in) {
    verify::install_interrupt_handlers();
    verify::Settings settings = *vs;
    if (!place.checkout.empty()) {
      settings.dockerfile = place.checkout / in.path;
      if (settings.context.empty()) settings.context = settings.dockerfile.parent_path();
    }
    verify::Proof proof;
    try {
      proof = verify::prove(in.path, in.bytes, s.kb, in.options, s.selection, settings);
    } catch (const verify::Interrupted&) {
      // prove() removed what it made.
      fmt::print(stderr, "dockerfix: interrupted; the containers and images it made are removed\n");
      if (place.throw_on_interrupt) throw;
      std::exit(kExitInterrupted);
    }
    if (!quiet && proof.error.empty() && !proof.rules.empty()) fmt::print(stderr, "{}", verify::report_text(proof));
    return proof;
  };
}

Command add_verify_command(CLI::App& app) {
  auto r = std::make_shared<VerifyRun>();
  const HelpText& help = help_text("verify");
  CLI::App* sub = app.add_subcommand("verify", help.brief());
  sub->footer(help.footer());
  add_fix_options(sub, r->o);
  add_verify_options(sub, r->v, false);
  sub->add_option("--format", r->v.format, "text (default) or json (docs/verify.md)")
      ->check(CLI::IsMember({"text", "json"}));
  return {sub, [r, sub] { return run_verify(*sub, *r); }};
}

}  // namespace dockerfix::cli
