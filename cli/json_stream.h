// JSON documents written as they go, laid out exactly as nlohmann's
// dump(2) lays out the whole document, so `check --format json|sarif` never
// holds every file's findings at once.
#pragma once

#include <charconv>
#include <concepts>
#include <cstdint>
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

// `s` as a JSON string, quoted, as dump() writes it: ASCII control
// characters, '"' and '\' escaped, UTF-8 as it is, and what is not UTF-8
// replaced with U+FFFD as error_handler_t::replace does. Appended to `out`.
void append_json_string(std::string& out, std::string_view s);

// A value written straight into `out` with the layout json_at(value, depth)
// gives it (but for the indentation before the value's first line, which
// is the caller's), or compact() as dump() gives it, without building the
// value first. Members go in the
// order nlohmann's objects keep: by key, byte by byte; the caller writes
// them so.
class JsonWriter {
 public:
  JsonWriter(std::string& out, int depth) : out_(out), depth_(depth) {}
  // As dump() (no indent) writes it: no line breaks, no spaces.
  static JsonWriter compact(std::string& out) {
    JsonWriter j(out, 0);
    j.pretty_ = false;
    return j;
  }
  JsonWriter& object() { return open('{'); }
  JsonWriter& array() { return open('['); }
  // Closes the innermost object or array.
  JsonWriter& end();
  // In an object: the next member's key.
  JsonWriter& key(std::string_view k);
  JsonWriter& string(std::string_view s);
  template <std::integral T>
    requires(!std::same_as<T, bool>)
  JsonWriter& number(T n) {
    before_value();
    char digits[24];
    out_.append(digits, std::to_chars(digits, digits + sizeof digits, n).ptr);
    return *this;
  }
  JsonWriter& boolean(bool b);
  JsonWriter& null();

 private:
  JsonWriter& open(char bracket);
  void before_value();  // in an array: the separator and indentation
  void new_line();      // the separator of the next member or item

  std::string& out_;
  int depth_;
  bool pretty_ = true;
  int level_ = 0;             // open objects and arrays
  uint64_t arrays_ = 0;       // bit n: level n + 1 is an array
  uint64_t non_empty_ = 0;    // bit n: level n + 1 has a member or item
};

}  // namespace dockerfix::cli
