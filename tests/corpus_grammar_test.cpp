// The whole shared corpus: byte-for-byte round trip, tokens that tile the
// file, and BuildKit's own instruction boundaries (BUILDKIT.jsonl).
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cctype>

#include "dockerfix/syntax.h"
#include "tests/test_support.h"

namespace dockerfix {
namespace {

TEST(CorpusGrammar, EveryFileRoundTripsAndTokensTileIt) {
  auto files = test::corpus_files();
  ASSERT_GT(files.size(), 5900u) << "corpus missing at " << test::corpus_dir();
  std::vector<std::string> failures;
  for (const auto& path : files) {
    std::string src = test::read_file(path);
    Dockerfile f = parse(src, path.string());
    if (print(f) != src) failures.push_back("round trip: " + path.string());
    uint32_t at = 0;
    for (const auto& t : f.tokens) {
      if (t.span.begin != at || t.span.end <= t.span.begin) {
        failures.push_back("token gap or empty token: " + path.string());
        break;
      }
      at = t.span.end;
    }
    if (at != src.size()) failures.push_back("tokens do not reach the end: " + path.string());
  }
  for (size_t i = 0; i < std::min<size_t>(failures.size(), 50); ++i) ADD_FAILURE() << failures[i];
  EXPECT_TRUE(failures.empty()) << failures.size() << " failures";
}

std::string upper(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

TEST(CorpusGrammar, InstructionBoundariesMatchBuildKit) {
  std::ifstream oracle(test::corpus_dir() / "BUILDKIT.jsonl");
  ASSERT_TRUE(oracle) << "BUILDKIT.jsonl missing";
  std::string line;
  size_t files = 0, accepted = 0, rejected = 0;
  std::vector<std::string> mismatches;
  while (std::getline(oracle, line)) {
    auto j = nlohmann::json::parse(line);
    auto path = test::corpus_dir() / j["file"].get<std::string>();
    std::string src = test::read_file(path);
    Dockerfile f = parse(src, path.string());
    ++files;
    if (j.contains("error")) {
      ++rejected;
      if (!f.has_errors()) mismatches.push_back(path.string() + ": BuildKit rejects it (" + j["error"].get<std::string>() + ") but no error diagnostic");
      if (print(f) != src) mismatches.push_back(path.string() + ": rejected file does not round-trip");
      continue;
    }
    ++accepted;
    const auto& want = j["instructions"];
    if (want.size() != f.instructions.size()) {
      mismatches.push_back(path.string() + ": " + std::to_string(want.size()) + " instructions expected, got " + std::to_string(f.instructions.size()));
      continue;
    }
    for (size_t k = 0; k < want.size(); ++k) {
      const auto& w = want[k];
      const auto& g = f.instructions[k];
      int heredocs = w.contains("heredocs") ? w["heredocs"].get<int>() : 0;
      if (upper(w["keyword"].get<std::string>()) != g.keyword || w["start_line"].get<int>() != g.start_line ||
          w["end_line"].get<int>() != g.end_line || heredocs != static_cast<int>(g.heredocs.size())) {
        mismatches.push_back(path.string() + ": instruction " + std::to_string(k) + " expected " + w.dump() + " got " +
                             g.keyword + " " + std::to_string(g.start_line) + "-" + std::to_string(g.end_line) +
                             " heredocs " + std::to_string(g.heredocs.size()));
        break;
      }
    }
  }
  EXPECT_GT(files, 5900u);
  EXPECT_GT(rejected, 0u);
  for (size_t i = 0; i < std::min<size_t>(mismatches.size(), 50); ++i) ADD_FAILURE() << mismatches[i];
  EXPECT_TRUE(mismatches.empty()) << mismatches.size() << " of " << files << " files differ from BuildKit (" << accepted << " accepted)";
}

}  // namespace
}  // namespace dockerfix
