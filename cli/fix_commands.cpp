// `dockerfix check`, `diff` and `apply`: findings, a dry-run unified diff
// (libgit2), and in-place fixes.

#include <algorithm>
#include <exception>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <fmt/core.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/atomic_write.h"
#include "cli/check_json.h"
#include "cli/ci_formats.h"
#include "cli/commands.h"
#include "cli/commit_command.h"
#include "cli/discovery.h"
#include "cli/file_io.h"
#include "cli/file_pipeline.h"
#include "cli/finding_text.h"
#include "cli/fix_options.h"
#include "cli/help_text.h"
#include "cli/input_file.h"
#include "cli/json_stream.h"
#include "cli/kubernetes_checks.h"
#include "cli/ordered_pool.h"
#include "cli/output.h"
#include "cli/sarif.h"
#include "cli/shellcheck.h"
#include "cli/terminal.h"
#include "cli/verify_command.h"
#include "cli/unified_diff.h"
#include "cli/version.h"
#include "dockerfix/fix.h"
#include "git/handles.h"
#include "transforms/pragmas.h"

namespace dockerfix::cli {
namespace {

enum class Mode { Check, Diff, Apply };

// What one file gives the run, worked out on a worker thread and written out
// by the calling thread in input order: what it prints, in order, and what it
// adds to the counts and the streamed JSON, SARIF or CI report.
struct FileReport {
  enum class Kind {
    InputError,  // "dockerfix: MESSAGE" on stderr; exit 2; listed in JSON/SARIF errors
    Stderr,
    Stdout,
    StdinRest,   // `apply -` of oversized input: the rest of stdin, copied through
    Write,       // apply: the fixed text goes into `opened`; then `text` (the "fixed" line) on stdout
  };
  struct Event {
    Kind kind;
    std::string text;
  };
  std::vector<Event> events;
  bool any = false;
  bool failing = false;  // check: a finding at or above the failure threshold
  size_t findings = 0, fixable = 0, more = 0;
  std::string json;                   // this file's entry in "files", rendered
  std::string sarif;                  // its results, rendered
  std::string ci;                     // its part of a checkstyle/codeclimate report, rendered
  std::unique_ptr<InputFile> opened;  // apply: the file to write
  std::string fixed;                  // apply: its new text
  std::optional<FileOutcome> checked;  // check: the file's rules have run; shellcheck's findings are still to add

  void say(Kind kind, std::string text) { events.push_back({kind, std::move(text)}); }
};

int run(Mode mode, const CLI::App& sub, FixOptions& o, const CommitCliOptions& commit, const VerifyCliOptions& verify) {
  if (!o.files_from.empty()) {
    // More paths than a command line holds (ARG_MAX), as parse takes them.
    std::string error;
    if (!read_file_list(o.files_from, o.paths, error)) {
      fmt::print(stderr, "dockerfix: {}\n", error);
      return kExitUsage;
    }
  }
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
  for (const auto& w : s.config.warnings) fmt::print(stderr, "dockerfix: warning: {}\n", w);
  if (verify.enabled && commit.commit) {
    fmt::print(stderr, "dockerfix: apply --verify --commit is not supported yet; run apply --verify, then commit\n");
    return kExitUsage;
  }
  if (mode == Mode::Apply && commit.commit) return finish_output(run_apply_commit(commit, o, s));
  const CLI::Option* format_flag = sub.get_option_no_throw("--format");
  const std::string format = (!format_flag || format_flag->count() == 0) && !s.format.empty() ? s.format : o.format;
  const bool json = mode == Mode::Check && format == "json";
  const bool sarif = mode == Mode::Check && format == "sarif";
  const bool ci = mode == Mode::Check && is_ci_format(format);
  const bool color = !json && !sarif && !ci && use_color(o.color, stdout);
  // check's text output ends with a summary. Only it says how many more
  // fixes --unsafe-fixes would make; counting them is a second fixed-point
  // run per file, done only when the summary is printed.
  const bool text_summary = mode == Mode::Check && !json && !sarif && !ci && !o.quiet;
  // `check`'s text: full (the default; `text` is its old name) or concise.
  const TextLayout layout{.full = mode == Mode::Check && format != "concise",
                          .color = color,
                          .width = text_width(stdout),
                          .unsafe_fixes = s.scope.unsafe};
  // shellcheck runs with check, when it is installed; without it, that is said once.
  const bool shellcheck = mode == Mode::Check && s.shellcheck && shellcheck_available();
  std::optional<Shellcheck> shellchecker;  // shared by the workers: each distinct script is checked once
  if (shellcheck) shellchecker.emplace(s.cache);
  if (mode == Mode::Check && s.shellcheck && !shellcheck && !o.quiet)
    fmt::print(stderr, "dockerfix: note: shellcheck is not installed; RUN scripts were not checked with it (--no-shellcheck hides this)\n");
  const bool color_err = use_color(o.color, stderr);
  int code = kExitOk;
  bool any = false;
  bool failing = false;  // check: a finding at or above the failure threshold
  // The one per-file pipeline (check, diff, apply, commits, the bot). With
  // `--verify` its Verifier fixes each file and keeps the fixes a build and
  // run of the image prove (cli/verify_command.h).
  Verifier verifier;
  try {
    if (verify.enabled) verifier = make_verifier(s, verify, o.quiet);
  } catch (const std::exception& e) {  // a bad --build-arg
    fmt::print(stderr, "dockerfix: {}\n", e.what());
    return kExitUsage;
  }
  const FilePipeline pipeline(s, verifier);
  // libgit2 initialised at most once for the run, not once per directory
  // discovery opens a repository in or per diff (each first initialisation
  // reads the system's certificates, milliseconds), and only when used:
  // `check Dockerfile` never opens a repository, and diff starts it at its
  // first patch. Not while a verifier runs: it may fork a watched worker,
  // which needs libgit2 uninitialised in the parent.
  // `--verify` builds and runs images, printing as it goes: one file at a time.
  std::optional<gitlayer::LibrarySession> libgit2;
  if (!pipeline.verifies()) libgit2.emplace();
  Discovered inputs = discover(o.paths, s.config);
  struct {
    size_t findings = 0, fixable = 0, more = 0, files = 0;
  } totals;
  Progress progress(inputs.files.size(), o.quiet);

  JsonArrayWriter json_files(1);
  std::vector<std::string> json_errors;
  SarifWriter sarif_log;
  CiWriter ci_log(format);
  // -q silences every format; the exit status still tells.
  auto doc = [&](const std::string& text) {
    if (!o.quiet) write_out(text);
  };
  if (json)
    doc("{\n" + json_member("version", 1, 1) + json_member("tool", "dockerfix", 1) + json_member("tool_version", kVersion, 1) +
        json_files.open("files"));
  if (sarif) doc(sarif_log.begin());
  if (ci) doc(ci_log.begin());

  auto input_error = [&](const std::string& message) {
    if (json) json_errors.push_back(message);
    if (ci) doc(ci_log.add_error(message.substr(0, message.find(':')), message));
    if (sarif) sarif_log.add_error(message);
    progress.clear();
    fmt::print(stderr, "{} {}\n", paint(color_err, Paint::Error, "dockerfix:"), message);
    code = kExitUsage;
  };
  for (const auto& e : inputs.errors) input_error(e);

  using Kind = FileReport::Kind;
  // check, once a file's rules have run: shellcheck's findings (when it ran)
  // merged in, the findings counted and rendered.
  auto report_check = [&](FileReport& report, const std::string& path, FileOutcome& out, ShellcheckResult* checked) {
    auto& found = out.review.findings;
    if (checked) {
      if (!checked->error.empty()) report.say(Kind::Stderr, fmt::format("dockerfix: {}: {}\n", path, checked->error));
      std::erase_if(checked->findings, [&](const fix::Finding& f) { return !s.selection.selected(f.rule); });
      fix::drop_ignored(*out.file, checked->findings, fix::rule_table(), s.options.model.build_args);
      found.insert(found.end(), checked->findings.begin(), checked->findings.end());
      std::stable_sort(found.begin(), found.end(),
                       [](const fix::Finding& a, const fix::Finding& b) { return a.span.begin < b.span.begin; });
    }
    for (auto& f : found) {
      s.set_severity(f);
      report.failing = report.failing || s.fails(f);
    }
    report.any = !found.empty();
    report.findings = found.size();
    report.fixable = out.review.fixable;
    report.more = out.review.more_with_unsafe;
    if (ci) {
      report.ci = CiWriter::render(format, path, found);
    } else if (sarif) {
      report.sarif = SarifWriter::results(*out.file, path, found);
    } else if (json) {
      append_file_json(report.json, *out.file, path, found);
    } else if (!o.quiet && !found.empty()) {
      std::string text;
      const std::optional<SourceLines> lines = layout.full ? std::optional(SourceLines(out.file->source)) : std::nullopt;
      const FindingWriter writer(path, layout, lines ? &*lines : nullptr);
      for (const auto& f : found) writer.write(text, f);
      report.say(Kind::Stdout, std::move(text));
    }
  };
  // Runs on a worker: everything but writing.
  auto work = [&](size_t index) {
    const Input input = inputs.files[index];
    const std::string& path = input.path;
    FileReport report;
    // `apply -` passes refused input through unchanged, so `... > Dockerfile`
    // in a pipeline never truncates the file; the exit status says it failed.
    // Input over the size limit was read only up to it: the rest is streamed.
    auto pass_through = [&](const std::string& bytes, bool rest = false) {
      if (mode != Mode::Apply || path != "-") return;
      report.say(Kind::Stdout, bytes);
      if (rest) report.say(Kind::StdinRest, {});
    };
    std::string bytes, error;
    auto opened = std::make_unique<InputFile>();
    if (auto status = open_input(input, s.max_size, *opened, bytes, error, mode == Mode::Apply);
        status != ReadStatus::Ok) {
      report.say(Kind::InputError, error);
      if (status == ReadStatus::TooLarge) pass_through(bytes, true);
      return report;
    }
    const std::optional<std::filesystem::path> context =
        path == "-" ? std::nullopt : std::optional(absolute_path(path).parent_path());
    if (mode == Mode::Check) {
      FileOutcome out = pipeline.check(path, bytes, context, text_summary);
      if (!out.error.empty()) {
        report.say(Kind::InputError, out.error);
        return report;
      }
      if (shellcheck) {
        report.checked = std::move(out);  // shellcheck's findings are added with those of the files around it
        return report;
      }
      report_check(report, path, out, nullptr);
      return report;
    }
    FileOutcome out = pipeline.fix(path, bytes, context);
    if (!out.error.empty()) {
      report.say(Kind::InputError, out.error);
      pass_through(bytes);
      return report;
    }
    auto& result = out.fixed;
    for (const auto& r : result.rejected) report.say(Kind::Stderr, fmt::format("dockerfix: {}: fix dropped: {}\n", path, r));
    if (mode == Mode::Apply && path == "-") {
      report.say(Kind::Stdout, std::move(result.text));
      return report;
    }
    if (result.text == bytes) return report;
    report.any = true;
    if (mode == Mode::Diff) {
      if (!o.quiet) report.say(Kind::Stdout, unified_diff(path, bytes, result.text, color));
      return report;
    }
    std::vector<std::string> rules;
    for (const auto& f : result.applied)
      if (std::find(rules.begin(), rules.end(), f.rule) == rules.end()) rules.push_back(f.rule);
    report.say(Kind::Write, o.quiet ? std::string()
                                    : fmt::format("{} {} ({} fix{}: {})\n", paint(color, Paint::Added, "fixed"),
                                                  paint(color, Paint::Path, path), result.applied.size(),
                                                  result.applied.size() == 1 ? "" : "es", fmt::join(rules, ", ")));
    report.opened = std::move(opened);
    report.fixed = std::move(result.text);
    return report;
  };
  // On the calling thread, in input order: printing, counting and writing
  // files (so the temporary-file cleanup on a signal runs where they are
  // written). `written`: how the report's file was written, when it has one.
  auto play = [&](size_t index, FileReport& report, const AtomicWriteBatch::Outcome* written) {
    progress.step(std::string(inputs.files.path(index)));
    any = any || report.any;
    failing = failing || report.failing;
    totals.findings += report.findings;
    totals.files += report.findings ? 1 : 0;
    totals.fixable += report.fixable;
    totals.more += report.more;
    if (json && !report.json.empty()) doc(json_files.item(report.json));
    if (!report.sarif.empty()) doc(sarif_log.add(report.sarif));
    if (!report.ci.empty()) doc(ci_log.add(report.ci));
    for (const auto& e : report.events) {
      switch (e.kind) {
        case Kind::InputError: input_error(e.text); break;
        case Kind::Stderr:
          progress.clear();
          fmt::print(stderr, "{}", e.text);
          break;
        case Kind::Stdout:
          progress.clear();
          write_out(e.text);
          break;
        case Kind::StdinRest: copy_stdin_to_out(); break;
        case Kind::Write: {
          progress.clear();
          if (!written->written) {
            input_error(written->error);
            break;
          }
          if (!written->note.empty()) fmt::print(stderr, "dockerfix: note: {}\n", written->note);
          write_out(e.text);
          break;
        }
      }
    }
  };
  // apply writes its files a batch at a time (cli/atomic_write.h: the
  // temporaries flushed together, each directory flushed once). Reports
  // wait here in input order from the first one with a file to write until
  // the batch is full (or enough reports wait, or the run ends); then the
  // files are written and every report played in order: the output is what
  // writing one file at a time printed, and a file is said to be fixed only
  // once it is on disk.
  constexpr size_t kMaxWaiting = 4 * AtomicWriteBatch::kMaxFiles;
  std::vector<std::pair<size_t, FileReport>> waiting;
  size_t waiting_writes = 0;
  auto write_waiting = [&] {
    if (waiting.empty()) return;
    auto reports = std::move(waiting);  // taken first: a throw while playing never plays a report twice
    waiting.clear();
    waiting_writes = 0;
    std::vector<AtomicWriteBatch::Outcome> outcomes;
    {
      AtomicWriteBatch batch;
      for (auto& [index, report] : reports)
        if (report.opened) batch.add(*report.opened, report.fixed);
      outcomes = batch.commit();
    }
    size_t k = 0;
    for (auto& [index, report] : reports) play(index, report, report.opened ? &outcomes[k++] : nullptr);
  };
  auto emit = [&](size_t index, FileReport&& report) {
    if (waiting.empty() && !report.opened) return play(index, report, nullptr);
    waiting_writes += report.opened ? 1 : 0;
    waiting.emplace_back(index, std::move(report));
    if (waiting_writes == AtomicWriteBatch::kMaxFiles || waiting.size() >= kMaxWaiting) write_waiting();
  };
  const unsigned jobs = verify.enabled ? 1 : workers_for(o.jobs);
  auto dispatch = [&] {
    if (!shellchecker) {
      run_ordered<FileReport>(inputs.files.size(), jobs, work, emit);
    } else {
      // A few files at a time, so that the scripts none of them has seen
      // share one shellcheck process (starting one costs as much as checking
      // a script or two); still in input order, and as many files wait at a
      // time as the chunks hold.
      constexpr size_t kChunk = 8;
      const size_t n = inputs.files.size();
      struct Chunk {
        std::vector<FileReport> reports;
        std::exception_ptr error;  // from the file after the last report, rethrown in its turn
      };
      run_ordered<Chunk>(
          (n + kChunk - 1) / kChunk, jobs,
          [&](size_t c) {
            Chunk chunk;
            for (size_t i = c * kChunk; i < std::min(n, (c + 1) * kChunk); ++i) {
              try {
                chunk.reports.push_back(work(i));
              } catch (...) {
                chunk.error = std::current_exception();
                break;
              }
            }
            // The rules' models: what shellcheck reads of one (stages, SHELL, ARG
            // and ENV names) does not depend on the build context.
            std::vector<ShellcheckInput> scripts;
            for (const auto& r : chunk.reports)
              if (r.checked) scripts.push_back({&*r.checked->file, r.checked->review.model.get()});
            auto checked = shellchecker->check(scripts);
            size_t k = 0;
            for (size_t i = 0; i < chunk.reports.size(); ++i)
              if (auto& out = chunk.reports[i].checked) {
                report_check(chunk.reports[i], std::string(inputs.files.path(c * kChunk + i)), *out, &checked[k++]);
                out.reset();
              }
            return chunk;
          },
          [&](size_t c, Chunk&& chunk) {
            for (size_t i = 0; i < chunk.reports.size(); ++i) emit(c * kChunk + i, std::move(chunk.reports[i]));
            if (chunk.error) std::rethrow_exception(chunk.error);
          });
    }
  };
  try {
    dispatch();
  } catch (...) {
    // A file failed unexpectedly: those before it are written, as when each
    // was written in its turn.
    write_waiting();
    throw;
  }
  write_waiting();

  progress.clear();
  // Kubernetes manifests and Helm charts against the images (issue 16).
  KubeSinks kube{static_cast<KubeMode>(mode), json, sarif, color, o.quiet,
                 [&](const std::string& path, const nlohmann::json& findings) {
                   doc(json_files.item(json_at({{"path", path}, {"findings", findings}}, 2)));
                 },
                 [&](const std::string& rendered) { doc(sarif_log.add(rendered)); }, totals.findings, totals.fixable,
                 totals.more, any, input_error, [](const std::string& t) { write_out(t); }};
  if (ci)
    kube.ci_file = [&](const std::string& path, const std::vector<fix::Finding>& found) {
      doc(ci_log.add(CiWriter::render(format, path, found)));
    };
  kube.failing = &failing;
  kube.layout = layout;
  kube.files = &totals.files;
  run_kubernetes_pass(inputs.directories, s, kube);
  if (text_summary && totals.findings)
    write_out(summary_text(layout, totals.findings, totals.files, totals.fixable, totals.more));
  if (json) {
    std::string tail = json_files.close(false);
    JsonArrayWriter errors(1);
    tail += errors.open("errors");
    for (const auto& e : json_errors) tail += errors.item(json_at(e, 2));
    doc(tail + errors.close(true) + "}\n");
  }
  if (sarif) doc(sarif_log.end() + "\n");
  if (ci) doc(ci_log.end());
  // check fails on findings at or above the failure threshold; diff on any change.
  if (code == kExitOk && (mode == Mode::Check ? failing : mode == Mode::Diff && any)) code = kExitFindings;
  return finish_output(code);
}

Command add(CLI::App& app, Mode mode, const char* name) {
  auto o = std::make_shared<FixOptions>();
  auto commit = std::make_shared<CommitCliOptions>();
  auto verify = std::make_shared<VerifyCliOptions>();
  const HelpText& help = help_text(name);
  CLI::App* sub = app.add_subcommand(name, help.brief());
  std::string rules = "Rules (--rule, --skip, # dockerfix ignore=; dockerfix rules lists their aliases):\n";
  for (const fix::RuleInfo* rule : fix::rule_table()) rules += fmt::format("  {:<26}{}\n", rule->id, rule->title);
  sub->footer(rules + "\n" + help.footer());
  add_fix_options(sub, *o);
  if (mode == Mode::Check)
    sub->add_option("-f,--format", o->format,
                    "full (default; also `text`, and hadolint's `tty`): each finding with its source line, a caret and "
                    "its fix; concise: one line a finding; json (docs/check-json.md); sarif (SARIF 2.1.0); checkstyle, "
                    "codeclimate or gitlab_codeclimate")
        ->transform(CLI::Transformer({{"tty", "text"}}))
        ->check(CLI::IsMember({"full", "text", "concise", "json", "sarif", "checkstyle", "codeclimate", "gitlab_codeclimate"}));
  if (mode == Mode::Check)
    sub->add_flag("--no-cache", o->no_cache,
                  "Neither read nor write the cache of shellcheck's results (cache: false; kept under "
                  "$DOCKERFIX_CACHE_DIR/shellcheck, else $XDG_CACHE_HOME/dockerfix/shellcheck, else "
                  "~/.cache/dockerfix/shellcheck; docs/config.md)");
  if (mode == Mode::Apply) add_commit_options(sub, *commit);
  if (mode != Mode::Check) add_verify_options(sub, *verify, true);
  return {sub, [o, commit, verify, mode, sub] { return run(mode, *sub, *o, *commit, *verify); }};
}

}  // namespace

Command add_check_command(CLI::App& app) { return add(app, Mode::Check, "check"); }
Command add_diff_command(CLI::App& app) { return add(app, Mode::Diff, "diff"); }
Command add_apply_command(CLI::App& app) { return add(app, Mode::Apply, "apply"); }

}  // namespace dockerfix::cli
