#include "transforms/buildkit_support.h"

#include <algorithm>
#include <list>
#include <regex>

#include "grammar/buildkit_words.h"
#include "grammar/go_text.h"
#include "dockerfix/model.h"

namespace dockerfix::fix::buildkit {

namespace {

constexpr int kEnd = -1;

bool name_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }
bool special_param(char c) { return std::string_view("@*#?-$!0").find(c) != std::string_view::npos; }

// A glob (`*`, `?`) matching all of `s`.
bool glob_match(std::string_view p, std::string_view s) {
  if (p.empty()) return s.empty();
  if (p[0] == '*') {
    for (size_t i = 0; i <= s.size(); ++i)
      if (glob_match(p.substr(1), s.substr(i))) return true;
    return false;
  }
  if (s.empty()) return false;
  if (p[0] == '?' || p[0] == s[0]) return glob_match(p.substr(1), s.substr(1));
  return false;
}

// BuildKit's shellWord, for one word (ProcessWord): quotes are removed,
// `$` expansions made, and every variable looked up is recorded.
class Lexer {
 public:
  Lexer(std::string_view s, const Env& env, char escape, bool quotes)
      : s_(s), env_(env), escape_(escape), quotes_(quotes) {}

  Expansion run() {
    Expansion out;
    std::string result;
    if (!stop_on(kEnd, false, result)) {
      out.ok = false;
      return out;
    }
    out.result = std::move(result);
    out.matched = std::move(matched_);
    out.unmatched = std::move(unmatched_);
    return out;
  }

 private:
  int peek() const { return pos_ < s_.size() ? static_cast<unsigned char>(s_[pos_]) : kEnd; }
  int next() { return pos_ < s_.size() ? static_cast<unsigned char>(s_[pos_++]) : kEnd; }

  std::optional<std::string> lookup(const std::string& name) {
    auto it = env_.find(name);
    if (it == env_.end()) {
      unmatched_.insert(name);
      return std::nullopt;
    }
    matched_.insert(name);
    return it->second;
  }

  bool stop_on(int stop, bool raw_escapes, std::string& out) {
    while (peek() != kEnd) {
      int ch = peek();
      if (stop != kEnd && ch == stop) {
        next();
        return true;
      }
      std::string part;
      if (ch == '$') {
        if (!dollar(part)) return false;
        out += part;
      } else if (ch == '\'' && quotes_) {
        if (!single_quote(part)) return false;
        out += part;
      } else if (ch == '"' && quotes_) {
        if (!double_quote(part)) return false;
        out += part;
      } else {
        ch = next();
        if (ch == static_cast<unsigned char>(escape_)) {
          if (raw_escapes) out += static_cast<char>(ch);
          ch = next();
          if (ch == kEnd) break;
        }
        out += static_cast<char>(ch);
      }
    }
    return stop == kEnd;
  }

  bool single_quote(std::string& out) {
    next();
    for (;;) {
      int ch = next();
      if (ch == kEnd) return false;
      if (ch == '\'') return true;
      out += static_cast<char>(ch);
    }
  }

  bool double_quote(std::string& out) {
    next();
    for (;;) {
      int ch = peek();
      if (ch == kEnd) return false;
      if (ch == '"') {
        next();
        return true;
      }
      if (ch == '$') {
        std::string v;
        if (!dollar(v)) return false;
        out += v;
        continue;
      }
      ch = next();
      if (ch == static_cast<unsigned char>(escape_)) {
        int n = peek();
        if (n == kEnd) continue;
        // Only these can be escaped; any other escape char is kept.
        if (n == '"' || n == '$' || n == static_cast<unsigned char>(escape_)) ch = next();
      }
      out += static_cast<char>(ch);
    }
  }

  std::string name() {
    std::string n;
    if (peek() != kEnd && std::isdigit(peek())) {
      while (peek() != kEnd && std::isdigit(peek())) n += static_cast<char>(next());
      return n;
    }
    if (peek() != kEnd && special_param(static_cast<char>(peek()))) return std::string(1, static_cast<char>(next()));
    while (peek() != kEnd && name_char(static_cast<char>(peek()))) n += static_cast<char>(next());
    return n;
  }

  bool dollar(std::string& out) {
    next();
    if (peek() != '{') {
      std::string n = name();
      if (n.empty()) {
        out = "$";
        return true;
      }
      out = lookup(n).value_or("");
      return true;
    }
    next();
    int first = peek();
    if (first == kEnd || first == '{' || first == '}' || first == ':') return false;
    std::string n = name();
    int ch = next();
    bool null_is_unset = false;
    if (ch == '}') {
      out = lookup(n).value_or("");
      return true;
    }
    if (ch == ':') {
      null_is_unset = true;
      ch = next();
    }
    if (ch == '+' || ch == '-' || ch == '?' || ch == '#' || ch == '%') {
      bool raw = ch == '#' || ch == '%';
      if (null_is_unset && raw) return false;
      std::string word;
      if (!stop_on('}', raw, word)) return false;
      auto v = lookup(n);
      bool unset = !v || (null_is_unset && v->empty());
      switch (ch) {
        case '-': out = unset ? word : *v; return true;
        case '+': out = unset ? "" : word; return true;
        case '?': if (unset) return false; out = *v; return true;
        default: break;
      }
      std::string value = v.value_or("");
      bool greedy = !word.empty() && word[0] == static_cast<char>(ch);
      if (greedy) word.erase(0, 1);
      out = value;
      if (ch == '#') {
        for (size_t k = 0; k <= value.size(); ++k) {
          size_t len = greedy ? value.size() - k : k;
          if (glob_match(word, std::string_view(value).substr(0, len))) {
            out = value.substr(len);
            break;
          }
        }
      } else {
        for (size_t k = 0; k <= value.size(); ++k) {
          size_t at = greedy ? k : value.size() - k;
          if (glob_match(word, std::string_view(value).substr(at))) {
            out = value.substr(0, at);
            break;
          }
        }
      }
      return true;
    }
    if (ch == '/') {
      bool all = peek() == '/';
      if (all) next();
      std::string pattern, replacement;
      if (!stop_on('/', true, pattern) || !stop_on('}', true, replacement)) return false;
      std::string value = lookup(n).value_or("");
      // Literal patterns only; a glob leaves the value as it was.
      if (!pattern.empty() && pattern.find_first_of("*?[") == std::string::npos) {
        for (size_t at = value.find(pattern); at != std::string::npos; at = value.find(pattern, at + replacement.size())) {
          value.replace(at, pattern.size(), replacement);
          if (!all) break;
        }
      }
      out = value;
      return true;
    }
    return false;
  }

  std::string_view s_;
  const Env& env_;
  char escape_;
  bool quotes_;
  size_t pos_ = 0;
  std::set<std::string> matched_, unmatched_;
};

std::string trim(std::string_view s) {
  while (!s.empty() && go::is_space_rune(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && go::is_space_rune(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

size_t levenshtein(std::string_view a, std::string_view b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j)
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

}  // namespace

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::string go_quote(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string spelled(const Dockerfile& f, const Instruction& ins) { return std::string(f.text(ins.keyword_span)); }

Expansion process_word(std::string_view word, const Env& env, char escape, bool quotes) {
  return Lexer(word, env, escape, quotes).run();
}

std::vector<KeyValue> key_values(const Instruction& ins, char escape) {
  std::vector<KeyValue> out;
  const std::string& rest = ins.arguments;
  auto words = grammar::parse_words(rest, escape);
  if (words.empty()) return out;
  if (ins.keyword == "ARG") {
    for (const auto& w : words) {
      auto eq = w.find('=');
      if (eq == std::string::npos) out.push_back({w, std::nullopt, false});
      else out.push_back({w.substr(0, eq), w.substr(eq + 1), false});
    }
    return out;
  }
  if (words[0].find('=') == std::string::npos) {
    // The legacy form: the first word is the key, the rest of the line its value.
    size_t sp = 0;
    while (sp < rest.size() && !go::is_space_rune(static_cast<unsigned char>(rest[sp]))) ++sp;
    size_t v = sp;
    while (v < rest.size() && go::is_space_rune(static_cast<unsigned char>(rest[v]))) ++v;
    if (sp == rest.size()) return out;  // BuildKit: "must have two arguments"
    out.push_back({rest.substr(0, sp), rest.substr(v), true});
    return out;
  }
  for (const auto& w : words) {
    auto eq = w.find('=');
    if (eq == std::string::npos || eq == 0) return {};  // BuildKit refuses the instruction
    out.push_back({w.substr(0, eq), w.substr(eq + 1), false});
  }
  return out;
}

std::vector<std::string> prev_comments(const Dockerfile& f, size_t i) {
  std::vector<std::string> out;
  if (i >= f.instructions.size()) return out;
  int from = i == 0 ? 1 : f.instructions[i - 1].end_line + 1;
  int to = f.instructions[i].start_line - 1;
  for (int line = from; line <= to; ++line) {
    if (std::any_of(f.directives.begin(), f.directives.end(), [&](const Directive& d) { return d.line == line; }))
      continue;
    uint32_t b = f.line_starts[static_cast<size_t>(line - 1)];
    uint32_t e = static_cast<size_t>(line) < f.line_starts.size() ? f.line_starts[static_cast<size_t>(line)]
                                                                  : static_cast<uint32_t>(f.source.size());
    std::string_view text = f.text({b, e});
    if (line == 1 && text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.remove_suffix(1);
    size_t lead = 0;
    while (lead < text.size() && (text[lead] == ' ' || text[lead] == '\t')) ++lead;
    if (lead == text.size() || text[lead] != '#') continue;
    // BuildKit drops the line's first byte, not the `#`: "  # x" gives "# x".
    std::string comment = trim(text.substr(1));
    if (comment.empty()) out.clear();
    else out.push_back(comment);
  }
  return out;
}

std::optional<std::string> suggest(std::string_view value, const std::vector<std::string>& options, bool case_sensitive) {
  std::string val = case_sensitive ? std::string(value) : lower(std::string(value));
  std::optional<std::string> match;
  size_t min = 3;
  for (const auto& option : options) {
    std::string opt = case_sensitive ? option : lower(option);
    if (opt == val) return std::nullopt;
    size_t d = levenshtein(val, opt);
    if (d < min) {
      match = option;
      min = d;
    }
  }
  return match;
}

namespace {

bool ascii_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool ascii_digit(char c) { return c >= '0' && c <= '9'; }
bool ascii_alnum(char c) { return ascii_alpha(c) || ascii_digit(c); }
bool lower_alnum(char c) { return (c >= 'a' && c <= 'z') || ascii_digit(c); }
bool hex_digit(char c) { return ascii_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
bool word_char(char c) { return ascii_alnum(c) || c == '_'; }  // std::regex's \w in the C locale

template <class Pred>
bool all_of(std::string_view s, Pred p) {
  return std::all_of(s.begin(), s.end(), p);
}

// Calls `each` with the parts of `s` between `sep`s (empty ones too) until it returns false.
template <class Each>
bool every_part(std::string_view s, char sep, Each each) {
  for (size_t i = 0;;) {
    size_t at = s.find(sep, i);
    if (!each(s.substr(i, at == std::string_view::npos ? std::string_view::npos : at - i))) return false;
    if (at == std::string_view::npos) return true;
    i = at + 1;
  }
}

// distribution/reference's grammar, the parts of its regexp (which it
// matches whole) read left to right: every part ends where the next
// one's first character (`/`, `:`, `@`) first appears, so no choice is
// ever taken back.
// domain: (?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\.(...))* or \[[a-fA-F0-9:]+\], then (?::[0-9]+)?
bool domain(std::string_view d) {
  std::string_view port;
  if (!d.empty() && d.front() == '[') {
    size_t close = d.find(']');
    if (close == std::string_view::npos || close == 1) return false;
    if (!all_of(d.substr(1, close - 1), [](char c) { return hex_digit(c) || c == ':'; })) return false;
    port = d.substr(close + 1);
  } else {
    size_t colon = d.find(':');
    auto component = [](std::string_view c) {
      return !c.empty() && ascii_alnum(c.front()) && ascii_alnum(c.back()) &&
             all_of(c, [](char ch) { return ascii_alnum(ch) || ch == '-'; });
    };
    if (!every_part(d.substr(0, colon), '.', component)) return false;
    if (colon != std::string_view::npos) port = d.substr(colon);
  }
  return port.empty() || (port.front() == ':' && port.size() > 1 && all_of(port.substr(1), ascii_digit));
}

// [a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*
bool path_component(std::string_view c) {
  if (c.empty() || !lower_alnum(c.front()) || !lower_alnum(c.back())) return false;
  for (size_t i = 0; i < c.size();) {
    if (lower_alnum(c[i])) {
      ++i;
      continue;
    }
    size_t j = i;
    while (j < c.size() && !lower_alnum(c[j])) ++j;
    const std::string_view sep = c.substr(i, j - i);
    if (sep != "." && sep != "_" && sep != "__" && !all_of(sep, [](char ch) { return ch == '-'; })) return false;
    i = j;
  }
  return true;
}

// path(?:/path)*, then (?::[\w][\w.-]{0,127})?, then
// (?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?
bool name_tag_digest(std::string_view r) {
  const size_t end = r.find_first_of(":@");
  if (!every_part(r.substr(0, end), '/', path_component)) return false;
  r = end == std::string_view::npos ? std::string_view() : r.substr(end);
  if (!r.empty() && r.front() == ':') {
    const size_t at = r.find('@');
    const std::string_view tag = r.substr(1, at == std::string_view::npos ? std::string_view::npos : at - 1);
    if (tag.empty() || tag.size() > 128 || !word_char(tag.front()) ||
        !all_of(tag, [](char c) { return word_char(c) || c == '.' || c == '-'; }))
      return false;
    r = at == std::string_view::npos ? std::string_view() : r.substr(at);
  }
  if (r.empty()) return true;
  const std::string_view digest = r.substr(1);  // after the `@`
  const size_t colon = digest.find(':');
  if (colon == std::string_view::npos) return false;
  auto algorithm_part = [](std::string_view p) { return !p.empty() && ascii_alpha(p.front()) && all_of(p, ascii_alnum); };
  const std::string_view algorithm = digest.substr(0, colon), hex = digest.substr(colon + 1);
  // The separators [-_+.] split the algorithm into parts; each must be there.
  std::string parts(algorithm);
  std::replace_if(parts.begin(), parts.end(), [](char c) { return c == '-' || c == '_' || c == '+'; }, '.');
  return every_part(parts, '.', algorithm_part) && hex.size() >= 32 && all_of(hex, hex_digit);
}

}  // namespace

// (?:domain/)?name[:tag][@digest]; a domain has no `/`.
bool reference_grammar(std::string_view s) {
  if (name_tag_digest(s)) return true;
  const size_t slash = s.find('/');
  return slash != std::string_view::npos && domain(s.substr(0, slash)) && name_tag_digest(s.substr(slash + 1));
}

bool valid_image_reference(std::string_view name) {
  std::string s(name);
  if (s.empty() || (s.size() == 64 && all_of(s, [](char c) { return ascii_digit(c) || (c >= 'a' && c <= 'f'); })))
    return false;
  // The first component is a registry when it has a dot or a port, is
  // localhost, or is not lower-case.
  std::string remainder = s;
  auto slash = s.find('/');
  if (slash != std::string::npos) {
    std::string first = s.substr(0, slash);
    if (first.find_first_of(".:") != std::string::npos || first == "localhost" || lower(first) != first)
      remainder = s.substr(slash + 1);
  }
  std::string remote = remainder.substr(0, remainder.find(':'));
  if (lower(remote) != remote) return false;
  auto path_end = s.find_first_of(":@", slash == std::string::npos ? 0 : slash);
  if ((path_end == std::string::npos ? s.size() : path_end) > 255) return false;
  return reference_grammar(s);
}

std::optional<Platform> parse_platform(std::string_view text) {
  static const std::regex component("^[A-Za-z0-9_.-]+$");
  static const std::set<std::string> os_names{"aix",   "android", "darwin", "dragonfly", "freebsd", "hurd",
                                              "illumos", "ios",   "js",     "linux",     "nacl",    "netbsd",
                                              "openbsd", "plan9", "solaris", "windows",  "zos"};
  static const std::set<std::string> arch_names{
      "386",  "amd64",  "amd64p32", "arm",        "armbe",       "arm64",   "arm64be", "ppc64", "ppc64le",
      "loong64", "mips", "mipsle", "mips64",     "mips64le",    "mips64p32", "mips64p32le", "ppc", "riscv",
      "riscv64", "s390", "s390x",  "sparc",      "sparc64",     "wasm"};
  std::vector<std::string> parts;
  std::string s(text);
  if (s.find('*') != std::string::npos) return std::nullopt;
  for (size_t i = 0;;) {
    size_t at = s.find('/', i);
    parts.push_back(s.substr(i, at == std::string::npos ? std::string::npos : at - i));
    if (at == std::string::npos) break;
    i = at + 1;
  }
  if (parts.size() > 3) return std::nullopt;
  for (const auto& p : parts)
    if (!std::regex_match(p, component)) return std::nullopt;
  auto norm_os = [](std::string os) {
    os = lower(os);
    return os == "macos" ? std::string("darwin") : os;
  };
  auto norm_arch = [](std::string arch, std::string variant) {
    arch = lower(arch);
    variant = lower(variant);
    if (arch == "i386") return std::pair<std::string, std::string>{"386", ""};
    if (arch == "x86_64" || arch == "x86-64" || arch == "amd64") return std::pair<std::string, std::string>{"amd64", variant == "v1" ? "" : variant};
    if (arch == "aarch64" || arch == "arm64")
      return std::pair<std::string, std::string>{"arm64", variant == "8" || variant == "v8" ? "" : variant};
    if (arch == "armhf") return std::pair<std::string, std::string>{"arm", "v7"};
    if (arch == "armel") return std::pair<std::string, std::string>{"arm", "v6"};
    if (arch == "arm") {
      if (variant.empty() || variant == "7") variant = "v7";
      else if (variant == "5" || variant == "6" || variant == "8") variant = "v" + variant;
      return std::pair<std::string, std::string>{"arm", variant};
    }
    return std::pair<std::string, std::string>{arch, variant};
  };
  Platform p;
  if (parts.size() == 1) {
    if (os_names.count(norm_os(parts[0]))) {
      p.os = norm_os(parts[0]);
      p.architecture = "amd64";
      return p;
    }
    auto [arch, variant] = norm_arch(parts[0], "");
    if (!arch_names.count(arch)) return std::nullopt;
    p.os = "linux";
    p.architecture = arch;
    p.variant = variant;
    return p;
  }
  p.os = norm_os(parts[0]);
  std::tie(p.architecture, p.variant) = norm_arch(parts[1], parts.size() == 3 ? parts[2] : "");
  return p;
}

Env predefined_args(const std::map<std::string, std::string>& build_args) {
  static const Env defaults{{"BUILDPLATFORM", "linux/amd64"}, {"BUILDOS", "linux"},    {"BUILDOSVERSION", ""},
                            {"BUILDARCH", "amd64"},           {"BUILDVARIANT", ""},    {"TARGETPLATFORM", "linux/amd64"},
                            {"TARGETOS", "linux"},            {"TARGETOSVERSION", ""}, {"TARGETARCH", "amd64"},
                            {"TARGETVARIANT", ""},            {"TARGETSTAGE", "default"}};
  Env env = defaults;
  if (!build_args.empty())
    for (auto& [k, v] : env)
      if (auto it = build_args.find(k); it != build_args.end()) v = it->second;
  return env;
}

MetaArgs meta_args(const Dockerfile& f, const std::map<std::string, std::string>& build_args, bool with_build_args) {
  MetaArgs out;
  out.values = predefined_args(with_build_args ? build_args : std::map<std::string, std::string>{});
  for (const auto& ins : f.instructions) {
    if (ins.keyword == "FROM") break;
    if (ins.keyword != "ARG") continue;
    for (const auto& kv : key_values(ins, f.escape)) {
      out.declared.insert(kv.key);
      if (auto it = build_args.find(kv.key); with_build_args && it != build_args.end()) {
        out.values[kv.key] = it->second;
      } else if (kv.value) {
        auto e = process_word(*kv.value, out.values, f.escape);
        if (!e.ok) {
          out.ok = false;
          return out;
        }
        out.values[kv.key] = e.result;
      }
    }
  }
  return out;
}

namespace {

// key_values(ctx, i) of one model, by instruction.
struct KnownKeyValues {
  std::vector<std::optional<std::vector<KeyValue>>> by_instruction;
};

}  // namespace

const std::vector<KeyValue>& key_values(const Context& ctx, size_t i) {
  auto& known = ctx.model.derived.slot<KnownKeyValues>().by_instruction;
  if (known.empty()) known.resize(ctx.file.instructions.size());
  auto& slot = known.at(i);
  if (!slot) slot = key_values(ctx.file.instructions[i], ctx.file.escape);
  return *slot;
}

namespace {

// meta_args() of one model, for the build arguments it was asked with.
struct KnownMetaArgs {
  struct Entry {
    std::map<std::string, std::string> build_args;
    bool with_build_args;
    MetaArgs meta;
  };
  std::list<Entry> entries;  // a list, so that the references handed out stay valid
};

}  // namespace

const MetaArgs& meta_args(const Context& ctx, bool with_build_args) {
  auto& known = ctx.model.derived.slot<KnownMetaArgs>().entries;
  const auto& args = ctx.options.model.build_args;
  for (const auto& e : known)
    if (e.with_build_args == with_build_args && e.build_args == args) return e.meta;
  known.push_back({args, with_build_args, meta_args(ctx.file, args, with_build_args)});
  return known.back().meta;
}

Span on_first_line(const Dockerfile& f, const Instruction& ins, Span s) {
  return f.position(s.begin).first == ins.start_line ? s : ins.keyword_span;
}

Span find_on_first_line(const Dockerfile& f, const Instruction& ins, std::string_view needle, size_t from) {
  auto at = ins.arguments.find(needle, from);
  if (at == std::string::npos) return ins.keyword_span;
  uint32_t b = ins.file_offset(static_cast<uint32_t>(ins.arguments_offset + at));
  uint32_t e = ins.file_offset(static_cast<uint32_t>(ins.arguments_offset + at + needle.size() - 1)) + 1;
  if (f.text({b, e}) != needle) return ins.keyword_span;  // crosses a line: point at the keyword
  return on_first_line(f, ins, {b, e});
}

std::optional<FromWords> from_words(const Dockerfile&, const Instruction& ins) {
  if (ins.keyword != "FROM") return std::nullopt;
  std::vector<std::pair<size_t, size_t>> words;  // [begin, end) in arguments
  const std::string& a = ins.arguments;
  for (size_t i = 0; i < a.size();) {
    while (i < a.size() && go::is_space_rune(static_cast<unsigned char>(a[i]))) ++i;
    if (i == a.size()) break;
    size_t b = i;
    while (i < a.size() && !go::is_space_rune(static_cast<unsigned char>(a[i]))) ++i;
    words.emplace_back(b, i);
  }
  if (words.empty()) return std::nullopt;
  auto span_of = [&](std::pair<size_t, size_t> w) {
    return Span{ins.file_offset(static_cast<uint32_t>(ins.arguments_offset + w.first)),
                ins.file_offset(static_cast<uint32_t>(ins.arguments_offset + w.second - 1)) + 1};
  };
  FromWords out;
  out.image = a.substr(words[0].first, words[0].second - words[0].first);
  out.image_span = span_of(words[0]);
  if (words.size() == 3) {
    out.as = a.substr(words[1].first, words[1].second - words[1].first);
    out.name = a.substr(words[2].first, words[2].second - words[2].first);
    out.as_span = span_of(words[1]);
    out.name_span = span_of(words[2]);
    out.has_name = lower(out.as) == "as";
  }
  return out;
}

namespace {

std::vector<std::string> whitespace_words(std::string_view s) {
  std::vector<std::string> out;
  for (size_t i = 0; i < s.size();) {
    while (i < s.size() && go::is_space_rune(static_cast<unsigned char>(s[i]))) ++i;
    size_t b = i;
    while (i < s.size() && !go::is_space_rune(static_cast<unsigned char>(s[i]))) ++i;
    if (i > b) out.emplace_back(s.substr(b, i - b));
  }
  return out;
}

const std::string* flag_value(const Instruction& ins, std::string_view name) {
  for (const auto& f : ins.flags)
    if (f.name == name && f.value) return &*f.value;
  return nullptr;
}

Env parse_env(const std::vector<std::string>& list) {
  Env env;
  for (const auto& kv : list) {
    auto eq = kv.find('=');
    env[kv.substr(0, eq)] = eq == std::string::npos ? "" : kv.substr(eq + 1);
  }
  return env;
}

}  // namespace

std::vector<std::string> copy_paths(const Instruction& ins) {
  std::vector<std::string> words = ins.exec_form ? ins.exec : whitespace_words(ins.arguments);
  if (!ins.heredocs.empty())
    words.erase(std::remove_if(words.begin(), words.end(), [](const std::string& w) { return w.starts_with("<<"); }),
                words.end());
  return words;
}

std::vector<ExpandedWord> expanded_words(const Instruction& ins, char escape) {
  std::vector<ExpandedWord> out;
  const std::string& k = ins.keyword;
  if (k == "ENV" || k == "LABEL") {
    for (const auto& kv : key_values(ins, escape)) {
      out.push_back({kv.key});
      if (kv.value) out.push_back({*kv.value});
    }
  } else if (k == "COPY" || k == "ADD") {
    for (const char* name : {"chown", "chmod", "checksum"})
      if (const std::string* v = flag_value(ins, name); v && (k == "ADD" || std::string_view(name) != "checksum"))
        out.push_back({*v});
    for (auto& w : copy_paths(ins)) out.push_back({w});
    for (const auto& h : ins.heredocs)
      if (h.expand) out.push_back({h.body, true});
  } else if (k == "WORKDIR" || k == "USER" || k == "STOPSIGNAL") {
    out.push_back({ins.arguments});
  } else if (k == "VOLUME") {
    for (auto& w : ins.exec_form ? ins.exec : whitespace_words(ins.arguments)) out.push_back({w});
  } else if (k == "RUN") {
    for (const auto& f : ins.flags)
      if (f.name == "mount" && f.value) out.push_back({*f.value});
  }
  return out;
}

namespace {

// stage_states() of one model, for the build arguments it was asked with.
struct KnownStates {
  // A list, so that the references handed out stay valid.
  std::list<std::pair<std::map<std::string, std::string>, StageStates>> by_args;
};

StageStates compute_stage_states(const Context& ctx) {
  const Dockerfile& f = ctx.file;
  const auto& build_args = ctx.options.model.build_args;
  const MetaArgs& globals = meta_args(ctx);
  StageStates out(f.instructions.size());
  std::vector<std::shared_ptr<const StageState>> ends;  // each stage's state at its end
  std::shared_ptr<const StageState> cur;
  size_t stage = 0;
  for (size_t i = 0; i < f.instructions.size(); ++i) {
    const Instruction& ins = f.instructions[i];
    if (ins.keyword == "FROM") {
      if (cur) ends.push_back(cur);
      const model::Stage* s = stage < ctx.model.stages.size() ? &ctx.model.stages[stage] : nullptr;
      ++stage;
      if (s && s->parent_stage && *s->parent_stage < ends.size()) {
        cur = ends[*s->parent_stage];
      } else {
        auto st = std::make_shared<StageState>();
        if (s && s->base.valid && s->base.repository == "library/scratch") {
          st->env = {{"PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"}};
        } else if (s && s->facts && s->facts->env) {
          st->env = parse_env(*s->facts->env);
          st->windows = s->facts->family == "windows";
        } else {
          st->env_known = false;
          st->windows = s && s->facts && s->facts->family == "windows";
        }
        cur = std::move(st);
      }
      out[i] = cur;
      continue;
    }
    if (!cur) continue;
    out[i] = cur;
    if (ins.keyword == "ENV") {
      // Every value expands with the environment before the instruction.
      const Env& before = cur->env;
      auto next = std::make_shared<StageState>(*cur);
      for (const auto& kv : key_values(ctx, i)) {
        auto key = process_word(kv.key, before, f.escape).result;
        next->env[key] = kv.value ? process_word(*kv.value, before, f.escape).result : "";
      }
      cur = std::move(next);
    } else if (ins.keyword == "ARG") {
      auto next = std::make_shared<StageState>(*cur);
      for (const auto& kv : key_values(ctx, i)) {
        std::optional<std::string> value;
        if (auto it = build_args.find(kv.key); it != build_args.end()) value = it->second;
        else if (kv.value) value = process_word(*kv.value, next->env, f.escape).result;
        else if (auto g = globals.values.find(kv.key); g != globals.values.end()) value = g->second;
        if (value && kv.key != "BUILDKIT_SBOM_SCAN_CONTEXT" && kv.key != "BUILDKIT_SBOM_SCAN_STAGE")
          next->env[kv.key] = *value;
        next->declared_args.insert(kv.key);
      }
      cur = std::move(next);
    }
  }
  return out;
}

}  // namespace

const StageStates& stage_states(const Context& ctx) {
  auto& known = ctx.model.derived.slot<KnownStates>().by_args;
  const auto& args = ctx.options.model.build_args;
  for (const auto& [a, states] : known)
    if (a == args) return states;
  known.emplace_back(args, compute_stage_states(ctx));
  return known.back().second;
}

// The instruction's ports; words with variables are expanded with the
// stage's environment when it is known, else skipped.
std::vector<ExposedPort> exposed_ports(const Context& ctx, size_t i) {
  const auto& f = ctx.file;
  const Instruction& ins = f.instructions[i];
  std::vector<ExposedPort> out;
  const StageStates* states = nullptr;
  const std::string& a = ins.arguments;
  for (size_t k = 0; k < a.size();) {
    while (k < a.size() && (a[k] == ' ' || a[k] == '\t')) ++k;
    size_t b = k;
    while (k < a.size() && a[k] != ' ' && a[k] != '\t') ++k;
    if (k == b) break;
    std::string word = a.substr(b, k - b);
    ExposedPort p;
    bool literal = word.find_first_of("$\"'") == std::string::npos && word.find(f.escape) == std::string::npos;
    if (literal) {
      p.raw = word;
    } else {
      if (!states) states = &stage_states(ctx);
      const auto& st = (*states)[i];
      if (!st || !st->env_known) continue;
      auto e = process_word(word, st->env, f.escape);
      if (!e.ok || e.result.find_first_of(" \t") != std::string::npos) continue;
      p.raw = e.result;
    }
    std::vector<std::string> parts;
    for (size_t at = 0;;) {
      size_t c = p.raw.find(':', at);
      parts.push_back(p.raw.substr(at, c == std::string::npos ? std::string::npos : c - at));
      if (c == std::string::npos) break;
      at = c + 1;
    }
    std::string container = parts.back();
    if (parts.size() >= 2) p.host = parts[parts.size() - 2];
    for (size_t n = 0; n + 2 < parts.size(); ++n) p.ip += (n ? ":" : "") + parts[n];
    auto slash = container.find('/');
    std::string port = container.substr(0, slash);
    if (slash != std::string::npos) p.proto = container.substr(slash + 1);
    const std::string lp = lower(p.proto);
    p.valid = !port.empty() && (lp.empty() || lp == "tcp" || lp == "udp" || lp == "sctp");
    if (literal && slash != std::string::npos) {
      size_t at = b + (word.size() - container.size()) + slash + 1;
      uint32_t fb = ins.file_offset(static_cast<uint32_t>(ins.arguments_offset + at));
      Span s{fb, fb + static_cast<uint32_t>(p.proto.size())};
      if (!p.proto.empty() && f.text(s) == p.proto) p.proto_span = s;
    }
    out.push_back(std::move(p));
  }
  return out;
}

}  // namespace dockerfix::fix::buildkit
