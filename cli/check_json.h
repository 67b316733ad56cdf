// One file's entry in `check --format json`'s "files" (docs/check-json.md):
// its path and findings, written straight into the output as the whole
// document's dump(2) would lay them out.
#pragma once

#include <string>
#include <vector>

#include "dockerfix/fix.h"

namespace dockerfix::cli {

// The entry two levels deep (an item of "files"), appended to `out`.
void append_file_json(std::string& out, const Dockerfile& file, const std::string& path,
                      const std::vector<fix::Finding>& findings);

}  // namespace dockerfix::cli
