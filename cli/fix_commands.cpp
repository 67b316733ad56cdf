// `dockerfix check`, `diff` and `apply`: findings, a dry-run unified diff
// (libgit2), and in-place fixes.
#include <git2.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <fmt/core.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/atomic_write.h"
#include "cli/commands.h"
#include "cli/commit_command.h"
#include "cli/discovery.h"
#include "cli/file_io.h"
#include "cli/fix_options.h"
#include "cli/help_text.h"
#include "cli/input_check.h"
#include "cli/sarif.h"
#include "cli/terminal.h"
#include "cli/verify_command.h"
#include "dockerfix/fix.h"

namespace dockerfix::cli {
namespace {

enum class Mode { Check, Diff, Apply };

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

std::string finding_text(const std::string& path, const fix::Finding& f, bool color) {
  std::string note = f.fix.empty() && !f.no_fix_reason.empty() ? " (no fix: " + f.no_fix_reason + ")" : "";
  return fmt::format("{}{} {} {}{}\n", paint(color, Paint::Path, path),
                     paint(color, Paint::Location, fmt::format(":{}:{}", f.line, f.column)),
                     paint(color, Paint::Rule, f.rule), f.message, paint(color, Paint::Note, note));
}

std::string unified_diff(const std::string& path, const std::string& before, const std::string& after, bool color) {
  git_libgit2_init();
  git_patch* patch = nullptr;
  std::string name = path == "-" ? "stdin" : path;
  std::string out;
  // libgit2 adds the a/ and b/ prefixes itself.
  if (git_patch_from_buffers(&patch, before.data(), before.size(), name.c_str(), after.data(), after.size(),
                             name.c_str(), nullptr) == 0) {
    git_buf buf = GIT_BUF_INIT;
    if (git_patch_to_buf(&buf, patch) == 0) out.assign(buf.ptr, buf.size);
    git_buf_dispose(&buf);
    git_patch_free(patch);
  }
  git_libgit2_shutdown();
  if (!color) return out;
  std::string painted;
  for (size_t pos = 0; pos < out.size();) {
    size_t nl = out.find('\n', pos);
    size_t end = nl == std::string::npos ? out.size() : nl;
    std::string_view line(out.data() + pos, end - pos);
    Paint p = line.starts_with("+++") || line.starts_with("---") ? Paint::Path
              : line.starts_with("@@")                          ? Paint::Hunk
              : line.starts_with('+')                           ? Paint::Added
              : line.starts_with('-')                           ? Paint::Removed
                                                                : Paint::Note;
    painted += p == Paint::Note ? std::string(line) : paint(true, p, line);
    if (nl != std::string::npos) painted += '\n';
    pos = end + 1;
  }
  return painted;
}

int run(Mode mode, const CLI::App& sub, FixOptions& o, const CommitCliOptions& commit, const VerifyCliOptions& verify) {
  if (o.paths.empty() && !commit.commit) {  // --commit without paths: the whole repository
    fmt::print(stderr, "dockerfix: give a FILE, a DIRECTORY or - (stdin); see dockerfix {} --help\n", sub.get_name());
    return kExitUsage;
  }
  Settings s;
  try {
    s = resolve_settings(sub, o);
  } catch (const std::exception& e) {
    fmt::print(stderr, "dockerfix: {}\n", e.what());
    return kExitUsage;
  }
  if (verify.enabled && commit.commit) {
    fmt::print(stderr, "dockerfix: apply --verify --commit is not supported yet; run apply --verify, then commit\n");
    return kExitUsage;
  }
  if (mode == Mode::Apply && commit.commit) return run_apply_commit(commit, o, s);
  const bool json = mode == Mode::Check && o.format == "json";
  const bool sarif = mode == Mode::Check && o.format == "sarif";
  const bool color = !json && !sarif && use_color(o.color, stdout);
  const bool color_err = use_color(o.color, stderr);
  int code = kExitOk;
  bool any = false;
  SarifLog sarif_log;
  nlohmann::json report{{"version", 1}, {"tool", "dockerfix"}, {"files", nlohmann::json::array()},
                        {"errors", nlohmann::json::array()}};
  Discovered inputs = discover(o.paths, s.config);
  Progress progress(inputs.files.size(), o.quiet);

  // `apply -` passes refused input through unchanged, so `... > Dockerfile`
  // in a pipeline never truncates the file; the exit status says it failed.
  auto pass_through = [&](const std::string& path, const std::string& bytes) {
    if (mode == Mode::Apply && path == "-") std::fwrite(bytes.data(), 1, bytes.size(), stdout);
  };
  auto input_error = [&](const std::string& message) {
    if (json) report["errors"].push_back(message);
    if (sarif) sarif_log.add_error(message);
    progress.clear();
    fmt::print(stderr, "{} {}\n", paint(color_err, Paint::Error, "dockerfix:"), message);
    code = kExitUsage;
  };
  for (const auto& e : inputs.errors) input_error(e);

  for (const auto& [path, tree] : inputs.files) {
    progress.step(path);
    std::string bytes, error;
    // A huge file is refused from its size alone, before it is read into memory.
    std::error_code size_ec;
    if (auto size = path == "-" ? 0 : std::filesystem::file_size(path, size_ec); !size_ec && size > s.max_size) {
      input_error(too_large(path, size, s.max_size));
      continue;
    }
    if (!read_input(path, bytes, error)) {
      input_error(error);
      continue;
    }
    if (auto refused = refuse_input(path, bytes, s.max_size)) {
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
    fix::Options po = s.options;
    if (path != "-") po.model.context = std::filesystem::absolute(path).parent_path();
    if (mode == Mode::Check) {
      auto found = fix::check(file, s.kb, po, s.selection);
      any = any || !found.empty();
      if (sarif) {
        for (const auto& f : found) sarif_log.add(file, path, f);
      } else if (json) {
        auto list = nlohmann::json::array();
        for (const auto& f : found) list.push_back(finding_json(file, f));
        report["files"].push_back({{"path", path}, {"findings", list}});
      } else if (!o.quiet && !found.empty()) {
        progress.clear();
        for (const auto& f : found) fmt::print("{}", finding_text(path, f, color));
      }
      continue;
    }
    std::string verify_error;
    auto result = verify.enabled ? verified_fix(path, bytes, s, po, verify, o.quiet, verify_error)
                                 : fix::fix(std::move(file), s.kb, po, s.selection);
    if (!verify_error.empty()) {
      input_error(verify_error);
      pass_through(path, bytes);
      continue;
    }
    if (!result.rejected.empty()) progress.clear();
    for (const auto& r : result.rejected) fmt::print(stderr, "dockerfix: {}: fix dropped: {}\n", path, r);
    if (mode == Mode::Apply && path == "-") {
      std::fwrite(result.text.data(), 1, result.text.size(), stdout);
      continue;
    }
    if (result.text == bytes) continue;
    any = true;
    progress.clear();
    if (mode == Mode::Diff) {
      if (!o.quiet) fmt::print("{}", unified_diff(path, bytes, result.text, color));
      continue;
    }
    if (!write_atomically(path, result.text, tree, error)) {
      input_error(error);
      continue;
    }
    std::vector<std::string> rules;
    for (const auto& f : result.applied)
      if (std::find(rules.begin(), rules.end(), f.rule) == rules.end()) rules.push_back(f.rule);
    if (!o.quiet)
      fmt::print("{} {} ({} fix{}: {})\n", paint(color, Paint::Added, "fixed"), paint(color, Paint::Path, path),
                 result.applied.size(), result.applied.size() == 1 ? "" : "es", fmt::join(rules, ", "));
  }
  progress.clear();
  if (json) fmt::print("{}\n", report.dump(2, ' ', false, nlohmann::json::error_handler_t::replace));
  if (sarif) fmt::print("{}\n", sarif_log.dump());
  if (code != kExitOk) return code;
  if (mode == Mode::Apply) return kExitOk;
  return any ? kExitFindings : kExitOk;
}

Command add(CLI::App& app, Mode mode, const char* name) {
  auto o = std::make_shared<FixOptions>();
  auto commit = std::make_shared<CommitCliOptions>();
  auto verify = std::make_shared<VerifyCliOptions>();
  const HelpText& help = help_text(name);
  CLI::App* sub = app.add_subcommand(name, help.brief());
  std::string rules = "Rules (--rule, --skip, # dockerfix ignore=):\n";
  for (const auto& rule : fix::registry()) rules += fmt::format("  {:<26}{}\n", rule->id(), rule->summary());
  sub->footer(rules + "\n" + help.footer());
  add_fix_options(sub, *o);
  if (mode == Mode::Check)
    sub->add_option("--format", o->format, "text (default), json (docs/check-json.md) or sarif (SARIF 2.1.0)")
        ->check(CLI::IsMember({"text", "json", "sarif"}));
  if (mode == Mode::Apply) add_commit_options(sub, *commit);
  if (mode != Mode::Check) add_verify_options(sub, *verify, true);
  return {sub, [o, commit, verify, mode, sub] { return run(mode, *sub, *o, *commit, *verify); }};
}

}  // namespace

Command add_check_command(CLI::App& app) { return add(app, Mode::Check, "check"); }
Command add_diff_command(CLI::App& app) { return add(app, Mode::Diff, "diff"); }
Command add_apply_command(CLI::App& app) { return add(app, Mode::Apply, "apply"); }

}  // namespace dockerfix::cli
