// One finding as `check` prints it, `PATH:LINE:COL RULE MESSAGE [*]`, and the
// run's closing summary. The rule case fixtures (findings.txt) use the same
// lines without the path.
#pragma once

#include <string>

#include "dockerfix/fix.h"

namespace dockerfix::cli {

// [*] marks a fix apply makes, [unsafe] one only apply --unsafe-fixes makes
// (Ruff's marks, at the end so `RULE MESSAGE` stays greppable). An empty
// `path` gives `LINE:COL ...`.
std::string finding_text(const std::string& path, const fix::Finding& f, bool color);

// Ruff's summary: `N findings, M fixable (K more with --unsafe-fixes)`.
std::string summary_text(size_t findings, size_t fixable, size_t more_with_unsafe);

}  // namespace dockerfix::cli
