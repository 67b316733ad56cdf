// The shell lexer as it was before it was made faster (grammar/shell_lexer.cpp
// at f866d53), kept verbatim but for its namespace: tests/shell_lexer_speed_test.cpp
// checks that the fast lexer gives exactly what this one gives. Not built into
// the library.
#include "dockerfix/shell.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace dockerfix::shell::reference {

namespace {

constexpr int kMaxLevel = 48;
constexpr size_t kMaxArith = 1024;  // longest $((...)) looked for
constexpr size_t npos = std::string_view::npos;

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }
bool is_meta(char c) {
  return is_blank(c) || c == '\n' || c == ';' || c == '&' || c == '|' || c == '<' || c == '>' || c == '(' ||
         c == ')';
}
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_name_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool is_name_char(char c) { return is_name_start(c) || is_digit(c); }

enum class Tok : uint8_t { End, Word, Op, Redir, Newline };

struct Token {
  Tok kind = Tok::End;
  std::string_view op;  // Op and Redir
  int fd = -1;          // Redir
  Word word;            // Word
  size_t begin = 0;     // local index into the text
  size_t end = 0;
};

struct HeredocRef {
  size_t cmd = npos;       // index in Script::commands once that command is flushed
  size_t redir = 0;        // index in the command's redirects
  std::string delim;
  bool strip_tabs = false;
  size_t body_begin = 0, body_end = 0;
};

// State shared by the nested lexers of one text.
struct Ctx {
  std::string_view s;
  uint32_t base = 0;
  Script out;
  std::vector<HeredocRef> heredocs;
  size_t unread = 0;  // first heredoc whose body has not been read
  int level = 0;      // current recursion depth

  uint32_t off(size_t i) const { return base + static_cast<uint32_t>(i); }
  void error(const std::string& message, size_t at) {
    if (out.errors.size() < 100) out.errors.push_back(message + " at offset " + std::to_string(off(at)));
  }
};

struct Nest {
  explicit Nest(Ctx& c) : c(c) { ++c.level; }
  ~Nest() { --c.level; }
  bool too_deep() const { return c.level > kMaxLevel; }
  Ctx& c;
};

constexpr std::array<std::string_view, 12> kRedirs{"&>>", "&>", "<<<", "<<-", "<<", "<>", "<&", "<", ">>", ">&", ">|", ">"};
constexpr std::array<std::string_view, 11> kOps{";;&", ";;", ";&", ";", "&&", "&", "||", "|&", "|", "(", ")"};

class Lexer {
 public:
  // Lexes [pos, end) of the shared text. With until_paren it stops at the
  // `)` closing a `$(` and returns the index after it.
  Lexer(Ctx& c, size_t pos, size_t end, int depth, bool substitution, bool until_paren)
      : c_(c), s_(c.s), start_(pos), pos_(pos), end_(end), depth_(depth), subst_(substitution),
        until_paren_(until_paren) {}

  size_t run() {
    while (true) {
      Token t = next_token();
      if (t.kind == Tok::End) break;
      if (handle(t)) {
        flush(Op::None);
        return pos_;
      }
    }
    flush(Op::None);
    if (until_paren_) c_.error("unterminated $(", start_ >= 2 ? start_ - 2 : start_);
    if (!stack_.empty()) {
      char k = stack_.back();
      c_.error(k == '(' ? "unclosed (" : k == '{' ? "unclosed {" : "case without esac", end_);
    }
    return end_;
  }

 private:
  enum class Mode : uint8_t { Normal, CaseWord, CaseIn, CasePattern, ForHeader, FuncName, Cond };

  char at(size_t i) const { return i < end_ ? s_[i] : '\0'; }
  uint32_t off(size_t i) const { return c_.off(i); }
  int depth() const { return depth_ + static_cast<int>(stack_.size() - cases_); }

  // ---- scanning -------------------------------------------------------

  // Past the bracket matching the `open` at i, skipping backslash pairs and
  // quotes naively: the fallback when nesting is too deep.
  size_t skip_naive(size_t i, char open, char close) const {
    int d = 0;
    for (size_t j = i; j < end_; ++j) {
      char c = s_[j];
      if (c == '\\') {
        ++j;
      } else if (c == '\'' || c == '"') {
        size_t q = s_.find(c, j + 1);
        if (q == npos || q >= end_) return end_;
        j = q;
      } else if (c == open) {
        ++d;
      } else if (c == close && --d <= 0) {
        return j + 1;
      }
    }
    return end_;
  }

  // Past the `"` that closes the double quote at i; the value of its
  // contents goes to w.
  size_t scan_double(size_t i, Word& w) {
    Nest n(c_);
    if (n.too_deep()) {
      size_t j = i + 1;
      while (j < end_ && s_[j] != '"') j += s_[j] == '\\' ? 2 : 1;
      return std::min(j + 1, end_);
    }
    size_t j = i + 1;
    while (j < end_) {
      char c = s_[j];
      if (c == '"') return j + 1;
      if (c == '\\') {
        char e = at(j + 1);
        if (e == '\n') {
          j += 2;
        } else if (e == '$' || e == '`' || e == '"' || e == '\\') {
          w.value += e;
          j += 2;
        } else {
          w.value += c;
          ++j;
        }
        continue;
      }
      if (c == '$' || c == '`') {
        size_t e = c == '$' ? scan_dollar(j) : scan_backtick(j);
        if (e > j + 1 || c == '`') w.has_expansion = true;
        w.value.append(s_.substr(j, e - j));
        j = e;
        continue;
      }
      w.value += c;
      ++j;
    }
    c_.error("unterminated double quote", i);
    return end_;
  }

  // $'...': ANSI-C escapes decoded into w.value.
  size_t scan_ansi(size_t i, Word& w) {
    size_t j = i + 2;
    while (j < end_ && s_[j] != '\'') {
      char c = s_[j];
      if (c != '\\' || j + 1 >= end_) {
        w.value += c;
        ++j;
        continue;
      }
      char e = s_[j + 1];
      j += 2;
      switch (e) {
        case 'n': w.value += '\n'; break;
        case 't': w.value += '\t'; break;
        case 'r': w.value += '\r'; break;
        case 'a': w.value += '\a'; break;
        case 'b': w.value += '\b'; break;
        case 'e': case 'E': w.value += '\x1b'; break;
        case 'f': w.value += '\f'; break;
        case 'v': w.value += '\v'; break;
        case '\\': case '\'': case '"': case '?': w.value += e; break;
        case 'x': {
          int v = 0, k = 0;
          for (; k < 2 && j < end_ && std::isxdigit(static_cast<unsigned char>(s_[j])); ++k, ++j)
            v = v * 16 + (is_digit(s_[j]) ? s_[j] - '0' : (s_[j] | 0x20) - 'a' + 10);
          if (k == 0) w.value += "\\x";
          else w.value += static_cast<char>(v);
          break;
        }
        default:
          if (e >= '0' && e <= '7') {
            int v = e - '0';
            for (int k = 0; k < 2 && j < end_ && s_[j] >= '0' && s_[j] <= '7'; ++k, ++j) v = v * 8 + (s_[j] - '0');
            w.value += static_cast<char>(v);
          } else {
            w.value += '\\';
            w.value += e;
          }
      }
    }
    if (j >= end_) {
      c_.error("unterminated $'", i);
      return end_;
    }
    return j + 1;
  }

  // From the `(` of `$((` at p: past the closing `))`, 0 when the parentheses
  // do not close as arithmetic (`$((cd x) )` is a command substitution).
  size_t scan_arith(size_t p) {
    int d = 0;
    size_t last_two_to_one = npos;
    size_t limit = end_ - p > kMaxArith ? p + kMaxArith : end_;  // keeps `((((...` linear
    for (size_t j = p; j < limit; ++j) {
      char c = s_[j];
      if (c == '\\') {
        ++j;
      } else if (c == '(') {
        ++d;
      } else if (c == ')') {
        if (--d == 1) last_two_to_one = j;
        if (d == 0) return last_two_to_one == j - 1 ? j + 1 : 0;
      }
    }
    if (limit < end_) return 0;
    c_.error("unterminated ((", p);
    return end_;
  }

  // ${...} from its `{` at p.
  size_t scan_brace(size_t p) {
    Nest n(c_);
    if (n.too_deep()) return skip_naive(p, '{', '}');
    int d = 0;
    size_t j = p;
    while (j < end_) {
      char c = s_[j];
      if (c == '\\') {
        j += 2;
      } else if (c == '{') {
        ++d;
        ++j;
      } else if (c == '}') {
        if (--d == 0) return j + 1;
        ++j;
      } else if (c == '"') {
        Word ignored;
        j = scan_double(j, ignored);
      } else if (c == '$') {
        j = scan_dollar(j);
      } else if (c == '`') {
        j = scan_backtick(j);
      } else {
        ++j;
      }
    }
    c_.error("unterminated ${", p - 1);
    return end_;
  }

  // Past a `$` expansion at i; i + 1 when the `$` is literal.
  size_t scan_dollar(size_t i) {
    char n = at(i + 1);
    if (n == '(') {
      if (at(i + 2) == '(') {
        if (size_t e = scan_arith(i + 1)) return e;
      }
      return substitution(i + 2);
    }
    if (n == '{') return scan_brace(i + 1);
    if (is_name_start(n)) {
      size_t j = i + 2;
      while (j < end_ && is_name_char(s_[j])) ++j;
      return j;
    }
    if (is_digit(n) || (n != '\0' && std::string_view("@*#?$!-").find(n) != npos)) return i + 2;
    return i + 1;
  }

  // Lexes the commands of a `$(`, `<(` or `>(` whose contents start at p;
  // past the closing `)`.
  size_t substitution(size_t p) {
    Nest n(c_);
    if (n.too_deep()) return skip_naive(p - 1, '(', ')');
    Lexer inner(c_, p, end_, depth() + 1, true, true);
    return inner.run();
  }

  size_t scan_backtick(size_t i) {
    size_t j = i + 1;
    while (j < end_ && s_[j] != '`') j += s_[j] == '\\' ? 2 : 1;
    size_t close = std::min(j, end_);
    Nest n(c_);
    if (!n.too_deep()) {
      Lexer inner(c_, i + 1, close, depth() + 1, true, false);
      inner.run();
    }
    if (j >= end_) {
      c_.error("unterminated backquote", i);
      return end_;
    }
    return j + 1;
  }

  Word scan_word(size_t& i) {
    Word w;
    size_t b = i;
    if ((at(i) == '<' || at(i) == '>') && at(i + 1) == '(') {  // process substitution
      size_t e = substitution(i + 2);
      w.value.append(s_.substr(i, e - i));
      w.has_expansion = true;
      i = e;
    }
    while (i < end_) {
      char c = s_[i];
      if (is_meta(c)) {
        // NAME=(a b c): a bash array assignment is one word.
        if (c == '(' && i > b && s_[i - 1] == '=' && valid_assignment_prefix(s_.substr(b, i - b))) {
          size_t e = skip_naive(i, '(', ')');
          w.value.append(s_.substr(i, e - i));
          i = e;
          continue;
        }
        break;
      }
      if (c == '\\') {
        char e = at(i + 1);
        if (e == '\n') {
          i += 2;
        } else if (e == '\r' && at(i + 2) == '\n') {
          i += 3;
        } else {
          w.quoted = true;
          w.value += i + 1 < end_ ? e : '\\';
          i = std::min(i + 2, end_);
        }
        continue;
      }
      if (c == '\'') {
        w.quoted = true;
        size_t q = s_.find('\'', i + 1);
        if (q == npos || q >= end_) {
          c_.error("unterminated single quote", i);
          w.value.append(s_.substr(i + 1, end_ - i - 1));
          i = end_;
        } else {
          w.value.append(s_.substr(i + 1, q - i - 1));
          i = q + 1;
        }
        continue;
      }
      if (c == '"') {
        w.quoted = true;
        i = scan_double(i, w);
        continue;
      }
      if (c == '$' && at(i + 1) == '\'') {
        w.quoted = true;
        i = scan_ansi(i, w);
        continue;
      }
      if (c == '$' && at(i + 1) == '"') {  // $"..." (locale translation)
        w.quoted = true;
        i = scan_double(i + 1, w);
        continue;
      }
      if (c == '$' || c == '`') {
        size_t e = c == '$' ? scan_dollar(i) : scan_backtick(i);
        if (e > i + 1 || c == '`') w.has_expansion = true;
        w.value.append(s_.substr(i, e - i));
        i = e;
        continue;
      }
      // A run of bytes with no special meaning.
      size_t j = i + 1;
      while (j < end_ && !is_meta(s_[j]) && s_[j] != '\\' && s_[j] != '\'' && s_[j] != '"' && s_[j] != '$' && s_[j] != '`') ++j;
      w.value.append(s_.substr(i, j - i));
      i = j;
    }
    w.begin = off(b);
    w.end = off(i);
    w.text = std::string(s_.substr(b, i - b));
    return w;
  }

  static bool valid_assignment_prefix(std::string_view t) {
    // t ends with `=`: NAME= or NAME+=
    if (t.empty() || !is_name_start(t[0])) return false;
    size_t k = 1;
    while (k < t.size() && is_name_char(t[k])) ++k;
    return t.substr(k) == "=" || t.substr(k) == "+=";
  }

  static bool is_assignment(const Word& w) {
    const std::string& t = w.text;
    if (t.empty() || !is_name_start(t[0])) return false;
    size_t k = 1;
    while (k < t.size() && is_name_char(t[k])) ++k;
    return (k < t.size() && t[k] == '=') || (k + 1 < t.size() && t[k] == '+' && t[k + 1] == '=');
  }

  void skip_blanks() {
    while (pos_ < end_) {
      char c = s_[pos_];
      if (is_blank(c)) {
        ++pos_;
      } else if (c == '\\' && at(pos_ + 1) == '\n') {
        pos_ += 2;
      } else if (c == '\\' && at(pos_ + 1) == '\r' && at(pos_ + 2) == '\n') {
        pos_ += 3;
      } else if (c == '#') {  // a comment: only where a word would start
        while (pos_ < end_ && s_[pos_] != '\n') ++pos_;
      } else {
        break;
      }
    }
  }

  Token next_token() {
    if (peeked_) {
      Token t = std::move(*peeked_);
      peeked_.reset();
      return t;
    }
    skip_blanks();
    Token t;
    t.begin = t.end = pos_;
    if (pos_ >= end_) return t;
    char c = s_[pos_];
    if (c == '\n') {
      t.kind = Tok::Newline;
      t.end = ++pos_;
      return t;
    }
    if ((c == '<' || c == '>') && at(pos_ + 1) == '(') return word_token();
    // An fd number glued to a redirection operator: `2>&1`.
    size_t d = pos_;
    while (d < end_ && is_digit(s_[d]) && d - pos_ < 9) ++d;
    size_t op_at = pos_;
    int fd = -1;
    if (d > pos_ && (at(d) == '<' || at(d) == '>')) {
      fd = std::stoi(std::string(s_.substr(pos_, d - pos_)));
      op_at = d;
    }
    // Every operator starts with one of these.
    if (std::string_view("<>&;|()").find(at(op_at)) == npos) return word_token();
    std::string_view rest = s_.substr(op_at, end_ - op_at);
    for (auto r : kRedirs) {
      if (rest.substr(0, r.size()) == r && (fd < 0 || r[0] != '&')) {
        t.kind = Tok::Redir;
        t.op = r;
        t.fd = fd;
        pos_ = op_at + r.size();
        t.end = pos_;
        return t;
      }
    }
    for (auto o : kOps) {
      if (rest.substr(0, o.size()) == o) {
        t.kind = Tok::Op;
        t.op = o;
        pos_ += o.size();
        t.end = pos_;
        return t;
      }
    }
    return word_token();
  }

  Token word_token() {
    Token t;
    t.kind = Tok::Word;
    t.begin = pos_;
    t.word = scan_word(pos_);
    if (pos_ == t.begin) {  // never loop: take one byte as a word
      ++pos_;
      t.word.text = std::string(s_.substr(t.begin, 1));
      t.word.value = t.word.text;
      t.word.begin = off(t.begin);
      t.word.end = off(pos_);
    }
    t.end = pos_;
    return t;
  }

  // An operator token taken as a plain word (inside `[[ ]]`).
  Word token_word(const Token& t) const {
    Word w;
    w.text = std::string(s_.substr(t.begin, t.end - t.begin));
    w.value = w.text;
    w.begin = off(t.begin);
    w.end = off(t.end);
    return w;
  }

  // ---- commands -------------------------------------------------------

  bool empty() const { return cur_.argv.empty() && cur_.assignments.empty() && cur_.redirects.empty(); }

  void push(char k) {
    stack_.push_back(k);
    parens_ += k == '(';
    cases_ += k == 'c';
  }

  // Closes the innermost open k and whatever was left open inside it.
  void pop_to(char k) {
    if ((k == '(' && parens_ == 0) || (k == 'c' && cases_ == 0)) return;
    size_t at = stack_.rfind(k);
    if (at == std::string::npos) return;
    for (size_t j = at; j < stack_.size(); ++j) {
      parens_ -= stack_[j] == '(';
      cases_ -= stack_[j] == 'c';
    }
    stack_.erase(at);
  }

  // After `((` at pos_ - 1 (an arithmetic command or `for ((`): skip it.
  bool skip_arith_command() {
    if (at(pos_) != '(') return false;
    size_t e = scan_arith(pos_ - 1);
    if (e == 0) return false;
    pos_ = e;
    return true;
  }

  // Returns true when the token closes the `$(` this lexer reads.
  bool handle(Token& t) {
    switch (mode_) {
      case Mode::Normal:
        break;
      case Mode::CaseWord:  // `case WORD`
        if (t.kind == Tok::Newline) return false;
        mode_ = Mode::CaseIn;
        if (t.kind == Tok::Word) return false;
        break;
      case Mode::CaseIn:  // `in`
        if (t.kind == Tok::Newline) return false;
        if (t.kind == Tok::Word && t.word.text == "in") {
          mode_ = Mode::CasePattern;
          return false;
        }
        c_.error("case without in", t.begin);
        mode_ = Mode::Normal;
        break;
      case Mode::CasePattern:  // `[(] pattern [| pattern]... )` or `esac`
        if (t.kind == Tok::Word && t.word.text == "esac") {
          pop_to('c');
          mode_ = Mode::Normal;
        } else if (t.kind == Tok::Op && t.op == ")") {
          mode_ = Mode::Normal;
        }
        return false;
      case Mode::ForHeader:  // `for NAME [in WORDS...]` up to `;`, newline or `do`
        if (t.kind == Tok::Op && t.op == "(") {
          skip_arith_command();
          return false;
        }
        if (t.kind == Tok::Newline || (t.kind == Tok::Op && t.op == ";") ||
            (t.kind == Tok::Word && t.word.text == "do"))
          mode_ = Mode::Normal;
        return false;
      case Mode::FuncName:  // `function NAME`
        mode_ = Mode::Normal;
        if (t.kind == Tok::Word) return false;
        break;
      case Mode::Cond:  // `[[ ... ]]`: operators are words
        if (t.kind == Tok::Word || t.kind == Tok::Op || t.kind == Tok::Redir) {
          Word w = t.kind == Tok::Word ? t.word : token_word(t);
          if (w.text == "]]") mode_ = Mode::Normal;
          cur_.argv.push_back(std::move(w));
          cur_.end = cur_.argv.back().end;
          return false;
        }
        break;  // a newline inside [[ ]]: keep going as usual
    }

    switch (t.kind) {
      case Tok::End:
        return false;
      case Tok::Newline:
        flush(Op::Seq);
        read_heredocs();
        return false;
      case Tok::Redir:
        redirect(t);
        return false;
      case Tok::Word:
        word(t.word);
        return false;
      case Tok::Op:
        break;
    }
    std::string_view op = t.op;
    if (op == "&&") flush(Op::And);
    else if (op == "||") flush(Op::Or);
    else if (op == ";") flush(Op::Seq);
    else if (op == "&") flush(Op::Background);
    else if (op == "|" || op == "|&") flush(Op::Pipe);
    else if (op == ";;" || op == ";&" || op == ";;&") {
      flush(Op::Seq);
      if (!stack_.empty() && stack_.back() == 'c') mode_ = Mode::CasePattern;
    } else if (op == "(") {
      if (empty()) {
        if (!skip_arith_command()) push('(');
      } else if (cur_.argv.size() == 1 && cur_.assignments.empty() && cur_.redirects.empty()) {
        // `name()`: a function definition; its body follows.
        Token close = next_token();
        if (!(close.kind == Tok::Op && close.op == ")")) {
          c_.error("unexpected (", t.begin);
          peeked_ = std::move(close);
          flush(Op::None);
          push('(');
        } else {
          cur_ = Command{};
          mine_.clear();
        }
      } else {
        c_.error("unexpected (", t.begin);
        flush(Op::None);
        push('(');
      }
    } else if (op == ")") {
      flush(Op::None);
      if (parens_ > 0) {
        pop_to('(');
      } else if (until_paren_) {
        return true;
      } else {
        c_.error("unexpected )", t.begin);
      }
    }
    return false;
  }

  void redirect(const Token& t) {
    Redirect r;
    r.op = std::string(t.op);
    r.fd = t.fd;
    r.begin = off(t.begin);
    Token target = next_token();
    bool ok = target.kind == Tok::Word;
    if (ok) {
      r.target = std::move(target.word);
      r.end = r.target.end;
    } else {
      c_.error("redirection without a target", t.begin);
      r.end = off(t.end);
      peeked_ = std::move(target);
    }
    if (empty()) cur_.begin = r.begin;
    cur_.redirects.push_back(std::move(r));
    cur_.end = cur_.redirects.back().end;
    if (ok && (t.op == "<<" || t.op == "<<-")) {
      HeredocRef h;
      h.redir = cur_.redirects.size() - 1;
      h.delim = cur_.redirects.back().target.value;
      h.strip_tabs = t.op == "<<-";
      mine_.push_back(c_.heredocs.size());
      c_.heredocs.push_back(std::move(h));
    }
  }

  void word(Word& w) {
    if (empty() && !w.quoted && !w.has_expansion) {
      const std::string_view k = w.text;  // compared by size first
      if (k == "{") {
        push('{');
        return;
      }
      if (k == "}") {
        pop_to('{');
        return;
      }
      if (k == "if" || k == "then" || k == "else" || k == "elif" || k == "fi" || k == "do" || k == "done" ||
          k == "while" || k == "until" || k == "!" || k == "time")
        return;
      if (k == "case") {
        push('c');
        mode_ = Mode::CaseWord;
        return;
      }
      if (k == "esac") {
        pop_to('c');
        return;
      }
      if (k == "for" || k == "select") {
        mode_ = Mode::ForHeader;
        return;
      }
      if (k == "function") {
        mode_ = Mode::FuncName;
        return;
      }
      if (k == "[[") mode_ = Mode::Cond;
    }
    if (cur_.argv.empty() && is_assignment(w)) {
      if (empty()) cur_.begin = w.begin;
      cur_.end = w.end;
      cur_.assignments.push_back(std::move(w));
      return;
    }
    if (empty()) cur_.begin = w.begin;
    cur_.end = w.end;
    if (cur_.argv.empty()) cur_.argv.reserve(4);  // most commands have a few words
    cur_.argv.push_back(std::move(w));
  }

  void flush(Op next) {
    if (mode_ == Mode::Cond) mode_ = Mode::Normal;  // `[[` without `]]`
    if (!empty()) {
      cur_.depth = depth();
      cur_.substitution = subst_;
      cur_.next = next;
      for (size_t k : mine_) c_.heredocs[k].cmd = c_.out.commands.size();
      c_.out.commands.push_back(std::move(cur_));
    }
    cur_ = Command{};
    mine_.clear();
  }

  // At a newline: the bodies of the here-documents started on the line.
  void read_heredocs() {
    for (; c_.unread < c_.heredocs.size(); ++c_.unread) {
      HeredocRef& h = c_.heredocs[c_.unread];
      h.body_begin = pos_;
      bool found = false;
      while (pos_ < end_) {
        size_t line_begin = pos_;
        size_t eol = s_.find('\n', pos_);
        size_t line_end = eol == npos || eol >= end_ ? end_ : eol;
        std::string_view line = s_.substr(pos_, line_end - pos_);
        pos_ = line_end < end_ ? line_end + 1 : end_;
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (h.strip_tabs) line.remove_prefix(std::min(line.find_first_not_of('\t'), line.size()));
        if (line == h.delim) {
          h.body_end = line_begin;
          found = true;
          break;
        }
      }
      if (!found) {
        h.body_end = end_;
        if (h.body_begin < end_) c_.error("unterminated here-document " + h.delim, h.body_begin);
      }
    }
  }

  Ctx& c_;
  std::string_view s_;
  size_t start_;
  size_t pos_;
  size_t end_;
  int depth_;
  bool subst_;
  bool until_paren_;
  Mode mode_ = Mode::Normal;
  std::string stack_;  // open constructs: '(' subshell, '{' group, 'c' case
  size_t parens_ = 0;  // '(' in stack_
  size_t cases_ = 0;   // 'c' in stack_
  std::vector<size_t> mine_;  // c_.heredocs started in cur_
  Command cur_;
  std::optional<Token> peeked_;
};

Script lex_at(std::string_view text, uint32_t base) {
  Ctx c;
  c.s = text;
  c.base = base;
  Lexer(c, 0, text.size(), 0, false, false).run();
  for (const auto& h : c.heredocs) {
    if (h.cmd >= c.out.commands.size() || h.redir >= c.out.commands[h.cmd].redirects.size()) continue;
    auto& r = c.out.commands[h.cmd].redirects[h.redir];
    r.body_begin = c.off(h.body_begin);
    r.body_end = c.off(std::max(h.body_begin, h.body_end));
  }
  // Commands of $(...) are found while their outer command is still being
  // read; present all of them in text order.
  auto by_begin = [](const Command& a, const Command& b) { return a.begin < b.begin; };
  if (!std::is_sorted(c.out.commands.begin(), c.out.commands.end(), by_begin))
    std::stable_sort(c.out.commands.begin(), c.out.commands.end(), by_begin);
  return std::move(c.out);
}


}  // namespace

Script lex(std::string_view text) { return lex_at(text, 0); }

}  // namespace dockerfix::shell::reference
