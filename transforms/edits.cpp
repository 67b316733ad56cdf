#include <algorithm>

#include "dockerfix/fix.h"

namespace dockerfix::fix {

bool Edits::add(const Edit& e) {
  for (const auto& x : edits_) {
    bool overlap = e.range.begin < x.range.end && x.range.begin < e.range.end;
    // A replacement may not swallow an insertion point, nor the reverse.
    bool insert_inside = (e.range.empty() && x.range.begin < e.range.begin && e.range.begin < x.range.end) ||
                         (x.range.empty() && e.range.begin < x.range.begin && x.range.begin < e.range.end);
    if (overlap || insert_inside) return false;
  }
  edits_.push_back(e);
  return true;
}

bool Edits::add_all(const std::vector<Edit>& edits) {
  Edits trial = *this;
  for (const auto& e : edits)
    if (!trial.add(e)) return false;
  *this = std::move(trial);
  return true;
}

std::string Edits::apply(std::string_view original) const {
  std::vector<Edit> sorted = edits_;
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const Edit& a, const Edit& b) { return a.range.begin < b.range.begin; });
  std::string out;
  out.reserve(original.size() + 256);
  size_t at = 0;
  for (const auto& e : sorted) {
    out.append(original.substr(at, e.range.begin - at));
    out.append(e.text);
    at = std::max<size_t>(at, e.range.end);
  }
  out.append(original.substr(at));
  return out;
}

}  // namespace dockerfix::fix
