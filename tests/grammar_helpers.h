// Parse-and-check helpers for the grammar unit tests.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "dockerfix/syntax.h"

namespace dockerfix::test {

// Parses, asserts the lossless round trip, and returns the tree.
inline Dockerfile parse_rt(const std::string& src) {
  Dockerfile f = parse(src);
  EXPECT_EQ(print(f), src);
  return f;
}

inline bool has_code(const Dockerfile& f, const std::string& code) {
  for (const auto& d : f.diagnostics)
    if (d.code == code) return true;
  return false;
}

}  // namespace dockerfix::test
