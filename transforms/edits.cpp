#include <algorithm>

#include "dockerfix/fix.h"

namespace dockerfix::fix {

// Two edits conflict when their ranges overlap; an insertion (an empty
// range) conflicts only with a replacement it falls strictly inside, so
// insertions at either end of a replacement, or at one offset, are fine:
// x.begin < e.end && e.begin < x.end covers all of it. In a conflict-free
// set ordered by (begin, end) the ends are ordered too, so the one edit
// before e.end is the only one that can reach past e.begin.
bool Edits::conflicts(Span r) const {
  auto it = ranges_.lower_bound({r.end, 0});
  if (it == ranges_.begin()) return false;
  --it;
  return it->first < r.end && r.begin < it->second;
}

bool Edits::add(const Edit& e) {
  if (conflicts(e.range)) return false;
  edits_.push_back(e);
  ranges_.emplace(e.range.begin, e.range.end);
  return true;
}

bool Edits::add_all(const std::vector<Edit>& edits) {
  size_t added = 0;
  for (const auto& e : edits) {
    if (!add(e)) break;
    ++added;
  }
  if (added == edits.size()) return true;
  // Undo: the edits just added are the last ones.
  for (; added > 0; --added) {
    const Edit& last = edits_.back();
    ranges_.erase(ranges_.find({last.range.begin, last.range.end}));
    edits_.pop_back();
  }
  return false;
}

std::string Edits::apply(std::string_view original) const {
  std::vector<const Edit*> sorted;
  sorted.reserve(edits_.size());
  size_t added = 0;
  for (const auto& e : edits_) {
    sorted.push_back(&e);
    added += e.text.size();
  }
  // By offset; at one offset, insertions (in the order they were added)
  // before the replacement that starts there.
  std::stable_sort(sorted.begin(), sorted.end(), [](const Edit* a, const Edit* b) {
    return std::pair(a->range.begin, !a->range.empty()) < std::pair(b->range.begin, !b->range.empty());
  });
  std::string out;
  out.reserve(original.size() + added);
  size_t at = 0;
  for (const Edit* e : sorted) {
    if (e->range.begin > at) out.append(original.substr(at, e->range.begin - at));
    out.append(e->text);
    at = std::max<size_t>(at, e->range.end);
  }
  if (at < original.size()) out.append(original.substr(at));
  return out;
}

}  // namespace dockerfix::fix
