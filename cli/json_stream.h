// JSON documents written as they go, laid out exactly as nlohmann's
// dump(2) lays out the whole document, so `check --format json|sarif` never
// holds every file's findings at once.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace dockerfix::cli {

// `value` as dump(2) writes it `depth` levels deep (invalid UTF-8 replaced).
std::string json_at(const nlohmann::json& value, int depth);

// `"key": value,` as a member `depth` levels deep; `last` drops the comma.
std::string json_member(std::string_view key, const nlohmann::json& value, int depth, bool last = false);

// An array whose items arrive one by one, `depth` levels deep.
class JsonArrayWriter {
 public:
  explicit JsonArrayWriter(int depth) : depth_(depth) {}
  // `"key": [` (or just `[` without a key).
  std::string open(std::string_view key = {}) const;
  // The separator and one item, already rendered with json_at(item, depth + 1).
  std::string item(std::string_view rendered);
  // `]`, and a comma unless `last`.
  std::string close(bool last) const;

 private:
  int depth_;
  bool empty_ = true;
};

}  // namespace dockerfix::cli
