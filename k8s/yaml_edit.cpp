#include "k8s/yaml_edit.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

namespace dockerfix::k8s {

namespace {

using Node = YAML::Node;

bool is_flow(const Node& n) { return (n.IsMap() || n.IsSequence()) && n.Style() == YAML::EmitterStyle::Flow; }

// Indentation column of the byte at `offset` (a BOM is not indentation).
int column_of(const YamlFile& f, uint32_t offset) {
  auto [line, column] = f.position(offset);
  return column - 1 - (line == 1 ? static_cast<int>(f.bom) : 0);
}

template <class K>
K most_common(const std::map<K, int>& counts, K fallback) {
  K best = fallback;
  int n = 0;
  for (const auto& [k, c] : counts)
    if (c > n) best = k, n = c;
  return best;
}

struct StyleScan {
  const YamlFile& f;
  std::map<int, int> indents, seq_indents;
  int flow_lists = 0, block_lists = 0;
  std::map<char, int> flow_quotes, block_quotes;
  std::optional<std::pair<bool, char>> drop;  // an existing `drop:` list: flow?, quote

  char quote_of(const Node& n) {
    char c = f.text[f.start(n)];
    return c == '"' || c == '\'' ? c : 0;
  }

  void walk(const Node& n) {
    if (n.IsMap()) {
      for (auto it = n.begin(); it != n.end(); ++it) {
        // A copy: it-> is a proxy temporary in yaml-cpp, so a reference into it dangles.
        const Node v = it->second;
        if (!is_flow(n)) {
          int kc = column_of(f, f.start(it->first));
          if (v.IsMap() && !is_flow(v) && v.size() > 0) {
            int d = column_of(f, f.start(v.begin()->first)) - kc;
            if (d > 0) ++indents[d];
          }
          if (v.IsSequence() && !is_flow(v) && v.size() > 0) {
            int d = column_of(f, f.start(v)) - kc;
            if (d >= 0) ++seq_indents[d];
          }
        }
        if (v.IsSequence() && v.size() > 0 &&
            std::all_of(v.begin(), v.end(), [](const Node& i) { return i.IsScalar(); })) {
          char q = quote_of(*v.begin());
          if (is_flow(v)) ++flow_lists, ++flow_quotes[q];
          else ++block_lists, ++block_quotes[q];
          if (it->first.IsScalar() && it->first.Scalar() == "drop") drop = {is_flow(v), q};
        }
        walk(v);
      }
    } else if (n.IsSequence()) {
      for (const auto& i : n) walk(i);
    }
  }
};

// --- rendering ---------------------------------------------------------------

struct Writer {
  const YamlStyle& s;

  std::string scalar(const NewValue& v) const {
    if (!v.string || !s.quote) return v.scalar;
    return std::string(1, s.quote) + v.scalar + s.quote;
  }
  std::string flow(const NewValue& v) const {
    if (v.kind == NewValue::Kind::Scalar) return scalar(v);
    std::string out;
    if (v.kind == NewValue::Kind::List) {
      for (const auto& i : v.items) out += (out.empty() ? "" : ", ") + scalar(i);
      return "[" + out + "]";
    }
    return "{" + flow_entries(v.entries) + "}";
  }
  std::string flow_entries(const std::vector<NewEntry>& entries) const {
    std::string out;
    for (const auto& [k, v] : entries) out += (out.empty() ? "" : ", ") + k + ": " + flow(v);
    return out;
  }
  // The lines that hold `v` as the value of a key at column `col`.
  std::string under(const NewValue& v, int col) const {
    std::string out;
    if (v.kind == NewValue::Kind::Map) return block(v.entries, col + s.indent);
    for (const auto& i : v.items) out += std::string(col + s.sequence_indent, ' ') + "- " + scalar(i) + s.newline;
    return out;
  }
  // Does `v` go on the key's own line?
  bool inline_value(const NewValue& v) const {
    return v.kind == NewValue::Kind::Scalar || (v.kind == NewValue::Kind::List && (s.flow_sequences || v.items.empty())) ||
           (v.kind == NewValue::Kind::Map && v.entries.empty());
  }
  std::string block(const std::vector<NewEntry>& entries, int col) const {
    std::string out;
    for (const auto& [k, v] : entries) {
      out += std::string(col, ' ') + k + ":";
      if (inline_value(v)) out += " " + flow(v) + s.newline;
      else out += s.newline + under(v, col);
    }
    return out;
  }
};

// --- planning ----------------------------------------------------------------

struct Planner {
  Planner(const YamlFile& file, size_t document) : f(file), doc(document), style(style_of(file)), w{style} {}
  const YamlFile& f;
  size_t doc;
  YamlStyle style;
  Writer w;
  std::vector<Edit> edits;
  std::string error;

  // Where text starting a new line goes after `offset`'s line, and the
  // newline to put first when that line is the file's unterminated last one.
  std::pair<uint32_t, std::string> line_after(uint32_t offset) const {
    uint32_t next = f.next_line(offset);
    if (next == f.text.size() && (f.text.empty() || f.text.back() != '\n')) return {next, style.newline};
    return {next, ""};
  }

  void insert_lines_after(uint32_t offset, const std::string& lines) {
    auto [at, prefix] = line_after(offset);
    edits.push_back(Edit{at, at, prefix + lines});
  }

  // Write `v` as the value of `key`, whose value is null.
  void fill_null(const Node& key, const Node& value, const NewValue& v, bool flow) {
    uint32_t colon = f.after_colon(key, flow);
    uint32_t written_end = colon;
    if (f.null_written(key, value)) written_end = f.entry(key, value, flow).second;
    if (flow || w.inline_value(v)) {
      edits.push_back(Edit{colon, written_end, " " + w.flow(v)});
      return;
    }
    if (written_end != colon) edits.push_back(Edit{colon, written_end, ""});
    insert_lines_after(colon, w.under(v, column_of(f, f.start(key))));
  }

  void insert_entries(const Node& map, const Node* owner_key, const std::vector<NewEntry>& add,
                      bool in_flow, const std::optional<std::string>& after_key) {
    if (add.empty()) return;
    if (is_flow(map)) {
      uint32_t close = f.end(map) - 1;
      if (map.size() == 0) {
        if (in_flow || !owner_key) {
          edits.push_back(Edit{close, close, w.flow_entries(add)});
          return;
        }
        // `key: {}` in block context becomes a block mapping.
        uint32_t colon = f.after_colon(*owner_key);
        edits.push_back(Edit{colon, close + 1, ""});
        insert_lines_after(close, w.block(add, column_of(f, f.start(*owner_key)) + style.indent));
        return;
      }
      uint32_t last = 0;
      for (auto it = map.begin(); it != map.end(); ++it) last = std::max(last, f.entry(it->first, it->second, true).second);
      edits.push_back(Edit{last, last, ", " + w.flow_entries(add)});
      return;
    }
    int col = column_of(f, f.start(map.begin()->first));
    uint32_t anchor = f.end(map);
    Node k, v;
    if (after_key && find_entry(map, *after_key, k, v)) anchor = f.entry(k, v).second;
    insert_lines_after(anchor, w.block(add, col));
  }

  void append_items(const Node& seq, const std::vector<NewValue>& add) {
    if (add.empty()) return;
    if (is_flow(seq)) {
      std::string items;
      for (const auto& i : add) items += (items.empty() ? "" : ", ") + w.scalar(i);
      if (seq.size() == 0) {
        uint32_t close = f.end(seq) - 1;
        edits.push_back(Edit{close, close, items});
      } else {
        uint32_t last = f.end(seq[seq.size() - 1], true);
        edits.push_back(Edit{last, last, ", " + items});
      }
      return;
    }
    int col = column_of(f, f.start(seq));
    std::string lines;
    for (const auto& i : add) lines += std::string(col, ' ') + "- " + w.scalar(i) + style.newline;
    insert_lines_after(f.end(seq), lines);
  }

  void merge(const Node& map, const Node* owner_key, const NewValue& v, const Path& path, bool in_flow,
             const std::optional<std::string>& after_key) {
    std::vector<NewEntry> add;
    bool flow_here = in_flow || is_flow(map);
    for (const auto& [key, val] : v.entries) {
      Node k, x;
      if (!find_entry(map, key, k, x)) {
        add.push_back({key, val});
        continue;
      }
      Path sub = path;
      sub.push_back(key);
      if (x.IsDefined() && f.start(x) < f.start(k) && !x.IsNull()) {
        error = fmt::format("{} is an alias; dockerfix does not edit what it refers to", to_string(sub));
        return;
      }
      if (x.IsNull()) {
        fill_null(k, x, val, flow_here);
      } else if (val.kind == NewValue::Kind::Scalar) {
        if (!x.IsScalar()) {
          error = fmt::format("{} is not a scalar", to_string(sub));
          return;
        }
        if (x.Scalar() != val.scalar) edits.push_back(Edit{f.start(x), f.end(x, flow_here), w.scalar(val)});
      } else if (val.kind == NewValue::Kind::Map) {
        if (!x.IsMap()) {
          error = fmt::format("{} is not a mapping", to_string(sub));
          return;
        }
        merge(x, &k, val, sub, flow_here, std::nullopt);
      } else {
        if (!x.IsSequence()) {
          error = fmt::format("{} is not a list", to_string(sub));
          return;
        }
        std::vector<NewValue> missing;
        for (const auto& item : val.items)
          if (std::none_of(x.begin(), x.end(), [&](const Node& n) { return n.IsScalar() && n.Scalar() == item.scalar; }))
            missing.push_back(item);
        append_items(x, missing);
      }
      if (!error.empty()) return;
    }
    insert_entries(map, owner_key, add, in_flow, after_key);
  }
};

NewValue nest(const Path& keys, size_t from, const NewValue& leaf) {
  NewValue v = leaf;
  for (size_t i = keys.size(); i-- > from;) v = NewValue::map({{std::get<std::string>(keys[i]), v}});
  return v;
}

}  // namespace

YamlStyle style_of(const YamlFile& file) {
  StyleScan scan{file, {}, {}, 0, 0, {}, {}, std::nullopt};
  for (const auto& d : file.documents) scan.walk(d);
  YamlStyle s;
  s.newline = file.newline;
  s.indent = most_common(scan.indents, 2);
  s.sequence_indent = most_common(scan.seq_indents, s.indent);
  if (scan.drop) {
    s.flow_sequences = scan.drop->first;
    s.quote = scan.drop->second;
  } else {
    s.flow_sequences = scan.flow_lists > scan.block_lists;
    s.quote = most_common(s.flow_sequences ? scan.flow_quotes : scan.block_quotes, char(0));
  }
  return s;
}

Plan plan_merge(const YamlFile& file, size_t doc, const Path& path, const NewValue& value,
                const std::optional<std::string>& after_key) {
  Plan plan;
  if (doc >= file.documents.size()) {
    plan.error = fmt::format("{} has no document {}", file.path, doc + 1);
    return plan;
  }
  Planner p(file, doc);
  // The longest prefix of `path` that exists.
  size_t have = 0;
  while (have < path.size() && file.at(doc, Path(path.begin(), path.begin() + have + 1)).IsDefined()) ++have;
  for (size_t i = have; i < path.size(); ++i)
    if (!std::holds_alternative<std::string>(path[i])) {
      plan.error = fmt::format("{} does not exist", to_string(Path(path.begin(), path.begin() + i + 1)));
      return plan;
    }
  Path base(path.begin(), path.begin() + have);
  Node target = file.at(doc, base);
  NewValue what = have == path.size() ? value : NewValue::map({{std::get<std::string>(path[have]), nest(path, have + 1, value)}});
  bool flow = file.in_flow(doc, base);
  // The key owning the target, for `key: {}` and `key:` (null) values.
  Node owner_key, owner_value;
  bool owned = false;
  if (!base.empty() && std::holds_alternative<std::string>(base.back()))
    owned = find_entry(file.at(doc, Path(base.begin(), base.end() - 1)), std::get<std::string>(base.back()), owner_key,
                       owner_value);
  if (target.IsNull() && owned) {
    p.fill_null(owner_key, owner_value, what, flow);
  } else if (target.IsMap()) {
    p.merge(target, owned ? &owner_key : nullptr, what, base, flow, have == path.size() ? after_key : std::nullopt);
  } else {
    plan.error = fmt::format("{} in {} is not a mapping", base.empty() ? "the document" : to_string(base), file.path);
    return plan;
  }
  if (!p.error.empty()) {
    plan.error = p.error + " in " + file.path;
    return plan;
  }
  plan.edits = std::move(p.edits);
  plan.expect.push_back(Expectation{doc, path, value, after_key});
  return plan;
}

Plan replan(const YamlFile& file, const std::vector<Expectation>& expect) {
  Plan out;
  for (const auto& x : expect) {
    Plan p;
    if (x.value.kind == NewValue::Kind::Map) {
      p = plan_merge(file, x.document, x.path, x.value, x.after_key);
    } else if (!x.path.empty() && std::holds_alternative<std::string>(x.path.back())) {
      p = plan_merge(file, x.document, Path(x.path.begin(), x.path.end() - 1),
                     NewValue::map({{std::get<std::string>(x.path.back()), x.value}}));
      p.expect = {x};
    } else {
      p.error = fmt::format("cannot plan {} again", to_string(x.path));
    }
    if (!p.error.empty()) return p;
    out.edits.insert(out.edits.end(), p.edits.begin(), p.edits.end());
    out.expect.insert(out.expect.end(), p.expect.begin(), p.expect.end());
  }
  return out;
}

Plan plan_replace(const YamlFile& file, size_t doc, const Path& path, const std::string& text) {
  Plan plan;
  Node n = file.at(doc, path);
  if (!n.IsDefined() || !n.IsScalar()) {
    plan.error = fmt::format("{} in {} is not a scalar", to_string(path), file.path);
    return plan;
  }
  plan.edits.push_back(Edit{file.start(n), file.end(n, file.in_flow(doc, path)), text});
  plan.expect.push_back(Expectation{doc, path, NewValue::text(text), std::nullopt});
  return plan;
}

namespace {

std::vector<Edit> normalised(std::vector<Edit> edits) {
  std::vector<Edit> out;
  for (auto& e : edits)
    if (std::find(out.begin(), out.end(), e) == out.end()) out.push_back(std::move(e));
  // Block insertions at one line boundary: the more indented text continues
  // the deeper block, so it goes first.
  auto depth = [](const Edit& e) {
    size_t i = e.text.find_first_not_of("\r\n");
    if (e.begin != e.end || i == std::string::npos) return 0;
    size_t j = e.text.find_first_not_of(' ', i);
    return static_cast<int>((j == std::string::npos ? e.text.size() : j) - i);
  };
  std::stable_sort(out.begin(), out.end(), [&](const Edit& a, const Edit& b) {
    if (a.begin != b.begin) return a.begin < b.begin;
    if (a.end != b.end) return a.end < b.end;
    return depth(a) > depth(b);
  });
  return out;
}

bool overlapping(const std::vector<Edit>& sorted) {
  for (size_t i = 1; i < sorted.size(); ++i)
    if (sorted[i].begin < sorted[i - 1].end) return true;
  return false;
}

}  // namespace

std::optional<std::string> apply_edits(const std::string& original, std::vector<Edit> edits) {
  auto sorted = normalised(std::move(edits));
  if (overlapping(sorted)) return std::nullopt;
  std::string out;
  uint32_t pos = 0;
  for (const auto& e : sorted) {
    if (e.end > original.size() || e.begin < pos) return std::nullopt;
    out.append(original, pos, e.begin - pos);
    out += e.text;
    pos = e.end;
  }
  out.append(original, pos, std::string::npos);
  return out;
}

std::vector<Edit> compose(std::vector<Edit> combined, std::vector<Edit> step) {
  // The current text as pieces: bytes of the original, or inserted text.
  struct Piece {
    bool original;
    uint32_t begin, end;  // in the original, when original
    std::string text;     // else
    uint32_t size() const { return original ? end - begin : static_cast<uint32_t>(text.size()); }
  };
  combined = normalised(std::move(combined));
  std::vector<Piece> pieces;
  uint32_t o = 0;
  const uint32_t huge = UINT32_MAX;
  for (const auto& e : combined) {
    if (e.begin > o) pieces.push_back(Piece{true, o, e.begin, {}});
    if (!e.text.empty()) pieces.push_back(Piece{false, 0, 0, e.text});
    o = e.end;
  }
  pieces.push_back(Piece{true, o, huge, {}});  // the rest, however long
  step = normalised(std::move(step));
  // Apply the step edits from the last, on piece boundaries.
  for (auto it = step.rbegin(); it != step.rend(); ++it) {
    auto split = [&](uint32_t at) {  // a piece boundary at current offset `at`; its index
      uint32_t pos = 0;
      for (size_t i = 0; i < pieces.size(); ++i) {
        uint32_t n = pieces[i].original && pieces[i].end == huge ? huge - pos : pieces[i].size();
        if (at == pos) return i;
        if (at < pos + n) {
          Piece a = pieces[i], b = pieces[i];
          uint32_t k = at - pos;
          if (a.original) a.end = a.begin + k, b.begin = a.begin + k;
          else a.text = a.text.substr(0, k), b.text = b.text.substr(k);
          pieces[i] = a;
          pieces.insert(pieces.begin() + static_cast<std::ptrdiff_t>(i) + 1, b);
          return i + 1;
        }
        pos += n;
      }
      return pieces.size();
    };
    size_t from = split(it->begin);
    size_t to = split(it->end);
    pieces.erase(pieces.begin() + static_cast<std::ptrdiff_t>(from), pieces.begin() + static_cast<std::ptrdiff_t>(to));
    if (!it->text.empty())
      pieces.insert(pieces.begin() + static_cast<std::ptrdiff_t>(from), Piece{false, 0, 0, it->text});
  }
  // Back to edits: inserted text, and original bytes skipped, between kept bytes.
  std::vector<Edit> out;
  o = 0;
  std::string pending;
  for (const auto& p : pieces) {
    if (!p.original) {
      pending += p.text;
      continue;
    }
    if (p.begin == p.end && p.end != huge) continue;
    if (p.begin != o || !pending.empty()) out.push_back(Edit{o, p.begin, pending});
    pending.clear();
    o = p.end;
  }
  return out;
}

std::string check_outside_edits(const std::string& original, const std::string& edited, std::vector<Edit> edits) {
  auto sorted = normalised(std::move(edits));
  if (overlapping(sorted)) return "the edits overlap";
  size_t o = 0, e = 0;
  auto same = [&](size_t len) {
    if (edited.compare(e, len, original, o, len) != 0 || e + len > edited.size()) {
      size_t i = 0;
      while (i < len && e + i < edited.size() && edited[e + i] == original[o + i]) ++i;
      return fmt::format("byte {} of the original (byte {} of the edited file) changed outside the edits", o + i, e + i);
    }
    o += len, e += len;
    return std::string();
  };
  for (const auto& ed : sorted) {
    if (auto err = same(ed.begin - o); !err.empty()) return err;
    if (edited.compare(e, ed.text.size(), ed.text) != 0) return fmt::format("the edit at byte {} is not in the edited file", ed.begin);
    e += ed.text.size();
    o = ed.end;
  }
  if (edited.size() - e != original.size() - o) return "the edited file's length is not the original's plus the edits";
  return same(original.size() - o);
}

namespace {

Node to_node(const NewValue& v) {
  switch (v.kind) {
    case NewValue::Kind::Scalar:
      return v.string ? Node(v.scalar) : YAML::Load(v.scalar);
    case NewValue::Kind::List: {
      Node n(YAML::NodeType::Sequence);
      for (const auto& i : v.items) n.push_back(to_node(i));
      return n;
    }
    case NewValue::Kind::Map: {
      Node n(YAML::NodeType::Map);
      for (const auto& [k, x] : v.entries) n[k] = to_node(x);
      return n;
    }
  }
  return {};
}

// Merge `v` into `n` (which refers into a cloned document).
void merge_into(Node n, const NewValue& v) {
  if (v.kind == NewValue::Kind::Scalar) {
    n = to_node(v);
  } else if (v.kind == NewValue::Kind::List) {
    if (!n.IsSequence()) n = Node(YAML::NodeType::Sequence);
    for (const auto& item : v.items)
      if (std::none_of(n.begin(), n.end(), [&](const Node& x) { return x.IsScalar() && x.Scalar() == item.scalar; }))
        n.push_back(to_node(item));
  } else {
    if (!n.IsMap()) n = Node(YAML::NodeType::Map);
    for (const auto& [k, x] : v.entries) merge_into(n[k], x);
  }
}

std::string differ(const Node& a, const Node& b, const std::string& where) {
  std::string at = where.empty() ? "the document" : where;
  if (a.Type() != b.Type()) return fmt::format("{} has another type", at);
  if (a.IsScalar()) return a.Scalar() == b.Scalar() ? "" : fmt::format("{} is {}, not {}", at, b.Scalar(), a.Scalar());
  if (a.IsSequence()) {
    if (a.size() != b.size()) return fmt::format("{} has {} items, not {}", at, b.size(), a.size());
    for (size_t i = 0; i < a.size(); ++i)
      if (auto d = differ(a[i], b[i], fmt::format("{}[{}]", where, i)); !d.empty()) return d;
    return "";
  }
  if (a.IsMap()) {
    if (a.size() != b.size()) return fmt::format("{} has {} keys, not {}", at, b.size(), a.size());
    for (auto it = a.begin(); it != a.end(); ++it) {
      std::string key = scalar_of(it->first);
      Node k, v;
      std::string sub = where.empty() ? key : where + "." + key;
      if (!find_entry(b, key, k, v)) return fmt::format("{} is missing", sub);
      if (auto d = differ(it->second, v, sub); !d.empty()) return d;
    }
  }
  return "";
}

}  // namespace

std::string check_expectations(const std::string& original, const std::string& edited,
                               const std::vector<Expectation>& expect) {
  std::vector<Node> want, got;
  try {
    want = YAML::LoadAll(original);
  } catch (const YAML::Exception& e) {
    return "the original does not parse: " + e.msg;
  }
  try {
    got = YAML::LoadAll(edited);
  } catch (const YAML::Exception& e) {
    return fmt::format("the edited file does not parse: line {}, column {}: {}", e.mark.line + 1, e.mark.column + 1, e.msg);
  }
  if (want.size() != got.size()) return fmt::format("the edited file has {} documents, not {}", got.size(), want.size());
  for (auto& d : want) d = YAML::Clone(d);
  for (const auto& x : expect) {
    if (x.document >= want.size()) return fmt::format("no document {}", x.document + 1);
    Node cur = want[x.document];
    for (const auto& e : x.path) {
      Node next = std::holds_alternative<std::string>(e) ? cur[std::get<std::string>(e)] : cur[std::get<size_t>(e)];
      cur.reset(next);
    }
    merge_into(cur, x.value);
  }
  for (size_t i = 0; i < want.size(); ++i)
    if (auto d = differ(want[i], got[i], ""); !d.empty())
      return want.size() > 1 ? fmt::format("document {}: {}", i + 1, d) : d;
  return "";
}

std::string verify_edits(const std::string& original, const std::string& edited, const std::vector<Edit>& edits,
                         const std::vector<Expectation>& expect) {
  if (auto e = check_outside_edits(original, edited, edits); !e.empty()) return e;
  return check_expectations(original, edited, expect);
}

}  // namespace dockerfix::k8s
