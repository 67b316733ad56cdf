// grammar::OffsetCursor (grammar/offset_cursor.h) against
// Instruction::file_offset, the binary search it stands in for: every logical
// offset of every instruction of the corpus and of continued, commented and
// heredoc instructions, asked in order, backwards and at random.
#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <random>

#include "grammar/offset_cursor.h"
#include "tests/test_support.h"

namespace dockerfix::grammar {
namespace {

// Whether a cursor gives file_offset's answer for `order`, one cursor for all.
::testing::AssertionResult same_offsets(const Instruction& ins, const std::vector<uint32_t>& order) {
  OffsetCursor cursor(ins);
  for (uint32_t at : order)
    if (uint32_t got = cursor.file_offset(at), want = ins.file_offset(at); got != want)
      return ::testing::AssertionFailure() << "logical " << at << ": " << got << " instead of " << want << " in "
                                           << ::testing::PrintToString(ins.logical);
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult all_orders_alike(const Instruction& ins, std::mt19937& rng) {
  std::vector<uint32_t> order(ins.logical.size() + 3);
  std::iota(order.begin(), order.end(), 0u);
  if (auto r = same_offsets(ins, order); !r) return r;
  std::reverse(order.begin(), order.end());
  if (auto r = same_offsets(ins, order); !r) return r;
  std::shuffle(order.begin(), order.end(), rng);
  return same_offsets(ins, order);
}

TEST(OffsetCursor, ContinuedAndCommentedLines) {
  std::mt19937 rng(7);
  const Dockerfile f = parse(
      "FROM alpine\n"
      "RUN apk add \\\n  curl \\\n# a comment\n\n  git && \\\n   echo done\n"
      "RUN <<EOF\necho a\nEOF\n"
      "RUN x\n"
      "ENV A=1 \\\n    B=2\n");
  ASSERT_GE(f.instructions.size(), 5u);
  for (const auto& ins : f.instructions) EXPECT_TRUE(all_orders_alike(ins, rng));
}

#ifdef DOCKERFIX_CORPUS_DIR
TEST(OffsetCursor, EveryCorpusInstruction) {
  std::mt19937 rng(19);
  size_t checked = 0;
  for (const auto& path : test::corpus_files()) {
    const Dockerfile f = parse(test::read_file(path), path.string());
    for (const auto& ins : f.instructions) {
      if (ins.pieces.size() < 2 && checked > 1000) continue;  // one piece: nothing to walk
      ++checked;
      ASSERT_TRUE(all_orders_alike(ins, rng)) << path;
    }
  }
  EXPECT_GT(checked, 5000u) << "corpus missing at " << test::corpus_dir();
}
#endif

}  // namespace
}  // namespace dockerfix::grammar
