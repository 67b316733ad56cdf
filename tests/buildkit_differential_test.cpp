// Differential test against BuildKit's own parser: corpus/BUILDKIT.jsonl holds,
// for every corpus file, what moby/buildkit frontend/dockerfile/parser reports
// (instructions with keyword, start_line, end_line and heredoc count, or the
// error it rejects the file with). Our instructions must match exactly; a file
// BuildKit rejects must get an Error diagnostic and still round-trip.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "dockerfix/syntax.h"
#include "tests/grammar_helpers.h"
#include "tests/test_support.h"

namespace dockerfix {
namespace {

constexpr size_t kMinCorpusFiles = 5900;
constexpr size_t kMaxReported = 50;

struct Oracle {
  std::string file;
  nlohmann::json entry;
};

std::vector<Oracle> load_oracle() {
  std::vector<Oracle> out;
  std::ifstream in(test::corpus_dir() / "BUILDKIT.jsonl");
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    auto j = nlohmann::json::parse(line);
    out.push_back({j.at("file").get<std::string>(), std::move(j)});
  }
  return out;
}

std::string describe_want(const nlohmann::json& w) {
  int heredocs = w.contains("heredocs") ? w["heredocs"].get<int>() : 0;
  return w["keyword"].get<std::string>() + " " + std::to_string(w["start_line"].get<int>()) + "-" +
         std::to_string(w["end_line"].get<int>()) + (heredocs ? " heredocs=" + std::to_string(heredocs) : "");
}

std::string describe_got(const Instruction& g) {
  return g.keyword + " " + std::to_string(g.start_line) + "-" + std::to_string(g.end_line) +
         (g.heredocs.empty() ? "" : " heredocs=" + std::to_string(g.heredocs.size()));
}

void report(const std::vector<std::string>& mismatches, size_t files, const char* what) {
  std::string text;
  for (size_t k = 0; k < mismatches.size() && k < kMaxReported; ++k) text += "  " + mismatches[k] + "\n";
  if (mismatches.size() > kMaxReported)
    text += "  ... and " + std::to_string(mismatches.size() - kMaxReported) + " more\n";
  ADD_FAILURE() << mismatches.size() << " of " << files << " files " << what << ":\n" << text;
}

// The first difference between BuildKit's instruction list and ours, or "".
std::string first_difference(const nlohmann::json& want, const Dockerfile& f) {
  size_t n = std::max(want.size(), f.instructions.size());
  for (size_t k = 0; k < n; ++k) {
    std::string index = "instruction " + std::to_string(k + 1) + ": ";
    if (k >= want.size()) return index + "BuildKit has none, we have " + describe_got(f.instructions[k]) +
                                  " (" + std::to_string(want.size()) + " vs " +
                                  std::to_string(f.instructions.size()) + " instructions)";
    if (k >= f.instructions.size()) return index + "BuildKit has " + describe_want(want[k]) + ", we have none (" +
                                           std::to_string(want.size()) + " vs " +
                                           std::to_string(f.instructions.size()) + " instructions)";
    const auto& w = want[k];
    const Instruction& g = f.instructions[k];
    int heredocs = w.contains("heredocs") ? w["heredocs"].get<int>() : 0;
    if (test::upper(w["keyword"].get<std::string>()) != test::upper(g.keyword) ||
        w["start_line"].get<int>() != g.start_line || w["end_line"].get<int>() != g.end_line ||
        heredocs != static_cast<int>(g.heredocs.size()))
      return index + "BuildKit " + describe_want(w) + ", we " + describe_got(g);
  }
  return {};
}

TEST(BuildKitDifferential, InstructionsMatchBuildKitExactly) {
  auto oracle = load_oracle();
  ASSERT_GE(oracle.size(), kMinCorpusFiles) << "BUILDKIT.jsonl missing or incomplete in " << test::corpus_dir();
  std::vector<std::string> mismatches;
  size_t accepted = 0, rejected = 0, instructions = 0;
  for (const auto& o : oracle) {
    auto path = test::corpus_dir() / o.file;
    std::string src = test::read_file(path);
    Dockerfile f = parse(src, path.string());
    if (o.entry.contains("error")) {
      ++rejected;
      std::string why = o.entry["error"].get<std::string>();
      if (!f.has_errors()) mismatches.push_back(o.file + ": BuildKit rejects it (" + why + "), we report no error");
      if (print(f) != src) mismatches.push_back(o.file + ": rejected by BuildKit and does not round-trip");
      continue;
    }
    ++accepted;
    const auto& want = o.entry["instructions"];
    instructions += want.size();
    std::string diff = first_difference(want, f);
    if (!diff.empty()) mismatches.push_back(o.file + ": " + diff);
  }
  EXPECT_GT(rejected, 0u) << "the oracle lists no rejected file";
  if (!mismatches.empty()) report(mismatches, oracle.size(), "differ from BuildKit");
  RecordProperty("accepted", static_cast<int>(accepted));
  RecordProperty("rejected", static_cast<int>(rejected));
  RecordProperty("instructions", static_cast<int>(instructions));
}

// A file BuildKit's parser accepts must not get one of the errors that only
// its parser raises. Unknown instructions are the exception: BuildKit's
// parser keeps them and its build rejects them, so they may be errors here.
TEST(BuildKitDifferential, AcceptedFilesGetNoParserError) {
  auto oracle = load_oracle();
  ASSERT_GE(oracle.size(), kMinCorpusFiles);
  std::vector<std::string> mismatches;
  for (const auto& o : oracle) {
    if (o.entry.contains("error")) continue;
    Dockerfile f = parse(test::read_file(test::corpus_dir() / o.file), o.file);
    for (const Diagnostic& d : f.diagnostics) {
      if (d.severity != Severity::Error || d.code == "unknown-instruction") continue;
      mismatches.push_back(o.file + ":" + std::to_string(d.line) + ": " + d.code + ": " + d.message);
      break;
    }
  }
  if (!mismatches.empty()) report(mismatches, oracle.size(), "accepted by BuildKit get a parser error");
}

// Every corpus file has an oracle line, so nothing escapes the comparison.
TEST(BuildKitDifferential, OracleCoversTheCorpus) {
  auto oracle = load_oracle();
  std::set<std::string> listed;
  for (const auto& o : oracle) listed.insert(o.file);
  std::vector<std::string> missing;
  for (const auto& path : test::corpus_files()) {
    std::string rel = std::filesystem::relative(path, test::corpus_dir()).generic_string();
    if (!listed.count(rel)) missing.push_back(rel);
  }
  if (!missing.empty()) report(missing, listed.size(), "of the corpus are missing from BUILDKIT.jsonl");
}

}  // namespace
}  // namespace dockerfix
