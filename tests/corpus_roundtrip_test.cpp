// Every file of the shared real-world corpus (5,979 Dockerfiles, odd bytes
// included) round-trips byte for byte, and its tokens tile it exactly. All
// failures are reported with file names, not only the first.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "dockerfix/syntax.h"
#include "tests/grammar_helpers.h"
#include "tests/test_support.h"

namespace dockerfix {
namespace {

constexpr size_t kMinCorpusFiles = 5900;
constexpr size_t kMaxReported = 50;

void report(const std::vector<std::string>& failures, size_t files, const char* what) {
  std::string text;
  for (size_t k = 0; k < failures.size() && k < kMaxReported; ++k) text += "  " + failures[k] + "\n";
  if (failures.size() > kMaxReported) text += "  ... and " + std::to_string(failures.size() - kMaxReported) + " more\n";
  ADD_FAILURE() << failures.size() << " of " << files << " corpus files " << what << ":\n" << text;
}

std::string corpus_name(const std::filesystem::path& p) {
  return std::filesystem::relative(p, test::corpus_dir()).generic_string();
}

TEST(CorpusRoundTrip, EveryFileRoundTripsAndTokensTileIt) {
  auto files = test::corpus_files();
  ASSERT_GE(files.size(), kMinCorpusFiles) << "corpus missing or incomplete at " << test::corpus_dir();
  std::vector<std::string> failures;
  size_t bytes = 0;
  for (const auto& path : files) {
    std::string src = test::read_file(path);
    bytes += src.size();
    Dockerfile f = parse(src, path.string());
    std::string printed = print(f);
    if (printed != src) {
      size_t at = 0;
      while (at < printed.size() && at < src.size() && printed[at] == src[at]) ++at;
      failures.push_back(corpus_name(path) + ": printed text differs from byte " + std::to_string(at) + " (" +
                         std::to_string(printed.size()) + " vs " + std::to_string(src.size()) + " bytes)");
      continue;
    }
    // Contiguous tokens covering the file.
    uint32_t at = 0;
    bool tiled = true;
    for (const Token& t : f.tokens) {
      if (t.span.begin != at || t.span.end < t.span.begin) {
        failures.push_back(corpus_name(path) + ": token gap or overlap at byte " + std::to_string(at));
        tiled = false;
        break;
      }
      at = t.span.end;
    }
    if (tiled && at != src.size())
      failures.push_back(corpus_name(path) + ": tokens stop at byte " + std::to_string(at) + " of " +
                         std::to_string(src.size()));
  }
  if (!failures.empty()) report(failures, files.size(), "do not round-trip");
  RecordProperty("files", static_cast<int>(files.size()));
  RecordProperty("bytes", static_cast<int>(bytes));
}

TEST(CorpusRoundTrip, EveryTreeSatisfiesTheInvariants) {
  auto files = test::corpus_files();
  ASSERT_GE(files.size(), kMinCorpusFiles) << "corpus missing or incomplete at " << test::corpus_dir();
  std::vector<std::string> failures;
  for (const auto& path : files) {
    Dockerfile f = parse(test::read_file(path), path.string());
    std::string problem = test::invariant_violation(f);
    if (!problem.empty()) failures.push_back(corpus_name(path) + ": " + problem);
  }
  if (!failures.empty()) report(failures, files.size(), "break a tree invariant");
}

}  // namespace
}  // namespace dockerfix
