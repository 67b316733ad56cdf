// A YAML file as bytes and as yaml-cpp documents, with the byte offsets of
// nodes (yaml-cpp gives line and byte column; offsets come from line starts).
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "k8s/location.h"

namespace dockerfix::k8s {

// A path from a document's root: mapping keys and sequence indices.
using PathElem = std::variant<std::string, size_t>;
using Path = std::vector<PathElem>;
std::string to_string(const Path& path);  // spec.template.spec.containers[0]

struct YamlFile {
  std::string path;  // repository-relative
  std::string text;
  std::vector<uint32_t> line_starts;
  uint32_t bom = 0;               // 3 when the file starts with a UTF-8 BOM
  std::string newline = "\n";     // "\r\n" when the first line ends so
  std::vector<YAML::Node> documents;
  std::string error;              // parse failure, empty when parsed
  int error_line = 0;             // 1-based
  int error_column = 0;

  // Parses `text`; on failure `error` is set and `documents` is empty.
  static YamlFile parse(std::string path, std::string text);

  uint32_t offset(const YAML::Mark& mark) const;
  std::pair<int, int> position(uint32_t offset) const;  // 1-based line, column
  Location location(uint32_t begin, uint32_t end) const;
  std::string_view line_text(uint32_t offset) const;    // the line holding offset, without newline
  uint32_t line_end(uint32_t offset) const;              // offset of the '\n' (or '\r\n') ending that line, or size
  uint32_t next_line(uint32_t offset) const;             // first byte of the following line, or size

  // Where a node's text starts and ends. `flow` tells whether the node sits
  // inside a flow collection (plain scalars end at , ] } there).
  uint32_t start(const YAML::Node& node) const;
  uint32_t end(const YAML::Node& node, bool flow = false) const;
  // A mapping entry: from the key to the end of its value. A null value
  // written as nothing ends after the colon.
  std::pair<uint32_t, uint32_t> entry(const YAML::Node& key, const YAML::Node& value, bool flow = false) const;
  // Is a null value written (`~`, `null`) rather than empty?
  bool null_written(const YAML::Node& key, const YAML::Node& value) const;
  uint32_t after_colon(const YAML::Node& key, bool flow = false) const;  // just past the ':' that follows key

  // The node at `path` in document `doc`, or an undefined node.
  YAML::Node at(size_t doc, const Path& path) const;
  // Is the node inside a flow collection along `path`?
  bool in_flow(size_t doc, const Path& path) const;
};

// Scalars and keys of a mapping, as strings, without throwing.
std::string scalar_of(const YAML::Node& node);
// The value of `key` in a mapping, or an undefined node (never throws,
// unlike yaml-cpp's operator[] on a missing key).
YAML::Node get(const YAML::Node& map, const std::string& key);
// The key node and value of `key` in a mapping (first one when repeated).
bool find_entry(const YAML::Node& map, const std::string& key, YAML::Node& key_node, YAML::Node& value);

}  // namespace dockerfix::k8s
