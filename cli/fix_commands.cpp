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
#include "cli/file_pipeline.h"
#include "cli/finding_text.h"
#include "cli/fix_options.h"
#include "cli/help_text.h"
#include "cli/input_file.h"
#include "cli/output.h"
#include "cli/sarif.h"
#include "cli/terminal.h"
#include "cli/version.h"
#include "dockerfix/fix.h"

namespace dockerfix::cli {
namespace {

enum class Mode { Check, Diff, Apply };

// `check --format json`: one document for the run (schema in docs/check-json.md).
nlohmann::json finding_json(const Dockerfile& file, const fix::Finding& f) {
  auto [end_line, end_column] = file.position(f.span.end);
  const bool has_fix = !f.fix.empty() || f.after_other_fixes;
  nlohmann::json j{{"rule", f.rule},
                   {"message", f.message},
                   {"line", f.line},
                   {"column", f.column},
                   {"end_line", end_line},
                   {"end_column", end_column},
                   {"severity", fix::to_string(f.severity)},
                   {"fixable", f.will_fix},
                   {"applicability", has_fix ? nlohmann::json(fix::to_string(f.applicability)) : nlohmann::json(nullptr)}};
  if (f.after_other_fixes) j["after_other_fixes"] = true;
  if (!f.no_fix_reason.empty()) j["no_fix_reason"] = f.no_fix_reason;
  auto edits = nlohmann::json::array();
  for (const auto& e : f.fix) edits.push_back({{"start", e.range.begin}, {"end", e.range.end}, {"text", e.text}});
  j["fix"] = edits;
  return j;
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

int run(Mode mode, const CLI::App& sub, FixOptions& o, const CommitCliOptions& commit) {
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
  if (mode == Mode::Apply && commit.commit) return finish_output(run_apply_commit(commit, o, s));
  const bool json = mode == Mode::Check && o.format == "json";
  const bool sarif = mode == Mode::Check && o.format == "sarif";
  const bool color = !json && !sarif && use_color(o.color, stdout);
  const bool color_err = use_color(o.color, stderr);
  int code = kExitOk;
  bool any = false;
  SarifLog sarif_log;
  nlohmann::json report{{"version", 1}, {"tool", "dockerfix"}, {"tool_version", kVersion}, {"files", nlohmann::json::array()},
                        {"errors", nlohmann::json::array()}};
  Discovered inputs = discover(o.paths, s.config);
  // The one per-file pipeline (check, diff, apply, commits). `--verify`
  // passes its Verifier as the second argument: it runs after fixing and may
  // drop rules, and the file is then fixed again without them.
  const FilePipeline pipeline(s);
  struct {
    size_t findings = 0, fixable = 0, more = 0;
  } totals;
  Progress progress(inputs.files.size(), o.quiet);

  // `apply -` passes refused input through unchanged, so `... > Dockerfile`
  // in a pipeline never truncates the file; the exit status says it failed.
  // Input over the size limit was read only up to it: the rest is streamed.
  auto pass_through = [&](const std::string& path, const std::string& bytes, bool rest = false) {
    if (mode == Mode::Apply && path == "-" && write_out(bytes) && rest) copy_stdin_to_out();
  };
  auto input_error = [&](const std::string& message) {
    if (json) report["errors"].push_back(message);
    if (sarif) sarif_log.add_error(message);
    progress.clear();
    fmt::print(stderr, "{} {}\n", paint(color_err, Paint::Error, "dockerfix:"), message);
    code = kExitUsage;
  };
  for (const auto& e : inputs.errors) input_error(e);

  for (const Input& input : inputs.files) {
    const std::string& path = input.path;
    progress.step(path);
    std::string bytes, error;
    InputFile opened;
    if (auto status = open_input(input, s.max_size, opened, bytes, error); status != ReadStatus::Ok) {
      input_error(error);
      if (status == ReadStatus::TooLarge) pass_through(path, bytes, true);
      continue;
    }
    const std::optional<std::filesystem::path> context =
        path == "-" ? std::nullopt : std::optional(std::filesystem::absolute(path).parent_path());
    if (mode == Mode::Check) {
      FileOutcome out = pipeline.check(path, bytes, context);
      if (!out.error.empty()) {
        input_error(out.error);
        continue;
      }
      const auto& found = out.review.findings;
      any = any || !found.empty();
      totals.findings += found.size();
      totals.fixable += out.review.fixable;
      totals.more += out.review.more_with_unsafe;
      if (sarif) {
        for (const auto& f : found) sarif_log.add(*out.file, path, f);
      } else if (json) {
        auto list = nlohmann::json::array();
        for (const auto& f : found) list.push_back(finding_json(*out.file, f));
        report["files"].push_back({{"path", path}, {"findings", list}});
      } else if (!o.quiet && !found.empty()) {
        progress.clear();
        for (const auto& f : found) write_out(finding_text(path, f, color));
      }
      continue;
    }
    FileOutcome out = pipeline.fix(path, bytes, context);
    if (!out.error.empty()) {
      input_error(out.error);
      pass_through(path, bytes);
      continue;
    }
    auto& result = out.fixed;
    if (!result.rejected.empty()) progress.clear();
    for (const auto& r : result.rejected) fmt::print(stderr, "dockerfix: {}: fix dropped: {}\n", path, r);
    if (mode == Mode::Apply && path == "-") {
      write_out(result.text);
      continue;
    }
    if (result.text == bytes) continue;
    any = true;
    progress.clear();
    if (mode == Mode::Diff) {
      if (!o.quiet) write_out(unified_diff(path, bytes, result.text, color));
      continue;
    }
    std::string note;
    if (!write_atomically(opened, result.text, error, note)) {
      input_error(error);
      continue;
    }
    if (!note.empty()) fmt::print(stderr, "dockerfix: note: {}\n", note);
    std::vector<std::string> rules;
    for (const auto& f : result.applied)
      if (std::find(rules.begin(), rules.end(), f.rule) == rules.end()) rules.push_back(f.rule);
    if (!o.quiet)
      write_out(fmt::format("{} {} ({} fix{}: {})\n", paint(color, Paint::Added, "fixed"),
                            paint(color, Paint::Path, path), result.applied.size(),
                            result.applied.size() == 1 ? "" : "es", fmt::join(rules, ", ")));
  }
  progress.clear();
  if (mode == Mode::Check && !json && !sarif && !o.quiet && totals.findings)
    write_out(summary_text(totals.findings, totals.fixable, totals.more));
  if (json) write_out(report.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
  if (sarif) write_out(sarif_log.dump() + "\n");
  if (code == kExitOk && mode != Mode::Apply && any) code = kExitFindings;
  return finish_output(code);
}

Command add(CLI::App& app, Mode mode, const char* name) {
  auto o = std::make_shared<FixOptions>();
  auto commit = std::make_shared<CommitCliOptions>();
  const HelpText& help = help_text(name);
  CLI::App* sub = app.add_subcommand(name, help.brief());
  std::string rules = "Rules (--rule, --skip, # dockerfix ignore=; dockerfix rules lists their aliases):\n";
  for (const fix::RuleInfo* rule : fix::rule_table()) rules += fmt::format("  {:<26}{}\n", rule->id, rule->title);
  sub->footer(rules + "\n" + help.footer());
  add_fix_options(sub, *o);
  if (mode == Mode::Check)
    sub->add_option("--format", o->format, "text (default), json (docs/check-json.md) or sarif (SARIF 2.1.0)")
        ->check(CLI::IsMember({"text", "json", "sarif"}));
  if (mode == Mode::Apply) add_commit_options(sub, *commit);
  return {sub, [o, commit, mode, sub] { return run(mode, *sub, *o, *commit); }};
}

}  // namespace

Command add_check_command(CLI::App& app) { return add(app, Mode::Check, "check"); }
Command add_diff_command(CLI::App& app) { return add(app, Mode::Diff, "diff"); }
Command add_apply_command(CLI::App& app) { return add(app, Mode::Apply, "apply"); }

}  // namespace dockerfix::cli
