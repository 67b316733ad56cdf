// secrets-used-in-arg-or-env tells secret-looking names by their `_`-separated
// parts instead of BuildKit's two case-insensitive regexps: it must flag
// exactly the ARG names the regexps (kept here as the oracle) flag.
#include <gtest/gtest.h>

#include <random>
#include <regex>
#include <set>

#include "dockerfix/fix.h"

namespace dockerfix::fix {
namespace {

bool by_regexps(const std::string& key) {
  static const std::regex deny(
      "(?:_|^)(?:apikey|auth|credential|credentials|key|password|pword|passwd|secret|token)(?:_|$)", std::regex::icase);
  static const std::regex allow("(?:_|^)(?:public|file|version)(?:_|$)", std::regex::icase);
  return std::regex_search(key, deny) && !std::regex_search(key, allow);
}

TEST(SecretNames, SameNamesAsBuildKitsRegexps) {
  const std::vector<std::string> pieces{
      "key",  "KEY",    "Key",         "kEy",          "_",       "__",   "x",      "API",    "apikey", "ApiKey",
      "token", "TOKEN", "public",      "PUBLIC",       "file",    "File", "version", "credential", "credentials",
      "credentialss", "pass", "word", "passwd", "pword", "auth", "authx", "secret", "s3cret", "\xc4\xb0", "-", "1"};
  std::mt19937 rng(7);  // fixed: the same names every run
  std::uniform_int_distribution<size_t> count(1, 5), pick(0, pieces.size() - 1);
  Selection only;
  only.only = {"secrets-used-in-arg-or-env"};
  size_t flagged = 0, names = 0;
  for (int file = 0; file < 40; ++file) {
    std::string src = "FROM scratch\n";
    std::set<int> want;
    for (int line = 2; line < 202; ++line) {
      std::string key;
      for (size_t k = count(rng); k > 0; --k) key += pieces[pick(rng)];
      src += "ARG " + key + "\n";
      if (by_regexps(key)) want.insert(line);
    }
    std::set<int> got;
    for (const auto& f : check(parse(src, "Dockerfile"), model::KnowledgeBase::builtin(), {}, only))
      if (f.rule == "secrets-used-in-arg-or-env") got.insert(f.line);
    ASSERT_EQ(got, want) << src;
    flagged += want.size();
    names += 200;
  }
  EXPECT_GT(flagged, names / 10);  // both answers are well exercised
  EXPECT_LT(flagged, names - names / 10);
}

}  // namespace
}  // namespace dockerfix::fix
