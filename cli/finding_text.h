// One finding as `check` prints it, and the run's closing summary, in the
// two text layouts:
//  concise  `PATH:LINE:COL RULE MESSAGE [*] (SEVERITY)`, one line a finding, and
//           `N findings, M fixable (K more with --unsafe-fixes)`; the rule
//           case fixtures (findings.txt) use the same lines without the path.
//  full     (the default) that line, then the source line with a gutter and
//           a caret under the finding, what makes its fix, the fix itself
//           as `- old` / `+ new` when it changes one line, and a blank line;
//           at the end `Found N findings in M files (...)`.
#pragma once

#include <string>
#include <string_view>

#include "cli/source_snippet.h"
#include "dockerfix/fix.h"

namespace dockerfix::cli {

// [*] marks a fix apply makes, [unsafe] one only apply --unsafe-fixes makes
// (Ruff's marks, at the end so `RULE MESSAGE` stays greppable). An empty
// `path` gives `LINE:COL ...`.
std::string finding_text(const std::string& path, const fix::Finding& f, bool color);

// Ruff's summary: `N findings, M fixable (K more with --unsafe-fixes)`.
std::string summary_text(size_t findings, size_t fixable, size_t more_with_unsafe);

struct TextLayout {
  bool full = true;           // else concise
  bool color = false;
  unsigned width = 120;       // columns a line may take (full)
  bool unsafe_fixes = false;  // the run has --unsafe-fixes: what it calls fixable, apply --unsafe-fixes makes
};

// `source`: the file the finding is in, as read; nullptr (or a finding with
// no line in it) prints no source line.
std::string finding_text(const std::string& path, const fix::Finding& f, const TextLayout& how, const SourceLines* source);

// The same for the findings of one file, appended to an output buffer: the
// path is escaped once for them all.
class FindingWriter {
 public:
  FindingWriter(std::string_view path, const TextLayout& how, const SourceLines* source);
  void write(std::string& out, const fix::Finding& f) const;

 private:
  std::string path_;  // as shown
  TextLayout how_;
  const SourceLines* source_;
};

// `files`: how many files the findings are in. Nothing when there are no findings.
std::string summary_text(const TextLayout& how, size_t findings, size_t files, size_t fixable, size_t more_with_unsafe);

}  // namespace dockerfix::cli
