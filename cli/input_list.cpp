#include "cli/input_list.h"

#include <algorithm>

namespace dockerfix::cli {

const InputList::Run& InputList::run_of(size_t i) const {
  auto after = std::upper_bound(runs_.begin(), runs_.end(), i, [](size_t n, const Run& r) { return n < r.first; });
  return *std::prev(after);
}

std::string_view InputList::path(size_t i) const {
  const Run& r = run_of(i);
  const size_t k = r.from + (i - r.first);
  if (!r.walked) return (*args_)[k];
  return std::string_view(paths_.data() + offsets_[k]);  // up to its '\0'
}

Input InputList::operator[](size_t i) const {
  const Run& r = run_of(i);
  const size_t k = r.from + (i - r.first);
  Input in{std::string(path(i)), {}};
  const auto& targets = r.walked ? path_targets_ : arg_targets_;
  if (auto t = targets.find(r.walked ? offsets_[k] : k); t != targets.end()) in.resolved = t->second;
  return in;
}

void InputList::add_argument(size_t arg, std::string resolved) {
  if (runs_.empty() || runs_.back().walked || runs_.back().from + (size_ - runs_.back().first) != arg)
    runs_.push_back({size_, false, arg});
  if (!resolved.empty()) arg_targets_.emplace(arg, std::move(resolved));
  ++size_;
}

void InputList::add_path(std::string_view path, std::string resolved) {
  if (runs_.empty() || !runs_.back().walked) runs_.push_back({size_, true, offsets_.size()});
  offsets_.push_back(paths_.size());
  if (!resolved.empty()) path_targets_.emplace(paths_.size(), std::move(resolved));
  paths_.append(path);
  paths_.push_back('\0');
  ++size_;
}

void InputList::sort_from(size_t from) {
  if (from >= size_) return;
  const Run& r = run_of(from);
  auto begin = offsets_.begin() + static_cast<std::ptrdiff_t>(r.from + (from - r.first));
  std::sort(begin, offsets_.end(), [&](size_t a, size_t b) {
    return std::string_view(paths_.data() + a) < std::string_view(paths_.data() + b);
  });
}

size_t InputList::held_bytes() const {
  size_t n = runs_.capacity() * sizeof(Run) + paths_.capacity() + offsets_.capacity() * sizeof(size_t);
  for (const auto* targets : {&arg_targets_, &path_targets_})
    for (const auto& [key, target] : *targets) n += sizeof(key) + sizeof(target) + target.capacity();
  return n;
}

}  // namespace dockerfix::cli
