#include "cli/json_stream.h"

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

}  // namespace dockerfix::cli
