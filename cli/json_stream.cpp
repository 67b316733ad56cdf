#include "cli/json_stream.h"

#include <stdexcept>

namespace dockerfix::cli {
namespace {

std::string pad(int depth) { return std::string(static_cast<size_t>(depth) * 2, ' '); }

}  // namespace

std::string json_at(const nlohmann::json& value, int depth) {
  const std::string text = value.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
  const std::string indent = pad(depth);
  std::string out = indent;
  out.reserve(text.size() + indent.size() * 8);
  // A newline in dump()'s output is always layout: strings escape theirs.
  for (char c : text) {
    out += c;
    if (c == '\n') out += indent;
  }
  return out;
}

std::string json_member(std::string_view key, const nlohmann::json& value, int depth, bool last) {
  std::string v = json_at(value, depth);
  return pad(depth) + nlohmann::json(std::string(key)).dump() + ": " + v.substr(static_cast<size_t>(depth) * 2) +
         (last ? "\n" : ",\n");
}

std::string JsonArrayWriter::open(std::string_view key) const {
  return pad(depth_) + (key.empty() ? "" : nlohmann::json(std::string(key)).dump() + ": ") + "[";
}

std::string JsonArrayWriter::item(std::string_view rendered) {
  std::string out = empty_ ? "\n" : ",\n";
  empty_ = false;
  out += rendered;
  return out;
}

std::string JsonArrayWriter::close(bool last) const {
  return (empty_ ? "" : "\n" + pad(depth_)) + "]" + (last ? "\n" : ",\n");
}

namespace {

// Well-formed UTF-8 (the Unicode standard's table 3-7): what nlohmann's
// decoder accepts, so such a string dumps as it is.
bool utf8_at(std::string_view s, size_t& i) {
  const auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = b(i);
  size_t n = 0;
  unsigned char lo = 0x80, hi = 0xBF;  // the second byte's range
  if (c >= 0xC2 && c <= 0xDF) n = 1;
  else if (c == 0xE0) n = 2, lo = 0xA0;
  else if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF) n = 2;
  else if (c == 0xED) n = 2, hi = 0x9F;
  else if (c == 0xF0) n = 3, lo = 0x90;
  else if (c >= 0xF1 && c <= 0xF3) n = 3;
  else if (c == 0xF4) n = 3, hi = 0x8F;
  else return false;
  if (i + n >= s.size()) return false;
  if (b(i + 1) < lo || b(i + 1) > hi) return false;
  for (size_t k = 2; k <= n; ++k)
    if (b(i + k) < 0x80 || b(i + k) > 0xBF) return false;
  i += n + 1;
  return true;
}

}  // namespace

void append_json_string(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  const size_t start = out.size();
  out += '"';
  size_t i = 0;
  while (i < s.size()) {
    // What needs no escape goes in runs.
    size_t plain = i;
    while (plain < s.size()) {
      const auto c = static_cast<unsigned char>(s[plain]);
      if (c < 0x20 || c == '"' || c == '\\' || c >= 0x80) break;
      ++plain;
    }
    out.append(s.data() + i, plain - i);
    i = plain;
    if (i == s.size()) break;
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) {
      const size_t at = i;
      if (!utf8_at(s, i)) {
        // Not UTF-8: nlohmann's own replacement, which is subtle about
        // where a bad sequence ends.
        out.resize(start);
        out += nlohmann::json(std::string(s)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        return;
      }
      out.append(s.data() + at, i - at);
      continue;
    }
    ++i;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\t': out += "\\t"; break;
      case '\n': out += "\\n"; break;
      case '\f': out += "\\f"; break;
      case '\r': out += "\\r"; break;
      default:
        out += "\\u00";
        out += kHex[c >> 4];
        out += kHex[c & 0xF];
    }
  }
  out += '"';
}

void JsonWriter::new_line() {
  const uint64_t bit = uint64_t{1} << (level_ - 1);
  const bool first = !(non_empty_ & bit);
  non_empty_ |= bit;
  if (!pretty_) {
    if (!first) out_ += ',';
    return;
  }
  out_ += first ? "\n" : ",\n";
  out_.append(static_cast<size_t>(depth_ + level_) * 2, ' ');
}

void JsonWriter::before_value() {
  if (level_ > 0 && (arrays_ >> (level_ - 1) & 1)) new_line();
}

JsonWriter& JsonWriter::open(char bracket) {
  before_value();
  if (level_ == 64) throw std::logic_error("JsonWriter: nested too deep");
  out_ += bracket;
  const uint64_t bit = uint64_t{1} << level_;
  if (bracket == '[') arrays_ |= bit;
  else arrays_ &= ~bit;
  non_empty_ &= ~bit;
  ++level_;
  return *this;
}

JsonWriter& JsonWriter::end() {
  const uint64_t bit = uint64_t{1} << (level_ - 1);
  if (pretty_ && (non_empty_ & bit)) {
    out_ += '\n';
    out_.append(static_cast<size_t>(depth_ + level_ - 1) * 2, ' ');
  }
  out_ += arrays_ & bit ? ']' : '}';
  --level_;
  return *this;
}

JsonWriter& JsonWriter::key(std::string_view k) {
  new_line();
  append_json_string(out_, k);
  out_ += pretty_ ? ": " : ":";
  return *this;
}

JsonWriter& JsonWriter::string(std::string_view s) {
  before_value();
  append_json_string(out_, s);
  return *this;
}

JsonWriter& JsonWriter::boolean(bool b) {
  before_value();
  out_ += b ? "true" : "false";
  return *this;
}

JsonWriter& JsonWriter::null() {
  before_value();
  out_ += "null";
  return *this;
}

}  // namespace dockerfix::cli
