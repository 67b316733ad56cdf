// valid_image_reference() reads distribution/reference's grammar by hand
// (reference_grammar): it must accept exactly what the regexp it replaces
// accepted (kept here as the oracle), on every short string and on many
// longer ones built from the grammar's pieces.
#include <gtest/gtest.h>

#include <random>
#include <regex>

#include "transforms/buildkit_support.h"

namespace dockerfix::fix::buildkit {
namespace {

// The regexp reference_grammar() replaces.
bool by_regexp(const std::string& s) {
  static const std::regex reference(
      "^(?:(?:(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-"
      "9]))*"
      "|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?/)?"
      "[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*)*"
      "(?::[\\w][\\w.-]{0,127})?"
      "(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?$");
  return std::regex_match(s, reference);
}

TEST(ImageReference, KnownNames) {
  for (const std::string& ok : std::vector<std::string>{
           "debian", "debian:12", "library/debian:12-slim", "ghcr.io/o/r:v1.2_3", "localhost:5000/a/b", "[::1]:5000/x",
           "a__b", "a---b", "a.b_c", "r@sha256:" + std::string(64, 'a'), "r:t@sha256+x.y:" + std::string(32, 'F'),
           "MyReg.io/x", "a:" + std::string(128, 'x')})
    EXPECT_TRUE(valid_image_reference(ok)) << ok;
  const std::vector<std::string> refused{"", "Debian", "a/B", "a___b", "a._b", "-a", "a-", "a//b", "a:", "a:-t",
                                         "a@sha256:abc", "a@sha256:" + std::string(31, 'a'),
                                         "a@:" + std::string(32, 'a'), "a@s--x:" + std::string(32, 'a'), "[]/a", "[g]/a",
                                         "h:/a", "h:5x/a", "-h.io/a", "h..io/a", std::string(64, 'a'),
                                         "a:" + std::string(129, 'x'), std::string(256, 'a'), "a b", "a:\xc3\xa9"};
  for (const std::string& bad : refused)
    EXPECT_FALSE(valid_image_reference(bad)) << bad;
}

TEST(ImageReference, AgreesWithTheRegexpOnEveryShortString) {
  const std::string alphabet = "aB0.-_/:@[]";
  std::string s;
  for (size_t len = 1; len <= 5; ++len) {
    std::vector<size_t> at(len, 0);
    for (;;) {
      s.clear();
      for (size_t k : at) s.push_back(alphabet[k]);
      ASSERT_EQ(reference_grammar(s), by_regexp(s)) << s;
      size_t i = 0;
      while (i < len && ++at[i] == alphabet.size()) at[i++] = 0;
      if (i == len) break;
    }
  }
}

TEST(ImageReference, AgreesWithTheRegexpOnNamesBuiltFromItsPieces) {
  const std::vector<std::string> pieces{"a",
                                        "z9",
                                        "B",
                                        "0",
                                        ".",
                                        "-",
                                        "--",
                                        "_",
                                        "__",
                                        "___",
                                        "/",
                                        ":",
                                        "@",
                                        "[",
                                        "]",
                                        "::1",
                                        "fe80",
                                        "localhost",
                                        "5000",
                                        "sha256",
                                        "+",
                                        "x.y",
                                        "latest",
                                        "v1.2-rc_3",
                                        std::string(32, 'f'),
                                        std::string(64, 'a'),
                                        std::string(127, 't'),
                                        std::string(200, 'p'),
                                        "\xc3\xa9",
                                        " "};
  std::mt19937 rng(19);  // fixed: the same names every run
  std::uniform_int_distribution<size_t> count(1, 9), pick(0, pieces.size() - 1);
  size_t accepted = 0;
  for (int n = 0; n < 200000; ++n) {
    std::string s;
    for (size_t k = count(rng); k > 0; --k) s += pieces[pick(rng)];
    const bool want = by_regexp(s);
    ASSERT_EQ(reference_grammar(s), want) << s;
    accepted += want ? 1 : 0;
  }
  EXPECT_GT(accepted, 1000u);  // the accepting paths are exercised, not only refusals
}

}  // namespace
}  // namespace dockerfix::fix::buildkit
