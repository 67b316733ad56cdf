#include "cli/finding_text.h"

#include <fmt/core.h>

#include "cli/terminal.h"

namespace dockerfix::cli {

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
                     fix::to_string(fix::severity_of(f)));
}

std::string summary_text(size_t findings, size_t fixable, size_t more) {
  std::string s = fmt::format("{} finding{}, {} fixable", findings, findings == 1 ? "" : "s", fixable);
  if (more) s += fmt::format(" ({} more with --unsafe-fixes)", more);
  return s + "\n";
}

}  // namespace dockerfix::cli
