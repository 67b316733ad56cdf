#include "k8s/yaml_file.h"

#include <algorithm>

namespace dockerfix::k8s {

std::string to_string(const Path& path) {
  std::string out;
  for (const auto& e : path) {
    if (const auto* key = std::get_if<std::string>(&e)) {
      if (!out.empty()) out += '.';
      out += *key;
    } else {
      out += '[' + std::to_string(std::get<size_t>(e)) + ']';
    }
  }
  return out;
}

std::string scalar_of(const YAML::Node& node) {
  if (!node.IsDefined() || !node.IsScalar()) return {};
  return node.Scalar();
}

bool find_entry(const YAML::Node& map, const std::string& key, YAML::Node& key_node, YAML::Node& value) {
  if (!map.IsDefined() || !map.IsMap()) return false;
  for (auto it = map.begin(); it != map.end(); ++it) {
    if (it->first.IsScalar() && it->first.Scalar() == key) {
      // reset() rebinds; operator= would overwrite the node it refers to.
      key_node.reset(it->first);
      value.reset(it->second);
      return true;
    }
  }
  return false;
}

YAML::Node get(const YAML::Node& map, const std::string& key) {
  YAML::Node k, v;
  if (find_entry(map, key, k, v)) return v;
  return YAML::Node(YAML::NodeType::Undefined);
}

YamlFile YamlFile::parse(std::string path, std::string text) {
  YamlFile f;
  f.path = std::move(path);
  f.text = std::move(text);
  if (f.text.rfind("\xEF\xBB\xBF", 0) == 0) f.bom = 3;
  f.line_starts.push_back(0);
  for (uint32_t i = 0; i < f.text.size(); ++i)
    if (f.text[i] == '\n') f.line_starts.push_back(i + 1);
  auto nl = f.text.find('\n');
  if (nl != std::string::npos && nl > 0 && f.text[nl - 1] == '\r') f.newline = "\r\n";
  try {
    f.documents = YAML::LoadAll(f.text);
  } catch (const YAML::Exception& e) {
    f.documents.clear();
    f.error = e.msg;
    f.error_line = e.mark.line >= 0 ? e.mark.line + 1 : 0;
    f.error_column = e.mark.column >= 0 ? e.mark.column + 1 : 0;
  }
  return f;
}

uint32_t YamlFile::offset(const YAML::Mark& mark) const {
  if (mark.line < 0 || static_cast<size_t>(mark.line) >= line_starts.size()) return static_cast<uint32_t>(text.size());
  uint32_t o = line_starts[mark.line] + static_cast<uint32_t>(mark.column) + (mark.line == 0 ? bom : 0);
  return std::min<uint32_t>(o, static_cast<uint32_t>(text.size()));
}

std::pair<int, int> YamlFile::position(uint32_t offset) const {
  auto it = std::upper_bound(line_starts.begin(), line_starts.end(), offset);
  size_t line = static_cast<size_t>(it - line_starts.begin());  // 1-based
  return {static_cast<int>(line), static_cast<int>(offset - line_starts[line - 1]) + 1};
}

Location YamlFile::location(uint32_t begin, uint32_t end) const {
  auto [line, column] = position(begin);
  return Location{path, line, column, begin, end};
}

uint32_t YamlFile::line_end(uint32_t offset) const {
  auto nl = text.find('\n', offset);
  if (nl == std::string::npos) return static_cast<uint32_t>(text.size());
  if (nl > offset && text[nl - 1] == '\r') --nl;
  return static_cast<uint32_t>(nl);
}

uint32_t YamlFile::next_line(uint32_t offset) const {
  auto nl = text.find('\n', offset);
  return nl == std::string::npos ? static_cast<uint32_t>(text.size()) : static_cast<uint32_t>(nl + 1);
}

std::string_view YamlFile::line_text(uint32_t offset) const {
  auto [line, column] = position(offset);
  uint32_t b = line_starts[line - 1];
  return std::string_view(text).substr(b, line_end(b) - b);
}

uint32_t YamlFile::start(const YAML::Node& node) const { return offset(node.Mark()); }

namespace {

bool space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
bool flow_indicator(char c) { return c == ',' || c == ']' || c == '}' || c == '[' || c == '{'; }

int indent_of(std::string_view line) {
  int n = 0;
  while (n < static_cast<int>(line.size()) && line[n] == ' ') ++n;
  return n;
}

bool blank(std::string_view line) {
  return std::all_of(line.begin(), line.end(), [](char c) { return c == ' ' || c == '\t' || c == '\r'; });
}

}  // namespace

uint32_t YamlFile::end(const YAML::Node& node, bool flow) const {
  const uint32_t n = static_cast<uint32_t>(text.size());
  uint32_t s = start(node);
  if (s >= n) return n;
  if ((node.IsMap() || node.IsSequence()) && node.Style() == YAML::EmitterStyle::Flow) {
    int depth = 0;
    for (uint32_t i = s; i < n; ++i) {
      char c = text[i];
      if (c == '"' || c == '\'') {
        for (++i; i < n; ++i) {
          if (c == '"' && text[i] == '\\') { ++i; continue; }
          if (text[i] == c) {
            if (c == '\'' && i + 1 < n && text[i + 1] == '\'') { ++i; continue; }
            break;
          }
        }
      } else if (c == '{' || c == '[') {
        ++depth;
      } else if (c == '}' || c == ']') {
        if (--depth == 0) return i + 1;
      } else if (c == '#' && i > 0 && space(text[i - 1])) {
        i = line_end(i);
      }
    }
    return n;
  }
  if (node.IsMap()) {
    uint32_t e = s;
    for (auto it = node.begin(); it != node.end(); ++it) e = std::max(e, entry(it->first, it->second, false).second);
    return e;
  }
  if (node.IsSequence()) {
    uint32_t e = s + 1;
    for (auto it = node.begin(); it != node.end(); ++it)
      if (!it->IsNull()) e = std::max(e, end(*it, false));
    return e;
  }
  if (node.IsNull()) return s;
  char c = text[s];
  if (c == '"' || c == '\'') {
    for (uint32_t i = s + 1; i < n; ++i) {
      if (c == '"' && text[i] == '\\') { ++i; continue; }
      if (text[i] == c) {
        if (c == '\'' && i + 1 < n && text[i + 1] == '\'') { ++i; continue; }
        return i + 1;
      }
    }
    return n;
  }
  if (c == '|' || c == '>') {
    // A block scalar: the lines after the indicator more indented than its line.
    int base = indent_of(line_text(s));
    uint32_t e = line_end(s);
    for (uint32_t l = next_line(s); l < n; l = next_line(l)) {
      std::string_view lt = std::string_view(text).substr(l, line_end(l) - l);
      if (blank(lt)) continue;
      if (indent_of(lt) <= base) break;
      e = line_end(l);
    }
    return e;
  }
  // A plain scalar, on one line: up to a comment, a `: ` or, in flow, an indicator.
  uint32_t stop = line_end(s);
  uint32_t i = s;
  for (; i < stop; ++i) {
    char d = text[i];
    if (d == '#' && i > s && space(text[i - 1])) break;
    if (d == ':' && (i + 1 >= stop || space(text[i + 1]) || (flow && flow_indicator(text[i + 1])))) break;
    if (flow && (d == ',' || d == ']' || d == '}')) break;
  }
  while (i > s && space(text[i - 1])) --i;
  return i;
}

uint32_t YamlFile::after_colon(const YAML::Node& key, bool flow) const {
  uint32_t i = end(key, flow);
  while (i < text.size() && text[i] != ':' && text[i] != '\n') ++i;
  return i < text.size() && text[i] == ':' ? i + 1 : i;
}

bool YamlFile::null_written(const YAML::Node& key, const YAML::Node& value) const {
  if (!value.IsNull()) return false;
  uint32_t k = start(key), v = start(value);
  if (v <= k || v >= text.size() || position(v).first != position(k).first) return false;
  std::string_view rest = std::string_view(text).substr(v);
  for (std::string_view word : {"~", "null", "Null", "NULL"})
    if (rest.substr(0, word.size()) == word &&
        (rest.size() == word.size() || space(rest[word.size()]) || flow_indicator(rest[word.size()]) ||
         rest[word.size()] == '#'))
      return true;
  return false;
}

std::pair<uint32_t, uint32_t> YamlFile::entry(const YAML::Node& key, const YAML::Node& value, bool flow) const {
  uint32_t b = start(key);
  if (value.IsNull()) {
    if (null_written(key, value)) {
      uint32_t v = start(value);
      return {b, v + (text[v] == '~' ? 1u : 4u)};
    }
    return {b, after_colon(key, flow)};
  }
  return {b, end(value, flow)};
}

YAML::Node YamlFile::at(size_t doc, const Path& path) const {
  if (doc >= documents.size()) return YAML::Node(YAML::NodeType::Undefined);
  YAML::Node cur = documents[doc];
  for (const auto& e : path) {
    if (const auto* key = std::get_if<std::string>(&e)) {
      YAML::Node k, v;
      if (!find_entry(cur, *key, k, v)) return YAML::Node(YAML::NodeType::Undefined);
      cur.reset(v);
    } else {
      size_t i = std::get<size_t>(e);
      if (!cur.IsSequence() || i >= cur.size()) return YAML::Node(YAML::NodeType::Undefined);
      YAML::Node item = cur[i];
      cur.reset(item);
    }
  }
  return cur;
}

bool YamlFile::in_flow(size_t doc, const Path& path) const {
  Path prefix;
  for (size_t i = 0; i < path.size(); ++i) {
    YAML::Node n = at(doc, prefix);
    if ((n.IsMap() || n.IsSequence()) && n.Style() == YAML::EmitterStyle::Flow) return true;
    prefix.push_back(path[i]);
  }
  return false;
}

}  // namespace dockerfix::k8s
