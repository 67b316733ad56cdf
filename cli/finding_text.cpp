#include "cli/finding_text.h"

#include <algorithm>

#include <fmt/core.h>

#include "cli/display_text.h"
#include "cli/terminal.h"

namespace dockerfix::cli {
namespace {

Paint caret_paint(const fix::Finding& f) {
  switch (f.severity) {
    case fix::Severity::Error: return Paint::Error;
    case fix::Severity::Warning: return Paint::Warning;
    default: return Paint::Info;
  }
}

std::string plural(size_t n, std::string_view word) { return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s"); }

}  // namespace

std::string finding_text(const std::string& path, const fix::Finding& f, bool color) {
  const bool has_fix = !f.fix.empty() || f.after_other_fixes;
  std::string mark = f.applicability == fix::Applicability::Unsafe && has_fix ? " [unsafe]" : f.will_fix ? " [*]" : "";
  std::string note = f.after_other_fixes ? " (once other fixes are made)"
                     : !has_fix && !f.no_fix_reason.empty() ? " (no fix: " + f.no_fix_reason + ")"
                                                           : "";
  std::string where = fmt::format("{}:{}", f.line, f.column);
  // The severity goes last, so `FILE:LINE:COL RULE MESSAGE` stays what it was.
  return fmt::format("{}{} {} {}{}{} ({})\n", path.empty() ? "" : paint(color, Paint::Path, path),
                     paint(color, Paint::Location, path.empty() ? where : ":" + where), paint(color, Paint::Rule, f.rule),
                     f.message, paint(color, Paint::Added, mark), paint(color, Paint::Note, note),
                     fix::to_string(f.severity));
}

std::string summary_text(size_t findings, size_t fixable, size_t more) {
  std::string s = fmt::format("{} finding{}, {} fixable", findings, findings == 1 ? "" : "s", fixable);
  if (more) s += fmt::format(" ({} more with --unsafe-fixes)", more);
  return s + "\n";
}

std::string finding_text(const std::string& path, const fix::Finding& f, const TextLayout& how, const SourceLines* source) {
  if (!how.full) return finding_text(path, f, how.color);
  // The first line is the concise one, so what greps the one form greps the
  // other; but what it quotes from the file cannot drive the terminal.
  fix::Finding shown = f;
  shown.message = escape_controls(f.message);
  shown.no_fix_reason = escape_controls(f.no_fix_reason);
  std::string out = finding_text(escape_controls(path), shown, how.color);
  static const SourceLines none{std::string_view()};
  Snippet snippet(source ? *source : none, how.color, how.width);
  // A finding about the file as a whole (line 0), or one whose text is not
  // at hand (a Helm template), gets no source line.
  if (source && f.line >= 1 && f.line <= source->count()) {
    const uint32_t start = source->start(f.line);
    const auto length = static_cast<uint32_t>(source->line(f.line).size());
    const uint32_t begin = std::min(length, static_cast<uint32_t>(std::max(f.column, 1) - 1));
    uint32_t end = begin;
    // The span's end on this line (a span over several lines: to the line's end).
    if (f.span.begin == start + begin && f.span.end > f.span.begin) end = std::min(length, f.span.end - start);
    snippet.mark(f.line, begin, end, caret_paint(f));
  }
  if (f.will_fix || !f.fix.empty() || f.after_other_fixes) {
    const bool unsafe = f.applicability == fix::Applicability::Unsafe;
    // In a run with --unsafe-fixes, a fix that shows up once other fixes
    // are made may rest on an unsafe one: apply makes it with the same flag.
    const bool flag = unsafe || (how.unsafe_fixes && f.after_other_fixes);
    std::optional<LineChange> change = source ? one_line_change(*source, f.fix) : std::nullopt;
    const bool shown = change && snippet.change(*change);
    snippet.note(fmt::format("{}fix available: dockerfix apply{}{}", unsafe ? "unsafe " : "", flag ? " --unsafe-fixes" : "",
                             shown ? "" : flag ? " (dockerfix diff --unsafe-fixes shows it)" : " (dockerfix diff shows it)"));
  }
  return out + snippet.render() + "\n";
}

std::string summary_text(const TextLayout& how, size_t findings, size_t files, size_t fixable, size_t more) {
  if (!how.full) return findings ? summary_text(findings, fixable, more) : std::string();
  if (!findings) return {};
  const std::string command = how.unsafe_fixes ? "dockerfix apply --unsafe-fixes" : "dockerfix apply";
  std::string fixes;
  if (fixable && more)
    fixes = fmt::format("{} fixable with {}; {} more with dockerfix apply --unsafe-fixes",
                        paint(how.color, Paint::Added, std::to_string(fixable)), command,
                        paint(how.color, Paint::Added, std::to_string(more)));
  else if (fixable || more)
    fixes = fmt::format("{} fixable with {}", paint(how.color, Paint::Added, std::to_string(fixable + more)),
                        fixable ? command : "dockerfix apply --unsafe-fixes");
  else
    fixes = "none fixable";
  return fmt::format("{} ({})\n", paint(how.color, Paint::Path, fmt::format("Found {} in {}", plural(findings, "finding"), plural(files, "file"))),
                     fixes);
}

}  // namespace dockerfix::cli
