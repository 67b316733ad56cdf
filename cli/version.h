// The version of dockerfix: one definition, CMake's project(VERSION), passed
// in as DOCKERFIX_VERSION. Releases are tagged v<version> (v0.2.0), the
// name pre-commit's `rev:` and the GitHub Action's `@` use.
#pragma once

#ifndef DOCKERFIX_VERSION
#error "DOCKERFIX_VERSION must come from CMakeLists.txt (project VERSION)"
#endif

namespace dockerfix::cli {
inline constexpr const char* kVersion = DOCKERFIX_VERSION;
}  // namespace dockerfix::cli
