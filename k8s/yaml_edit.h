// Byte-range edits of YAML that keep comments, key order, quoting and
// indentation: new keys are written the way the file already writes its
// own, and every edit is checked by re-parsing (verify_edits).
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "k8s/location.h"
#include "k8s/yaml_file.h"

namespace dockerfix::k8s {

// How a file writes YAML, so inserted text looks like its neighbours.
struct YamlStyle {
  int indent = 2;           // a nested mapping's extra indentation
  int sequence_indent = 2;  // `- ` column minus its key's column (0: `key:\n- item`)
  bool flow_sequences = false;  // scalar lists as `[a, b]` rather than `- a` lines
  char quote = 0;               // quote of list items: 0, '"' or '\''
  std::string newline = "\n";
};
YamlStyle style_of(const YamlFile& file);

// A value to write: a scalar (as written, or a string quoted in the file's
// style), a mapping, or a list of scalars.
struct NewEntry;  // a key and its value, below

struct NewValue {
  enum class Kind { Scalar, Map, List };
  Kind kind = Kind::Scalar;
  std::string scalar;
  bool string = false;  // quoted per YamlStyle::quote in lists
  std::vector<NewEntry> entries;
  std::vector<NewValue> items;

  static NewValue text(std::string s);
  static NewValue str(std::string s);
  static NewValue map(std::vector<NewEntry> e);
  static NewValue list(std::vector<NewValue> i);
};
// Not std::pair: with libstdc++ 12, clang 14 checks pair's default
// constructor while NewValue is still incomplete and refuses the recursion.
struct NewEntry {
  std::string first;
  NewValue second;
};
inline NewValue NewValue::text(std::string s) { return NewValue{Kind::Scalar, std::move(s), false, {}, {}}; }
inline NewValue NewValue::str(std::string s) { return NewValue{Kind::Scalar, std::move(s), true, {}, {}}; }
inline NewValue NewValue::map(std::vector<NewEntry> e) { return NewValue{Kind::Map, {}, false, std::move(e), {}}; }
inline NewValue NewValue::list(std::vector<NewValue> i) { return NewValue{Kind::List, {}, false, {}, std::move(i)}; }

// What a document must hold after an edit: at `path`, `value` merged in
// (mappings merged key by key, lists gaining missing items, scalars set).
struct Expectation {
  size_t document = 0;
  Path path;
  NewValue value;
  std::optional<std::string> after_key;  // where new keys went (replan keeps it)
};

struct Plan {
  std::vector<Edit> edits;
  std::vector<Expectation> expect;
  std::string error;  // why it cannot be done; edits empty then
};

// Merge `value` (a mapping) into the mapping at `path` of document `doc`,
// creating the mapping (and missing parent keys) when absent. New keys of an
// existing block mapping go after `after_key` when it is there, else after
// its last entry. Refuses a path through a scalar or an alias.
Plan plan_merge(const YamlFile& file, size_t doc, const Path& path, const NewValue& value,
                const std::optional<std::string>& after_key = std::nullopt);
// Plan `expect` again on a file that other edits have changed since.
Plan replan(const YamlFile& file, const std::vector<Expectation>& expect);
// Replace the scalar at `path` (it must exist) with `text`.
Plan plan_replace(const YamlFile& file, size_t doc, const Path& path, const std::string& text);

// Apply edits to `original`. Identical edits collapse into one; of two
// insertions at one offset the more indented goes first (it ends the deeper
// block), others keep their order. Overlapping edits: nullopt. (Use this,
// not fix::Edits, for YAML: the order of same-offset insertions matters.)
std::optional<std::string> apply_edits(const std::string& original, std::vector<Edit> edits);

// `combined` edits some original into a text that `step` then edits: the
// edits of the original that give the result of both.
std::vector<Edit> compose(std::vector<Edit> combined, std::vector<Edit> step);

// Is `edited` exactly `original` outside the edits (and the edits' texts
// inside)? Empty when so, else where it differs.
std::string check_outside_edits(const std::string& original, const std::string& edited, std::vector<Edit> edits);
// Does `edited` parse, with the same documents as `original` except for
// what `expect` says? Empty when so, else why not (naming the path).
std::string check_expectations(const std::string& original, const std::string& edited,
                               const std::vector<Expectation>& expect);
// Both checks: the one function every YAML edit passes before it is kept.
std::string verify_edits(const std::string& original, const std::string& edited, const std::vector<Edit>& edits,
                         const std::vector<Expectation>& expect);

}  // namespace dockerfix::k8s
