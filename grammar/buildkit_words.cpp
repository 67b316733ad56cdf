#include "grammar/buildkit_words.h"

#include <tuple>

#include "grammar/go_text.h"

namespace dockerfix::grammar {

FlagSplit extract_flags(std::string_view line, char escape) {
  enum { InSpaces, InWord, InQuote } phase = InSpaces;
  FlagSplit out;
  std::string word;
  size_t word_begin = 0;
  char quote = 0;
  bool blank_ok = false;
  const size_t n = line.size();
  for (size_t pos = 0; pos <= n; ++pos) {
    char ch = pos < n ? line[pos] : 0;
    if (phase == InSpaces) {
      if (pos == n) break;
      if (go::is_space_byte(static_cast<unsigned char>(ch))) continue;
      if (ch != '-' || pos + 1 == n || line[pos + 1] != '-') {
        out.rest = pos;
        return out;
      }
      phase = InWord;
      word_begin = pos;
    }
    if (pos == n) {
      if (word != "--" && (blank_ok || !word.empty())) out.flags.push_back({word, word_begin, n});
      break;
    }
    if (phase == InWord) {
      if (go::is_space_byte(static_cast<unsigned char>(ch))) {
        phase = InSpaces;
        if (word == "--") {
          out.rest = pos;
          return out;
        }
        if (blank_ok || !word.empty()) out.flags.push_back({word, word_begin, pos});
        word.clear();
        blank_ok = false;
        continue;
      }
      if (ch == '\'' || ch == '"') {
        quote = ch;
        blank_ok = true;
        phase = InQuote;
        continue;
      }
      if (ch == escape) {
        if (pos + 1 == n) continue;
        ch = line[++pos];
      }
      go::append_rune(word, static_cast<unsigned char>(ch));
      continue;
    }
    // InQuote
    if (ch == quote) {
      phase = InWord;
      continue;
    }
    if (ch == escape) {
      if (pos + 1 == n) {
        phase = InWord;
        continue;
      }
      ch = line[++pos];
    }
    go::append_rune(word, static_cast<unsigned char>(ch));
  }
  return out;
}

std::vector<std::string> parse_words(std::string_view rest, char escape) {
  enum { InSpaces, InWord, InQuote } phase = InSpaces;
  std::vector<std::string> words;
  words.reserve(4);  // ENV, LABEL and ARG lines hold a few
  std::string word;
  char32_t quote = 0;
  bool blank_ok = false;
  const size_t n = rest.size();
  const auto esc = static_cast<unsigned char>(escape);
  go::Rune ch{0, 0};
  // ASCII bytes the loop below would only append in the current phase: in a
  // word, not a space, quote or escape char; in a quote, not its closing
  // quote or (but in single quotes) an escape char.
  auto plain = [&](unsigned char b) {
    if (b >= 0x80) return false;
    if (phase == InWord) return !go::is_space_rune(b) && b != '\'' && b != '"' && b != esc;
    return b != quote && (b != esc || quote == '\'');
  };
  size_t pos = 0;
  // Appends the plain bytes after the current rune at once; the loop then
  // goes on after them.
  auto append_plain = [&] {
    const size_t from = pos + ch.width;
    size_t to = from;
    while (to < n && plain(static_cast<unsigned char>(rest[to]))) ++to;
    if (to == from) return;
    word.append(rest.data() + from, to - from);
    pos = to - ch.width;
  };
  for (; pos <= n; pos += ch.width) {
    if (pos != n) ch = go::decode_rune(rest, pos);
    auto bytes = [&] { return rest.substr(pos, ch.width); };
    if (phase == InSpaces) {
      if (pos == n) break;
      if (go::is_space_rune(ch.value)) continue;
      phase = InWord;
    }
    if (pos == n) {
      if (blank_ok || !word.empty()) words.push_back(word);
      break;
    }
    if (phase == InWord) {
      if (go::is_space_rune(ch.value)) {
        phase = InSpaces;
        if (blank_ok || !word.empty()) words.push_back(word);
        word.clear();
        blank_ok = false;
        continue;
      }
      if (ch.value == '\'' || ch.value == '"') {
        quote = ch.value;
        blank_ok = true;
        phase = InQuote;
      }
      if (ch.value == esc) {
        if (pos + ch.width == n) continue;
        word += bytes();
        pos += ch.width;
        ch = go::decode_rune(rest, pos);
      }
      word += bytes();
      append_plain();
      continue;
    }
    if (ch.value == quote) phase = InWord;
    if (ch.value == esc && quote != '\'') {
      if (pos + ch.width == n) {
        phase = InWord;
        continue;
      }
      word += bytes();
      pos += ch.width;
      ch = go::decode_rune(rest, pos);
    }
    word += bytes();
    append_plain();
  }
  return words;
}

namespace {

constexpr char32_t kEof = 0xFFFFFFFF;

// A small reimplementation of the subset of BuildKit's shell lexer that its
// heredoc detection runs: word splitting with `$` expansions left as written
// (no variables are set), quotes, `\` escapes, and `<<` kept with the spaces
// after it. Like BuildKit, nested `${...}` processing restarts the shared
// word buffer.
class WordLexer {
 public:
  WordLexer(std::string_view s, bool raw_quotes, bool raw_escapes)
      : s_(s), raw_quotes_(raw_quotes), raw_escapes_(raw_escapes) {}

  std::optional<std::vector<std::string>> words() {
    auto r = process_until(kEof, raw_escapes_);
    if (!r) return std::nullopt;
    return std::move(r->words);
  }

 private:
  struct Result {
    std::string text;
    std::vector<std::string> words;
  };
  struct Words {
    std::string* buf;
    std::vector<std::string> list;
    bool in_word = false;
    void add_raw(std::string_view bytes) {
      buf->append(bytes);
      in_word = true;
    }
    void add_char(char32_t r, std::string_view bytes) {
      if (go::is_space_rune(r)) {
        if (in_word && !buf->empty()) {
          list.push_back(*buf);
          buf->clear();
          in_word = false;
        }
      } else {
        add_raw(bytes);
      }
    }
    void add_string(std::string_view str) {
      for (size_t i = 0; i < str.size();) {
        auto r = go::decode_rune(str, i);
        add_char(r.value, str.substr(i, r.width));
        i += r.width;
      }
    }
    std::vector<std::string> finish() {
      if (!buf->empty()) {
        list.push_back(*buf);
        buf->clear();
        in_word = false;
      }
      return std::move(list);
    }
  };

  char32_t peek() const { return pos_ < s_.size() ? go::decode_rune(s_, pos_).value : kEof; }
  // Returns the rune and its bytes.
  std::pair<char32_t, std::string_view> next() {
    if (pos_ >= s_.size()) return {kEof, {}};
    auto r = go::decode_rune(s_, pos_);
    auto bytes = s_.substr(pos_, r.width);
    pos_ += r.width;
    return {r.value, bytes};
  }

  std::optional<Result> process_until(char32_t stop, bool raw_escapes) {
    std::string result;
    buf_.clear();
    Words words{&buf_, {}, false};
    bool saved = raw_escapes_;
    raw_escapes_ = raw_escapes;
    auto restore = [&] { raw_escapes_ = saved; };
    while (peek() != kEof) {
      char32_t ch = peek();
      if (stop != kEof && ch == stop) {
        next();
        restore();
        return Result{result, words.finish()};
      }
      std::optional<std::string> tmp;
      if (ch == '$') {
        tmp = dollar();
        if (!tmp) return fail();
        result += *tmp;
        words.add_string(*tmp);
        continue;
      }
      if (ch == '<') tmp = possible_heredoc();
      else if (ch == '\'') tmp = single_quote();
      else if (ch == '"') tmp = double_quote();
      if (ch == '<' || ch == '\'' || ch == '"') {
        if (!tmp) return fail();
        result += *tmp;
        words.add_raw(*tmp);
        continue;
      }
      auto [c, bytes] = next();
      if (c == '\\') {
        if (raw_escapes_) {
          words.add_raw(bytes);
          result += bytes;
        }
        std::tie(c, bytes) = next();
        if (c == kEof) break;
        words.add_raw(bytes);
      } else {
        words.add_char(c, bytes);
      }
      result += bytes;
    }
    restore();
    if (stop != kEof) return std::nullopt;
    return Result{result, words.finish()};
  }

  std::nullopt_t fail() { return std::nullopt; }

  std::optional<std::string> single_quote() {
    std::string out;
    auto [q, qb] = next();
    if (raw_quotes_) out += qb;
    for (;;) {
      auto [c, b] = next();
      if (c == kEof) return std::nullopt;
      if (c == '\'') {
        if (raw_quotes_) out += b;
        return out;
      }
      out += b;
    }
  }

  std::optional<std::string> double_quote() {
    std::string out;
    auto [q, qb] = next();
    if (raw_quotes_) out += qb;
    for (;;) {
      char32_t p = peek();
      if (p == kEof) return std::nullopt;
      if (p == '"') {
        auto [c, b] = next();
        if (raw_quotes_) out += b;
        return out;
      }
      if (p == '$') {
        auto v = dollar();
        if (!v) return std::nullopt;
        out += *v;
        continue;
      }
      auto [c, b] = next();
      if (c == '\\') {
        if (raw_escapes_) out += b;
        char32_t after = peek();
        if (after == kEof) continue;
        if (after == '"' || after == '$' || after == '\\') std::tie(c, b) = next();
      }
      out += b;
    }
  }

  static bool is_special_param(char32_t c) {
    return c == '@' || c == '*' || c == '#' || c == '?' || c == '-' || c == '$' || c == '!' || c == '0';
  }
  static bool is_digit(char32_t c) { return c >= '0' && c <= '9'; }
  static bool is_name_char(char32_t c) {
    // Letters beyond ASCII count as letters, as unicode.IsLetter mostly does.
    return is_digit(c) || c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= 0x80 && c != 0xFFFD && !go::is_space_rune(c));
  }

  std::string name() {
    std::string out;
    while (peek() != kEof) {
      char32_t c = peek();
      if (out.empty() && is_digit(c)) {
        while (is_digit(peek())) out += next().second;
        return out;
      }
      if (out.empty() && is_special_param(c)) return std::string(next().second);
      if (!is_name_char(c)) break;
      out += next().second;
    }
    return out;
  }

  std::optional<std::string> dollar() {
    next();  // $
    if (peek() != '{') {
      std::string n = name();
      return n.empty() ? std::string("$") : "$" + n;
    }
    next();  // {
    char32_t p = peek();
    if (p == kEof || p == '{' || p == '}' || p == ':') return std::nullopt;
    std::string n = name();
    auto [c, cb] = next();
    std::string mod(cb);
    bool null_is_unset = false;
    if (c == '}') return "${" + n + "}";
    if (c == ':') {
      null_is_unset = true;
      std::tie(c, cb) = next();
      mod += cb;
    }
    if (null_is_unset || c == '+' || c == '-' || c == '?' || c == '#' || c == '%') {
      bool raw = c == '#' || c == '%';
      if (null_is_unset && raw) return std::nullopt;
      auto word = process_until('}', raw);
      if (!word) return std::nullopt;
      return "${" + n + mod + word->text + "}";
    }
    if (c == '/') {
      if (peek() == '/') next();
      auto pattern = process_until('/', true);
      if (!pattern) return std::nullopt;
      auto replacement = process_until('}', true);
      if (!replacement) return std::nullopt;
      return "${" + n + "/" + pattern->text + "/" + replacement->text + "}";
    }
    return std::nullopt;
  }

  std::optional<std::string> possible_heredoc() {
    next();
    if (peek() != '<') return std::string("<");
    next();
    std::string out = "<<";
    while (peek() == ' ' || peek() == '\t' || peek() == '\r') out += next().second;
    return out;
  }

  std::string_view s_;
  size_t pos_ = 0;
  bool raw_quotes_;
  bool raw_escapes_;
  std::string buf_;
};

}  // namespace

std::optional<std::vector<std::string>> heredoc_line_words(std::string_view line) {
  return WordLexer(line, true, true).words();
}

std::optional<std::vector<std::string>> heredoc_delimiter_words(std::string_view rest, bool raw_quotes) {
  return WordLexer(rest, raw_quotes, false).words();
}

}  // namespace dockerfix::grammar
