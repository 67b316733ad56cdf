// Instruction::file_offset for many logical offsets of one instruction,
// asked nearly in order (the words of a RUN, left to right): the search for
// the piece holding an offset starts at the piece found last and walks from
// there, instead of a binary search over all the pieces each time. Gives
// exactly what Instruction::file_offset gives (tests/offset_cursor_test.cpp).
#pragma once

#include <algorithm>
#include <cstdint>

#include "dockerfix/syntax.h"

namespace dockerfix::grammar {

class OffsetCursor {
 public:
  explicit OffsetCursor(const Instruction& ins) : ins_(&ins) {}

  uint32_t file_offset(uint32_t logical) {
    const auto& p = ins_->pieces;
    if (p.empty()) return ins_->span.begin;
    // The last piece starting at or before `logical` (the first when none does).
    if (p[at_].logical > logical) {
      while (at_ > 0 && p[at_].logical > logical) --at_;
    } else {
      while (at_ + 1 < p.size() && p[at_ + 1].logical <= logical) ++at_;
    }
    const Piece& q = p[at_];
    return q.file + std::min(logical - std::min(logical, q.logical), q.length);
  }

 private:
  const Instruction* ins_;
  size_t at_ = 0;
};

}  // namespace dockerfix::grammar
