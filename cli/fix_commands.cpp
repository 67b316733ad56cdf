// `dockerfix check`, `diff` and `apply`: findings, a dry-run unified diff
// (libgit2), and in-place fixes.
#include <git2.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include <fmt/core.h>

#include "cli/commands.h"
#include "cli/file_io.h"
#include "cli/input_check.h"
#include "cli/sarif.h"
#include "dockerfix/fix.h"

#include <nlohmann/json.hpp>

namespace dockerfix::cli {
namespace {

enum class Mode { Check, Diff, Apply };

struct FixOptions {
  std::vector<std::string> paths;
  std::vector<std::string> rules, skip;
  std::string user = "agent";
  uint32_t uid = 1000, gid = 1000;
  bool numeric_user = false;
  fix::Options tuning;  // retries and health-check timings
  std::string target;
  bool quiet = false;
  size_t max_size = kDefaultMaxSize;
  std::string format = "text";
};

// `check --format json`: one document for the run (schema in docs/check-json.md).
nlohmann::json finding_json(const Dockerfile& file, const fix::Finding& f) {
  auto [end_line, end_column] = file.position(f.span.end);
  nlohmann::json j{{"rule", f.rule},       {"message", f.message},       {"line", f.line},
                   {"column", f.column},   {"end_line", end_line},       {"end_column", end_column},
                   {"fixable", !f.fix.empty()}};
  if (!f.no_fix_reason.empty()) j["no_fix_reason"] = f.no_fix_reason;
  auto edits = nlohmann::json::array();
  for (const auto& e : f.fix) edits.push_back({{"start", e.range.begin}, {"end", e.range.end}, {"text", e.text}});
  j["fix"] = edits;
  return j;
}

std::vector<std::string> expand_paths(const std::vector<std::string>& in, int& code) {
  std::vector<std::string> out;
  for (const auto& p : in) {
    if (p != "-" && is_directory(p)) {
      std::vector<std::string> errors;
      find_files(p, false, out, errors);
      for (const auto& e : errors) {
        fmt::print(stderr, "dockerfix: {}\n", e);
        code = kExitUsage;
      }
    } else {
      out.push_back(p);
    }
  }
  return out;
}

std::string unified_diff(const std::string& path, const std::string& before, const std::string& after) {
  git_libgit2_init();
  git_patch* patch = nullptr;
  std::string name = path == "-" ? "stdin" : path;
  std::string out;
  // libgit2 adds the a/ and b/ prefixes itself.
  if (git_patch_from_buffers(&patch, before.data(), before.size(), name.c_str(), after.data(), after.size(), name.c_str(),
                             nullptr) == 0) {
    git_buf buf = GIT_BUF_INIT;
    if (git_patch_to_buf(&buf, patch) == 0) out.assign(buf.ptr, buf.size);
    git_buf_dispose(&buf);
    git_patch_free(patch);
  }
  git_libgit2_shutdown();
  return out;
}

// Writes through a temporary file in the same directory and renames it over
// the original, keeping its mode: a crash never leaves a half-written file.
bool write_atomically(const std::string& path, const std::string& text, std::string& error) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::path target(path);
  auto perms = fs::status(target, ec).permissions();
  fs::path tmp = target;
  tmp += ".dockerfix-tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
    if (!out) {
      error = path + ": cannot write " + tmp.string();
      fs::remove(tmp, ec);
      return false;
    }
  }
  fs::permissions(tmp, perms, ec);
  fs::rename(tmp, target, ec);
  if (ec) {
    error = path + ": cannot replace the file: " + ec.message();
    fs::remove(tmp, ec);
    return false;
  }
  return true;
}

int run(Mode mode, const FixOptions& o) {
  if (o.paths.empty()) {
    fmt::print(stderr, "dockerfix: give a FILE, a DIRECTORY or - (stdin)\n");
    return kExitUsage;
  }
  model::KnowledgeBase kb;
  try {
    kb = model::KnowledgeBase::builtin();
  } catch (const std::exception& e) {
    fmt::print(stderr, "dockerfix: {}\n", e.what());
    return kExitUsage;
  }
  fix::Options options = o.tuning;
  options.user = o.user;
  options.uid = o.uid;
  options.gid = o.gid;
  options.numeric_user = o.numeric_user;
  if (!o.target.empty()) options.model.target = o.target;
  fix::Selection selection{o.rules, o.skip};
  for (const auto& r : selection.only) {
    bool known = false;
    for (const auto& rule : fix::registry()) known = known || rule->id() == r;
    if (!known) {
      fmt::print(stderr, "dockerfix: unknown rule '{}'\n", r);
      return kExitUsage;
    }
  }
  int code = kExitOk;
  bool any = false;
  const bool json = mode == Mode::Check && o.format == "json";
  const bool sarif = mode == Mode::Check && o.format == "sarif";
  SarifLog sarif_log;
  nlohmann::json report{{"version", 1}, {"tool", "dockerfix"}, {"files", nlohmann::json::array()},
                        {"errors", nlohmann::json::array()}};
  // `apply -` passes refused input through unchanged, so `... > Dockerfile`
  // in a pipeline never truncates the file; the exit status says it failed.
  auto pass_through = [&](const std::string& path, const std::string& bytes) {
    if (mode == Mode::Apply && path == "-") std::fwrite(bytes.data(), 1, bytes.size(), stdout);
  };
  auto input_error = [&](const std::string& message) {
    if (json) report["errors"].push_back(message);
    if (sarif) sarif_log.add_error(message);
    fmt::print(stderr, "dockerfix: {}\n", message);
    code = kExitUsage;
  };
  for (const auto& path : expand_paths(o.paths, code)) {
    std::string bytes, error;
    if (!read_input(path, bytes, error)) {
      input_error(error);
      continue;
    }
    if (auto refused = refuse_input(path, bytes, o.max_size)) {
      input_error(*refused);
      pass_through(path, bytes);
      continue;
    }
    // What BuildKit would refuse is reported, never rewritten.
    Dockerfile file = parse(bytes, path);
    if (file.has_errors()) {
      for (const auto& d : file.diagnostics)
        if (d.severity == Severity::Error) {
          input_error(fmt::format("{}:{}:{}: {} ({})", path, d.line, d.column, d.message, d.code));
          break;
        }
      pass_through(path, bytes);
      continue;
    }
    model::Options mo = options.model;
    if (path != "-") mo.context = std::filesystem::absolute(path).parent_path();
    fix::Options po = options;
    po.model = mo;
    if (mode == Mode::Check) {
      auto found = fix::check(file, kb, po, selection);
      any = any || !found.empty();
      if (sarif) {
        for (const auto& f : found) sarif_log.add(file, path, f);
        continue;
      }
      if (json) {
        auto list = nlohmann::json::array();
        for (const auto& f : found) list.push_back(finding_json(file, f));
        report["files"].push_back({{"path", path}, {"findings", list}});
        continue;
      }
      for (const auto& f : found) {
        if (!o.quiet) fmt::print("{}:{}:{} {} {}{}\n", path, f.line, f.column, f.rule, f.message,
                                 f.fix.empty() && !f.no_fix_reason.empty() ? " (no fix: " + f.no_fix_reason + ")" : "");
      }
      continue;
    }
    auto result = fix::fix(bytes, path, kb, po, selection);
    for (const auto& r : result.rejected) fmt::print(stderr, "dockerfix: {}: fix dropped: {}\n", path, r);
    if (mode == Mode::Apply && path == "-") {
      std::fwrite(result.text.data(), 1, result.text.size(), stdout);
      continue;
    }
    if (result.text == bytes) continue;
    any = true;
    if (mode == Mode::Diff) {
      fmt::print("{}", unified_diff(path, bytes, result.text));
    } else {
      if (!write_atomically(path, result.text, error)) {
        fmt::print(stderr, "dockerfix: {}\n", error);
        code = kExitUsage;
        continue;
      }
      std::string rules;
      for (const auto& f : result.applied)
        if (rules.find(f.rule) == std::string::npos) rules += (rules.empty() ? "" : ", ") + f.rule;
      if (!o.quiet) fmt::print("fixed {} ({})\n", path, rules);
    }
  }
  if (json) fmt::print("{}\n", report.dump(2, ' ', false, nlohmann::json::error_handler_t::replace));
  if (sarif) fmt::print("{}\n", sarif_log.dump());
  if (code != kExitOk) return code;
  if (mode == Mode::Apply) return kExitOk;
  return any ? kExitFindings : kExitOk;
}

void common_options(CLI::App* sub, FixOptions& o) {
  sub->add_option("paths", o.paths, "Dockerfiles, directories, or - for stdin");
  // One id per flag (or comma-separated), so the flag never swallows paths.
  sub->add_option("--rule", o.rules, "Only this rule id (repeat, or a,b)")
      ->allow_extra_args(false)->delimiter(',');
  sub->add_option("--skip", o.skip, "Skip this rule id (repeat, or a,b)")
      ->allow_extra_args(false)->delimiter(',');
  sub->add_option("--user", o.user, "Name of the non-root user to create (default agent)");
  sub->add_option("--uid", o.uid, "uid for created users and explicit-uid (default 1000)");
  sub->add_option("--gid", o.gid, "gid for created groups (default 1000)");
  sub->add_flag("--numeric-user", o.numeric_user, "Write USER uid:gid (Kubernetes runAsNonRoot can verify it)");
  sub->add_option("--retries", o.tuning.retries, "Retries for curl, wget, apt-get and npm (default 3)");
  sub->add_option("--retry-delay", o.tuning.retry_delay, "curl --retry-delay seconds (default 5)");
  sub->add_option("--pip-retries", o.tuning.pip_retries, "pip --retries (default 5)");
  sub->add_option("--health-interval", o.tuning.health_interval, "HEALTHCHECK --interval (default 30s)");
  sub->add_option("--health-timeout", o.tuning.health_timeout, "HEALTHCHECK --timeout (default 5s)");
  sub->add_option("--health-start-period", o.tuning.health_start_period, "HEALTHCHECK --start-period (default 10s)");
  sub->add_option("--health-retries", o.tuning.health_retries, "HEALTHCHECK --retries (default 3)");
  sub->add_option("--target", o.target, "The stage that is built (default: the last)");
  sub->add_flag("-q,--quiet", o.quiet, "Print nothing; use the exit code");
  sub->add_option("--max-size", o.max_size, "Refuse files larger than this many bytes (default 1 MiB)");
}

Command add(CLI::App& app, Mode mode, const char* name, const char* help) {
  auto o = std::make_shared<FixOptions>();
  CLI::App* sub = app.add_subcommand(name, help);
  common_options(sub, *o);
  if (mode == Mode::Check)
    sub->add_option("--format", o->format, "text (default), json or sarif (SARIF 2.1.0)")
        ->check(CLI::IsMember({"text", "json", "sarif"}));
  return {sub, [o, mode] { return run(mode, *o); }};
}

}  // namespace

Command add_check_command(CLI::App& app) {
  auto command = add(app, Mode::Check, "check",
             "Report problems as FILE:LINE:COL RULE MESSAGE; exit 1 when there are any.\n"
             "Example: dockerfix check Dockerfile");
  return command;
}
Command add_diff_command(CLI::App& app) {
  return add(app, Mode::Diff, "diff",
             "Print the fixes as a unified diff without writing; exit 1 when there is a change.\n"
             "Example: dockerfix diff . | less");
}
Command add_apply_command(CLI::App& app) {
  return add(app, Mode::Apply, "apply",
             "Apply the fixes in place (atomically), or from stdin to stdout with -.\n"
             "Example: dockerfix apply Dockerfile; generate | dockerfix apply - > Dockerfile");
}

}  // namespace dockerfix::cli
