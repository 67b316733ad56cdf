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

// The concise line, the message and the reason given as they are shown.
void finding_line(std::string& out, std::string_view path, const fix::Finding& f, std::string_view message,
                  std::string_view no_fix_reason, bool color) {
  const bool has_fix = !f.fix.empty() || f.after_other_fixes;
  const std::string_view mark =
      f.applicability == fix::Applicability::Unsafe && has_fix ? " [unsafe]" : f.will_fix ? " [*]" : "";
  if (!path.empty()) paint_to(out, color, Paint::Path, path);
  paint_open(out, color, Paint::Location);
  if (!path.empty()) out += ':';
  out += std::to_string(f.line);
  out += ':';
  out += std::to_string(f.column);
  paint_close(out, color);
  out += ' ';
  paint_to(out, color, Paint::Rule, f.rule);
  out += ' ';
  out += message;
  paint_to(out, color, Paint::Added, mark);
  paint_open(out, color, Paint::Note);
  if (f.after_other_fixes) {
    out += " (once other fixes are made)";
  } else if (!has_fix && !no_fix_reason.empty()) {
    out += " (no fix: ";
    out += no_fix_reason;
    out += ')';
  }
  paint_close(out, color);
  // The severity goes last, so `FILE:LINE:COL RULE MESSAGE` stays what it was.
  out += " (";
  out += fix::to_string(f.severity);
  out += ")\n";
}

}  // namespace

std::string finding_text(const std::string& path, const fix::Finding& f, bool color) {
  std::string out;
  finding_line(out, path, f, f.message, f.no_fix_reason, color);
  return out;
}

std::string summary_text(size_t findings, size_t fixable, size_t more) {
  std::string s = fmt::format("{} finding{}, {} fixable", findings, findings == 1 ? "" : "s", fixable);
  if (more) s += fmt::format(" ({} more with --unsafe-fixes)", more);
  return s + "\n";
}

FindingWriter::FindingWriter(std::string_view path, const TextLayout& how, const SourceLines* source)
    : how_(how), source_(source) {
  append_escaped_controls(path_, path);
}

void FindingWriter::write(std::string& out, const fix::Finding& f) const {
  // What a line quotes from the file or its path cannot drive the terminal
  // nor break the line (a newline or carriage return in a path or a quoted
  // word): concise output stays one line a finding for grep and scripts.
  std::string message, reason;
  append_escaped_controls(message, f.message);
  append_escaped_controls(reason, f.no_fix_reason);
  finding_line(out, path_, f, message, reason, how_.color);
  // The full layout's first line is the concise one, so what greps the one
  // form greps the other.
  if (!how_.full) return;
  static const SourceLines none{std::string_view()};
  Snippet snippet(source_ ? *source_ : none, how_.color, how_.width);
  // A finding about the file as a whole (line 0), or one whose text is not
  // at hand (a Helm template), gets no source line.
  if (source_ && f.line >= 1 && f.line <= source_->count()) {
    const uint32_t start = source_->start(f.line);
    const auto length = static_cast<uint32_t>(source_->line(f.line).size());
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
    const bool flag = unsafe || (how_.unsafe_fixes && f.after_other_fixes);
    std::optional<LineChange> change = source_ ? one_line_change(*source_, f.fix) : std::nullopt;
    const bool shown = change && snippet.change(*change);
    std::string note = unsafe ? "unsafe fix available: dockerfix apply" : "fix available: dockerfix apply";
    if (flag) note += " --unsafe-fixes";
    if (!shown) note += flag ? " (dockerfix diff --unsafe-fixes shows it)" : " (dockerfix diff shows it)";
    snippet.note(std::move(note));
  }
  snippet.render_to(out);
  out += '\n';
}

std::string finding_text(const std::string& path, const fix::Finding& f, const TextLayout& how, const SourceLines* source) {
  std::string out;
  FindingWriter(path, how, source).write(out, f);
  return out;
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
