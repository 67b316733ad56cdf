#include "k8s/helm.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "k8s/files.h"
#include "k8s/process.h"

namespace dockerfix::k8s {

namespace {

bool ws(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

std::string trim(std::string_view s) {
  while (!s.empty() && ws(s.front())) s.remove_prefix(1);
  while (!s.empty() && ws(s.back())) s.remove_suffix(1);
  return std::string(s);
}

// Go template words: quoted strings stay whole; `|`, `(` and `)` are words.
std::vector<std::string> words(const std::string& body) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < body.size()) {
    char c = body[i];
    if (ws(c)) { ++i; continue; }
    if (c == '|' || c == '(' || c == ')') { out.emplace_back(1, c); ++i; continue; }
    size_t j = i;
    if (c == '"' || c == '`') {
      for (++j; j < body.size() && body[j] != c; ++j)
        if (c == '"' && body[j] == '\\') ++j;
      ++j;
    } else {
      while (j < body.size() && !ws(body[j]) && body[j] != '|' && body[j] != '(' && body[j] != ')') ++j;
    }
    out.push_back(body.substr(i, std::min(j, body.size()) - i));
    i = j;
  }
  return out;
}

std::vector<std::string> split_dots(std::string_view s) {
  std::vector<std::string> out;
  size_t b = 0;
  while (b <= s.size()) {
    size_t e = s.find('.', b);
    if (e == std::string_view::npos) e = s.size();
    if (e > b) out.emplace_back(s.substr(b, e - b));
    b = e + 1;
  }
  return out;
}

// What `.` is: a place in the values, or something else (root context, range item).
struct Dot {
  bool values = false;
  std::vector<std::string> path;
};

// The first values reference among `ws`, relative to `dot`.
std::optional<std::vector<std::string>> values_ref(const std::vector<std::string>& ws_, const Dot& dot) {
  static const char* builtins[] = {".Chart", ".Release", ".Capabilities", ".Files", ".Template"};
  for (const auto& w : ws_) {
    std::string_view t = w;
    if (t.substr(0, 1) == "$") t.remove_prefix(1);
    if (t == ".Values") return std::vector<std::string>{};
    if (t.substr(0, 8) == ".Values.") return split_dots(t.substr(8));
    if (t.empty() || t[0] != '.' || w[0] == '$') continue;
    if (std::any_of(std::begin(builtins), std::end(builtins), [&](const char* b) { return t.substr(0, std::strlen(b)) == b; }))
      continue;
    if (!dot.values) return std::nullopt;
    auto rel = split_dots(t);
    auto p = dot.path;
    p.insert(p.end(), rel.begin(), rel.end());
    return p;
  }
  return std::nullopt;
}

bool contains_word(const std::vector<std::string>& ws_, std::string_view w) {
  return std::find(ws_.begin(), ws_.end(), w) != ws_.end();
}

}  // namespace

SanitizedTemplate sanitize_template(const std::string& text) {
  SanitizedTemplate out;
  out.yaml = text;
  const size_t n = text.size();
  std::vector<bool> in_action(n, false);
  for (size_t p = text.find("{{"); p != std::string::npos; p = text.find("{{", p)) {
    size_t q = p + 2;
    size_t body_b = q;
    if (q < n && text[q] == '-' && q + 1 < n && ws(text[q + 1])) body_b = q + 1;
    std::string_view after = std::string_view(text).substr(body_b);
    size_t lead = after.find_first_not_of(" \t\r\n");
    if (lead != std::string_view::npos && after.substr(lead, 2) == "/*") {
      size_t c = text.find("*/", body_b + lead + 2);
      q = c == std::string::npos ? n : text.find("}}", c);
    } else {
      for (; q + 1 < n; ++q) {
        char c = text[q];
        if (c == '"' || c == '`') {
          for (++q; q < n && text[q] != c; ++q)
            if (c == '"' && text[q] == '\\') ++q;
        } else if (c == '}' && text[q + 1] == '}') {
          break;
        }
      }
      if (q + 1 >= n) q = std::string::npos;
    }
    size_t e = q == std::string::npos ? n : q + 2;
    TemplateAction a;
    a.begin = static_cast<uint32_t>(p);
    a.end = static_cast<uint32_t>(e);
    size_t body_e = std::min(e >= 2 ? e - 2 : e, n);
    std::string body = body_b < body_e ? text.substr(body_b, body_e - body_b) : "";
    body = trim(body);
    if (body.size() >= 2 && body.back() == '-' && ws(body[body.size() - 2])) body = trim(body.substr(0, body.size() - 1));
    a.body = body;
    for (size_t i = p; i < e; ++i) in_action[i] = true;
    out.actions.push_back(std::move(a));
    p = e;
  }
  // Lines holding only actions (and spaces) become blank lines.
  std::vector<bool> blank_line_byte(n, false);
  for (size_t b = 0; b < n;) {
    size_t e = text.find('\n', b);
    if (e == std::string::npos) e = n;
    bool any = false, other = false;
    for (size_t i = b; i < e; ++i) {
      if (in_action[i]) any = true;
      else if (!ws(text[i])) other = true;
    }
    if (any && !other)
      for (size_t i = b; i < e; ++i) blank_line_byte[i] = true;
    b = e + 1;
  }
  Dot root;
  std::vector<Dot> scopes{root};
  for (auto& a : out.actions) {
    a.standalone = std::all_of(blank_line_byte.begin() + a.begin, blank_line_byte.begin() + a.end,
                               [](bool b) { return b; }) ||
                   std::all_of(text.begin() + a.begin, text.begin() + a.end, [](char c) { return c == '\n'; });
    auto w = words(a.body);
    std::string first = w.empty() ? "" : w[0];
    const Dot& dot = scopes.back();
    if (first == "with") {
      Dot d;
      if (auto r = values_ref(std::vector<std::string>(w.begin() + 1, w.end()), dot)) d = Dot{true, *r};
      scopes.push_back(d);
      continue;
    }
    if (first == "range" || first == "define" || first == "block") {
      scopes.push_back(Dot{});
      continue;
    }
    if (first == "if") {
      scopes.push_back(dot);
      continue;
    }
    if (first == "end") {
      if (scopes.size() > 1) scopes.pop_back();
      continue;
    }
    if (first == "else") {
      if (w.size() > 1 && w[1] == "with" && scopes.size() > 1) {
        Dot d;
        if (auto r = values_ref(std::vector<std::string>(w.begin() + 2, w.end()), scopes[scopes.size() - 2]))
          d = Dot{true, *r};
        scopes.back() = d;
      }
      continue;
    }
    if (first.rfind("/*", 0) == 0) continue;
    if (auto r = values_ref(w, dot)) {
      a.values_ref = *r;
      a.ref_known = true;
    }
    bool include = contains_word(w, "include") || contains_word(w, "tpl") || contains_word(w, "template");
    for (size_t i = 0; i + 1 < w.size(); ++i)
      if (w[i] == "nindent" || w[i] == "indent") a.indent = std::atoi(w[i + 1].c_str());
    a.emits_yaml = contains_word(w, "toYaml") || (include && a.indent >= 0);
    if (a.indent < 0) {
      size_t ls = text.rfind('\n', a.begin);
      a.indent = static_cast<int>(a.begin - (ls == std::string::npos ? 0 : ls + 1));
    }
  }
  // Blank the actions: whole lines, YAML-emitting actions to spaces (the key
  // they follow reads as empty), others to a same-length plain scalar.
  for (const auto& a : out.actions)
    for (uint32_t i = a.begin; i < a.end; ++i) {
      if (text[i] == '\n' || text[i] == '\r') continue;
      out.yaml[i] = blank_line_byte[i] || a.emits_yaml ? ' ' : 'x';
    }
  for (size_t i = 0; i < n; ++i)
    if (blank_line_byte[i] && text[i] != '\r') out.yaml[i] = ' ';
  return out;
}

namespace {

std::optional<std::string> values_scalar(const YAML::Node& values, const std::vector<std::string>& path) {
  YAML::Node cur = values;
  for (const auto& k : path) {
    YAML::Node key, v;
    if (!find_entry(cur, k, key, v)) return std::string();  // missing: empty, as Helm renders it
    cur.reset(v);
  }
  if (cur.IsNull()) return std::string();
  if (!cur.IsScalar()) return std::nullopt;
  return cur.Scalar();
}

std::string unquote(const std::string& s) {
  if (s.size() >= 2 && (s[0] == '"' || s[0] == '`') && s.back() == s[0]) {
    std::string out;
    for (size_t i = 1; i + 1 < s.size(); ++i) {
      if (s[0] == '"' && s[i] == '\\' && i + 2 < s.size()) ++i;
      out += s[i];
    }
    return out;
  }
  return s;
}

}  // namespace

std::optional<std::string> evaluate_action(const std::string& body, const YAML::Node& values, const Chart& chart,
                                           const std::vector<std::string>& dot_path) {
  auto all = words(body);
  Dot dot{!dot_path.empty(), dot_path};
  auto operand = [&](const std::string& w) -> std::optional<std::string> {
    if (w.empty()) return std::nullopt;
    if (w[0] == '"' || w[0] == '`') return unquote(w);
    if (std::isdigit(static_cast<unsigned char>(w[0]))) return w;
    std::string_view t = w;
    if (t[0] == '$') t.remove_prefix(1);
    if (t == ".Chart.AppVersion") return chart.app_version;
    if (t == ".Chart.Name") return chart.name;
    if (auto r = values_ref({w}, dot)) return values_scalar(values, *r);
    return std::nullopt;
  };
  // Split the pipeline at top-level `|`.
  std::vector<std::vector<std::string>> commands(1);
  for (const auto& w : all) {
    if (w == "(" || w == ")") return std::nullopt;
    if (w == "|") commands.emplace_back();
    else commands.back().push_back(w);
  }
  std::optional<std::string> cur;
  for (size_t i = 0; i < commands.size(); ++i) {
    auto& c = commands[i];
    if (c.empty()) return std::nullopt;
    std::vector<std::optional<std::string>> args;
    for (size_t j = 1; j < c.size(); ++j) args.push_back(operand(c[j]));
    if (i > 0) args.push_back(cur);
    if (std::any_of(args.begin(), args.end(), [](const auto& a) { return !a; })) return std::nullopt;
    const std::string& f = c[0];
    if (i == 0 && c.size() == 1) {
      cur = operand(f);
    } else if (f == "default" && args.size() == 2) {
      cur = args[1]->empty() ? *args[0] : *args[1];
    } else if (f == "quote" && args.size() == 1) {
      cur = "\"" + *args[0] + "\"";
    } else if (f == "squote" && args.size() == 1) {
      cur = "'" + *args[0] + "'";
    } else if ((f == "toString" || f == "trim") && args.size() == 1) {
      cur = f == "trim" ? trim(*args[0]) : *args[0];
    } else if (f == "printf" && !args.empty()) {
      std::string fmt_s = *args[0], out;
      size_t k = 1;
      for (size_t p = 0; p < fmt_s.size(); ++p) {
        if (fmt_s[p] == '%' && p + 1 < fmt_s.size() && (fmt_s[p + 1] == 's' || fmt_s[p + 1] == 'v')) {
          if (k >= args.size()) return std::nullopt;
          out += *args[k++];
          ++p;
        } else {
          out += fmt_s[p];
        }
      }
      cur = out;
    } else {
      return std::nullopt;
    }
    if (!cur) return std::nullopt;
  }
  return cur;
}

std::string find_helm(const HelmOptions& options) {
  if (options.helm == "none") return {};
  if (!options.helm.empty()) return executable(options.helm) ? options.helm : std::string();
  return find_on_path("helm");
}

namespace {

Path to_path(const std::vector<std::string>& keys) { return Path(keys.begin(), keys.end()); }

struct ChartReader {
  const std::filesystem::path& root;
  std::vector<YamlFile>& files;
  ChartResult r;
  YAML::Node values{YAML::NodeType::Map};

  const YamlFile* values_file() const { return r.chart.values_file >= 0 ? &files[r.chart.values_file] : nullptr; }

  std::string rel(const std::string& name) const { return r.chart.dir == "." ? name : r.chart.dir + "/" + name; }

  // Where a securityContext that the template fills from `.Values.<path>` is written.
  Target values_target(const std::vector<std::string>& path) const {
    Target t;
    t.origin = Origin::Values;
    if (!values_file()) {
      t.why_not = fmt::format("the chart {} has no values.yaml", r.chart.dir);
      return t;
    }
    const YamlFile& vf = *values_file();
    t.file = r.chart.values_file;
    t.document = 0;
    t.path = to_path(path);
    // The deepest existing key on the path, or the file's start.
    t.near = vf.location(0, 0);
    for (size_t i = path.size(); i > 0; --i) {
      Path parent = to_path(std::vector<std::string>(path.begin(), path.begin() + i - 1));
      YAML::Node k, v;
      if (!vf.documents.empty() && find_entry(vf.at(0, parent), path[i - 1], k, v)) {
        auto [b, e] = vf.entry(k, v);
        t.near = vf.location(b, e);
        break;
      }
    }
    return t;
  }

  // The key whose value an emitting action fills: the key on its line, or
  // the nearest line above that is less indented than what it emits.
  uint32_t owner_key(const SanitizedTemplate& st, const YamlFile& tf, const TemplateAction& a) const {
    auto line_of = [&](uint32_t off) { return tf.position(off).first; };
    int line = line_of(a.begin);
    auto key_start = [&](int l) -> std::optional<uint32_t> {
      uint32_t b = tf.line_starts[l - 1];
      uint32_t e = tf.line_end(b);
      std::string_view lt = std::string_view(st.yaml).substr(b, e - b);
      size_t k = lt.find_first_not_of(' ');
      if (k == std::string_view::npos || lt[k] == '#') return std::nullopt;
      if (lt.substr(k, 2) == "- ") k = lt.find_first_not_of(' ', k + 2);
      return b + static_cast<uint32_t>(k);
    };
    if (!a.standalone) {
      if (auto k = key_start(line)) return *k;
    }
    for (int l = line - 1; l >= 1; --l) {
      auto k = key_start(l);
      if (!k) continue;
      uint32_t b = tf.line_starts[l - 1];
      std::string_view lt = std::string_view(st.yaml).substr(b, tf.line_end(b) - b);
      int indent = static_cast<int>(lt.find_first_not_of(' '));
      if (indent < a.indent) return *k;
    }
    return UINT32_MAX;
  }

  // Template fields that are one `{{ .Values.x }}`: read from values.yaml.
  void resolve_field(std::optional<Field>& f, const SanitizedTemplate& st, const std::vector<std::string>& dot) {
    if (!f) return;
    for (const auto& a : st.actions) {
      if (a.end <= f->where.begin || a.begin >= f->where.end) continue;
      if (a.standalone) continue;
      if (!a.ref_known || !values_file()) {
        f->value.clear();
        f->items.clear();
        return;
      }
      const YamlFile& vf = *values_file();
      Path vp = to_path(a.values_ref);
      YAML::Node v = vf.documents.empty() ? YAML::Node() : vf.at(0, vp);
      if (v.IsDefined() && v.IsScalar()) {
        YAML::Node parent = vf.at(0, Path(vp.begin(), vp.end() - 1));
        YAML::Node k, val;
        find_entry(parent, a.values_ref.back(), k, val);
        auto [b, e] = vf.entry(k, val);
        f->value = v.Scalar();
        f->where = vf.location(b, e);
        f->origin = Origin::Values;
        f->file = r.chart.values_file;
        f->document = 0;
        f->path = vp;
      } else {
        auto ev = evaluate_action(a.body, values, r.chart, dot);
        f->value = ev ? *ev : "";
      }
      return;
    }
  }

  void resolve_fields(SecurityContext& s, const SanitizedTemplate& st) {
    for (auto m : kSecurityFields) resolve_field(s.*m, st, {});
  }

  // The template's text of a scalar, with its actions evaluated.
  std::optional<std::string> evaluate_scalar(const SanitizedTemplate& st, const std::string& text, uint32_t b,
                                             uint32_t e) const {
    std::string out;
    uint32_t pos = b;
    for (const auto& a : st.actions) {
      if (a.end <= b || a.begin >= e) continue;
      out += text.substr(pos, a.begin - pos);
      auto v = evaluate_action(a.body, values, r.chart);
      if (!v) return std::nullopt;
      out += *v;
      pos = a.end;
    }
    out += text.substr(pos, e - pos);
    out = trim(out);
    if (out.size() >= 2 && out[0] == '\'' && out.back() == '\'') return out.substr(1, out.size() - 2);
    return unquote(out);
  }

  // A scalar's value: evaluated when its actions are simple, else as written.
  std::string scalar_text(const SanitizedTemplate& st, const std::string& text, const YamlFile& tf,
                          const YAML::Node& n) const {
    if (!n.IsScalar()) return {};
    uint32_t b = tf.start(n), e = tf.end(n);
    if (auto v = evaluate_scalar(st, text, b, e)) return *v;
    return trim(text.substr(b, e - b));
  }

  static Path plus(Path p, std::string key) {
    p.push_back(std::move(key));
    return p;
  }

  void fill_from_values(SecurityContext& s, Target& target, const std::vector<std::string>& path, Level level) {
    target = values_target(path);
    if (!values_file() || values_file()->documents.empty()) return;
    SecurityContext v = read_security(*values_file(), 0, to_path(path), level, Origin::Values, r.chart.values_file);
    auto fill = [](std::optional<Field>& mine, const std::optional<Field>& from) {
      if (!mine && from) mine = from;
    };
    for (auto m : kSecurityFields) fill(s.*m, v.*m);
  }

  void read_template(const std::string& rel_path) {
    auto text = read_text(root / rel_path);
    if (!text) {
      r.problems.push_back(Problem{rel_path, 0, 0, "cannot read the file"});
      return;
    }
    SanitizedTemplate st = sanitize_template(*text);
    YamlFile tf = YamlFile::parse(rel_path, st.yaml);
    if (!tf.error.empty()) {
      if (looks_like_workload(*text))
        r.notes.push_back(fmt::format("{}:{}: the template does not read as YAML once its {{{{ }}}} actions are set "
                                      "aside ({}); its securityContext is not checked",
                                      rel_path, tf.error_line, tf.error));
      return;
    }
    for (size_t d = 0; d < tf.documents.size(); ++d) {
      for (auto& w : read_workloads(tf, d, -1, Origin::Template)) {
        w.chart = r.chart.dir;
        w.name = scalar_text(st, *text, tf, tf.at(d, {"metadata", "name"}));
        resolve_fields(w.pod, st);
        w.pod_target = template_target(tf, d, w.pod_path, "podSecurityContext", 8);
        for (auto& c : w.containers) {
          resolve_fields(c.own, st);
          c.target = template_target(tf, d, c.path, "securityContext", 12);
          c.name = scalar_text(st, *text, tf, tf.at(d, plus(c.path, "name")));
          YAML::Node image = tf.at(d, c.path);
          YAML::Node k, v;
          if (find_entry(image, "image", k, v) && v.IsScalar()) {
            uint32_t b = tf.start(v), e = tf.end(v);
            c.image_text = trim(text->substr(b, e - b));
            auto ev = evaluate_scalar(st, *text, b, e);
            c.image = ev ? *ev : "";
          }
        }
        // `toYaml .Values.x` includes fill the securityContext keys they follow.
        for (const auto& a : st.actions) {
          if (!a.emits_yaml || !a.ref_known) continue;
          uint32_t key = owner_key(st, tf, a);
          auto owns = [&](const Path& owner) {
            YAML::Node k, v;
            return find_entry(tf.at(d, owner), "securityContext", k, v) && tf.start(k) == key;
          };
          if (owns(w.pod_path)) fill_from_values(w.pod, w.pod_target, a.values_ref, Level::Pod);
          for (auto& c : w.containers)
            if (owns(c.path)) fill_from_values(c.own, c.target, a.values_ref, Level::Container);
        }
        r.workloads.push_back(std::move(w));
      }
    }
  }

  // Until an include says otherwise: where the template writes the
  // securityContext (not editable) or that it writes none.
  Target template_target(const YamlFile& tf, size_t d, const Path& owner, const char* values_key, int nindent) const {
    Target t;
    t.origin = Origin::Template;
    YAML::Node k, v;
    YAML::Node o = tf.at(d, owner);
    if (find_entry(o, "securityContext", k, v)) {
      auto [b, e] = tf.entry(k, v);
      t.near = tf.location(b, e);
      t.why_not = fmt::format("the securityContext is written in the template {}:{}; dockerfix edits values.yaml, "
                              "not template text",
                              tf.path, t.near.line);
    } else {
      if (o.IsMap() && o.size() > 0) {
        auto [b, e] = tf.entry(o.begin()->first, o.begin()->second);
        t.near = tf.location(b, e);
      }
      t.why_not = fmt::format("{} writes no securityContext here; the chart needs `securityContext: "
                              "{{{{- toYaml .Values.{} | nindent {} }}}}` in its template first",
                              tf.path, values_key, nindent);
    }
    return t;
  }

  static bool looks_like_workload(const std::string& text) {
    for (const char* k : {"kind: Deployment", "kind: StatefulSet", "kind: DaemonSet", "kind: Job", "kind: CronJob",
                          "kind: Pod", "kind: ReplicaSet"})
      if (text.find(k) != std::string::npos) return true;
    return false;
  }

  void render(const std::string& helm) {
    std::filesystem::path dir = root / r.chart.dir;
    auto run = run_capture({helm, "template", "dockerfix", dir.lexically_normal().string()});
    if (!run.started) {
      r.chart.render_note = fmt::format("could not run {}: {}", helm, run.error);
      return;
    }
    if (run.status != 0) {
      std::string first = run.err.substr(0, run.err.find('\n'));
      r.chart.render_note = fmt::format("helm template failed: {}", first);
      return;
    }
    // Each `---` document of the output, with its `# Source: <chart>/templates/x.yaml`.
    std::map<std::string, std::vector<Workload>> rendered;
    std::string& out = run.out;
    size_t b = 0;
    std::string source;
    auto flush = [&](size_t e) {
      std::string chunk = out.substr(b, e - b);
      auto pos = chunk.find("# Source: ");
      if (pos != std::string::npos) source = trim(chunk.substr(pos + 10, chunk.find('\n', pos) - pos - 10));
      YamlFile y = YamlFile::parse(rel("(rendered) " + source), chunk);
      for (size_t d = 0; d < y.documents.size(); ++d)
        for (auto& w : read_workloads(y, d, -1, Origin::Rendered)) rendered[source].push_back(std::move(w));
    };
    for (size_t p = 0; p <= out.size();) {
      size_t e = out.find('\n', p);
      if (e == std::string::npos) e = out.size();
      std::string_view line = std::string_view(out).substr(p, e - p);
      if (line.substr(0, 3) == "---" && (line.size() == 3 || ws(line[3]))) {
        flush(p);
        b = e + 1 > out.size() ? out.size() : e + 1;
      }
      p = e + 1;
    }
    if (b < out.size()) flush(out.size());
    merge_rendered(rendered);
    r.chart.rendered = true;
  }

  void merge_rendered(std::map<std::string, std::vector<Workload>>& rendered) {
    std::map<std::string, size_t> seen;
    for (auto& w : r.workloads) {
      std::string tpl = w.file.substr(r.chart.dir == "." ? 0 : r.chart.dir.size() + 1);
      auto& list = rendered[r.chart.name + "/" + tpl];
      size_t k = seen[w.file]++;
      if (k >= list.size() || list[k].kind != w.kind) continue;
      Workload& rw = list[k];
      w.rendered = true;
      w.name = rw.name;
      w.volume_claims = rw.volume_claims;
      overlay(w.pod, rw.pod, w.pod_target, w.where);
      for (size_t i = 0; i < w.containers.size() && i < rw.containers.size(); ++i) {
        Container& c = w.containers[i];
        c.image = rw.containers[i].image;
        overlay(c.own, rw.containers[i].own, c.target, c.where);
      }
      list[k].kind.clear();  // used
    }
    // What only the rendered output has (subcharts): checked, never edited.
    for (auto& [source, list] : rendered)
      for (auto& w : list) {
        if (w.kind.empty()) continue;
        w.chart = r.chart.dir;
        w.rendered = true;
        std::string tpl = source.substr(std::min(source.size(), r.chart.name.size() + 1));
        for (Location* l : {&w.where, &w.pod_target.near}) *l = Location{rel(tpl), 1, 1, 0, 0};
        w.file = rel(tpl);
        w.pod_target.why_not = fmt::format("{} is only seen rendered by helm", w.label());
        for (auto& c : w.containers) {
          c.where = c.target.near = w.where;
          c.target.why_not = w.pod_target.why_not;
        }
        r.workloads.push_back(std::move(w));
      }
  }

  // Rendered values win; keys only the output has point at the template.
  static void overlay(SecurityContext& mine, const SecurityContext& out, const Target& target, const Location& fallback) {
    auto one = [&](std::optional<Field>& m, const std::optional<Field>& o) {
      if (!o) {
        m.reset();
        return;
      }
      if (m) {
        m->value = o->value;
        m->items = o->items;
        return;
      }
      m = o;
      m->where = target.near.line ? target.near : fallback;
      m->file = -1;
    };
    for (auto m : kSecurityFields) one(mine.*m, out.*m);
  }
};

}  // namespace

ChartResult read_chart(const std::filesystem::path& root, const std::string& dir, std::vector<YamlFile>& files,
                       const HelmOptions& options) {
  ChartReader cr{root, files, {}};
  cr.r.chart.dir = dir;
  if (auto text = read_text(root / dir / "Chart.yaml")) {
    YamlFile chart = YamlFile::parse(cr.rel("Chart.yaml"), *text);
    if (!chart.error.empty())
      cr.r.problems.push_back(Problem{chart.path, chart.error_line, chart.error_column, chart.error});
    else if (!chart.documents.empty()) {
      cr.r.chart.name = scalar_of(chart.at(0, {"name"}));
      cr.r.chart.app_version = scalar_of(chart.at(0, {"appVersion"}));
    }
  }
  for (const char* name : {"values.yaml", "values.yml"}) {
    auto text = read_text(root / dir / name);
    if (!text) continue;
    YamlFile vf = YamlFile::parse(cr.rel(name), *text);
    if (!vf.error.empty()) {
      cr.r.problems.push_back(Problem{vf.path, vf.error_line, vf.error_column, vf.error});
      break;
    }
    if (!vf.documents.empty() && vf.documents[0].IsMap()) cr.values.reset(vf.documents[0]);
    cr.r.chart.values_file = static_cast<int>(files.size());
    files.push_back(std::move(vf));
    break;
  }
  cr.r.chart.templates = list_files(root, cr.rel("templates"), {".yaml", ".yml"});
  for (const auto& t : cr.r.chart.templates) {
    std::string base = std::filesystem::path(t).filename().string();
    if (!base.empty() && base[0] == '_') continue;  // Helm renders no partials
    cr.read_template(t);
  }
  std::string helm = find_helm(options);
  if (helm.empty())
    cr.r.chart.render_note = options.helm == "none" ? "rendering disabled" : "helm is not on PATH";
  else
    cr.render(helm);
  return std::move(cr.r);
}

}  // namespace dockerfix::k8s
