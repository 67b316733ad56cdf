// A hand-written POSIX sh lexer: shell words are context-sensitive (quotes,
// nested $(...), here-documents after the line), which a scanner with a
// little state expresses more plainly than a grammar.
#include "dockerfix/shell.h"

#include <algorithm>
#include <array>

namespace dockerfix::shell {

namespace {

enum class Tok { Word, Op, Redir, Newline, End };

struct Token {
  Tok kind;
  std::string op;  // for Op/Redir
  Word word;       // for Word
  int fd = -1;
  uint32_t begin = 0, end = 0;
};

bool is_meta(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == ';' || c == '&' || c == '|' || c == '<' || c == '>' ||
         c == '(' || c == ')' || c == '\r';
}

constexpr std::array<std::string_view, 16> kReserved{"if", "then", "else", "elif", "fi", "do", "done", "while",
                                                     "until", "!", "{", "}", "esac", "in", "function", "time"};

class Lexer {
 public:
  Lexer(std::string_view s, Script& out, int depth, uint32_t base)
      : s_(s), out_(out), depth_(depth), base_(base) {}

  void run() {
    while (true) {
      Token t = next();
      if (t.kind == Tok::End) break;
      handle(t);
    }
    flush();
  }

 private:
  // ---- scanning -------------------------------------------------------
  char at(size_t i) const { return i < s_.size() ? s_[i] : '\0'; }

  // Skips `$(...)`, `$((...))`, `${...}` or a backtick span starting at i;
  // returns the index after it. Commands inside $( ) and backticks are lexed.
  size_t skip_dollar(size_t i) {
    if (at(i + 1) == '(' && at(i + 2) == '(') return match_parens(i + 1, false);
    if (at(i + 1) == '(') {
      size_t end = match_parens(i + 1, true);
      sub_script(i + 2, end > i + 2 ? end - 1 : i + 2);
      return end;
    }
    if (at(i + 1) == '{') {
      int depth = 0;
      for (size_t j = i + 1; j < s_.size(); ++j) {
        if (s_[j] == '\\') { ++j; continue; }
        if (s_[j] == '{') ++depth;
        else if (s_[j] == '}' && --depth == 0) return j + 1;
      }
      error("unterminated ${");
      return s_.size();
    }
    return i + 1;
  }

  // From an opening parenthesis at i, the index after its match.
  size_t match_parens(size_t i, bool /*command*/) {
    int depth = 0;
    for (size_t j = i; j < s_.size(); ++j) {
      char c = s_[j];
      if (c == '\\') { ++j; continue; }
      if (c == '\'') { j = skip_single(j) - 1; continue; }
      if (c == '"') { j = skip_double(j) - 1; continue; }
      if (c == '(') ++depth;
      else if (c == ')' && --depth == 0) return j + 1;
    }
    error("unterminated $(");
    return s_.size();
  }

  size_t skip_single(size_t i) {
    size_t close = s_.find('\'', i + 1);
    if (close == std::string_view::npos) {
      error("unterminated single quote");
      return s_.size();
    }
    return close + 1;
  }

  size_t skip_double(size_t i) {
    for (size_t j = i + 1; j < s_.size(); ++j) {
      if (s_[j] == '\\') { ++j; continue; }
      if (s_[j] == '"') return j + 1;
      if (s_[j] == '$') { j = skip_dollar(j) - 1; continue; }
      if (s_[j] == '`') { j = skip_backtick(j) - 1; continue; }
    }
    error("unterminated double quote");
    return s_.size();
  }

  size_t skip_backtick(size_t i) {
    for (size_t j = i + 1; j < s_.size(); ++j) {
      if (s_[j] == '\\') { ++j; continue; }
      if (s_[j] == '`') {
        sub_script(i + 1, j);
        return j + 1;
      }
    }
    error("unterminated backquote");
    return s_.size();
  }

  void sub_script(size_t b, size_t e) {
    if (e <= b || depth_ > 8) return;
    Lexer inner(s_.substr(b, e - b), out_, depth_ + 1, base_ + static_cast<uint32_t>(b));
    inner.run();
  }

  Word scan_word(size_t& i) {
    Word w;
    size_t b = i;
    while (i < s_.size() && !is_meta(s_[i])) {
      char c = s_[i];
      if (c == '\\') {
        if (at(i + 1) == '\n') { i += 2; continue; }
        if (at(i + 1) == '\r' && at(i + 2) == '\n') { i += 3; continue; }
        if (i + 1 < s_.size()) w.value += s_[i + 1];
        i = std::min(i + 2, s_.size());
        w.quoted = true;
        continue;
      }
      if (c == '\'') {
        size_t e = skip_single(i);
        w.value.append(s_.substr(i + 1, std::max(e, i + 2) - i - 2));
        i = e;
        w.quoted = true;
        continue;
      }
      if (c == '$' && at(i + 1) == '\'') {
        size_t j = i + 2;
        while (j < s_.size() && s_[j] != '\'') j += s_[j] == '\\' ? 2 : 1;
        if (j >= s_.size()) error("unterminated $'");
        w.value.append(s_.substr(i + 2, std::min(j, s_.size()) - i - 2));
        i = std::min(j + 1, s_.size());
        w.quoted = true;
        continue;
      }
      if (c == '"') {
        size_t e = skip_double(i);
        for (size_t j = i + 1; j + 1 < e || (j < e && e == s_.size() && s_.back() != '"'); ++j) {
          if (s_[j] == '\\' && j + 1 < e && (s_[j + 1] == '$' || s_[j + 1] == '`' || s_[j + 1] == '"' || s_[j + 1] == '\\' || s_[j + 1] == '\n')) {
            if (s_[j + 1] != '\n') w.value += s_[j + 1];
            ++j;
            continue;
          }
          if (s_[j] == '$' || s_[j] == '`') w.has_expansion = true;
          w.value += s_[j];
        }
        i = e;
        w.quoted = true;
        continue;
      }
      if (c == '$' && (at(i + 1) == '(' || at(i + 1) == '{' || std::isalnum(static_cast<unsigned char>(at(i + 1))) ||
                       at(i + 1) == '_' || std::string_view("@*#?$!-").find(at(i + 1)) != std::string_view::npos)) {
        size_t e = at(i + 1) == '(' || at(i + 1) == '{' ? skip_dollar(i) : i + 1;
        if (e == i + 1) {
          ++e;
          if (std::isalpha(static_cast<unsigned char>(at(i + 1))) || at(i + 1) == '_')
            while (e < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[e])) || s_[e] == '_')) ++e;
        }
        w.value.append(s_.substr(i, e - i));
        w.has_expansion = true;
        i = e;
        continue;
      }
      if (c == '`') {
        size_t e = skip_backtick(i);
        w.value.append(s_.substr(i, e - i));
        w.has_expansion = true;
        i = e;
        continue;
      }
      w.value += c;
      ++i;
    }
    w.begin = base_ + static_cast<uint32_t>(b);
    w.end = base_ + static_cast<uint32_t>(i);
    w.text = std::string(s_.substr(b, i - b));
    return w;
  }

  Token next() {
    // Blanks, line continuations and comments.
    while (pos_ < s_.size()) {
      char c = s_[pos_];
      if (c == ' ' || c == '\t' || c == '\r') { ++pos_; continue; }
      if (c == '\\' && at(pos_ + 1) == '\n') { pos_ += 2; continue; }
      if (c == '\\' && at(pos_ + 1) == '\r' && at(pos_ + 2) == '\n') { pos_ += 3; continue; }
      if (c == '#') {
        while (pos_ < s_.size() && s_[pos_] != '\n') ++pos_;
        continue;
      }
      break;
    }
    Token t;
    t.begin = base_ + static_cast<uint32_t>(pos_);
    if (pos_ >= s_.size()) {
      t.kind = Tok::End;
      return t;
    }
    char c = s_[pos_];
    if (c == '\n') {
      ++pos_;
      t.kind = Tok::Newline;
      return t;
    }
    // An fd number glued to a redirection operator.
    size_t digits = pos_;
    while (digits < s_.size() && std::isdigit(static_cast<unsigned char>(s_[digits]))) ++digits;
    if (digits > pos_ && (at(digits) == '<' || at(digits) == '>') && digits - pos_ < 4) {
      t.fd = std::stoi(std::string(s_.substr(pos_, digits - pos_)));
      pos_ = digits;
      c = s_[pos_];
    }
    static constexpr std::array<std::string_view, 13> redirs{"&>>", "<<<", "<<-", "&>", ">>", "<<", ">&", "<&",
                                                             ">|", "<>", ">", "<", "&>"};
    for (auto r : redirs) {
      if (s_.substr(pos_, r.size()) == r) {
        t.kind = Tok::Redir;
        t.op = std::string(r);
        pos_ += r.size();
        return t;
      }
    }
    static constexpr std::array<std::string_view, 9> ops{"&&", "||", ";;", "|&", ";", "&", "|", "(", ")"};
    for (auto o : ops) {
      if (s_.substr(pos_, o.size()) == o) {
        t.kind = Tok::Op;
        t.op = std::string(o);
        pos_ += o.size();
        return t;
      }
    }
    t.kind = Tok::Word;
    t.word = scan_word(pos_);
    if (t.word.text.empty()) {  // a byte scan_word refuses: never loop
      ++pos_;
      t.word.text = std::string(1, c);
      t.word.value = t.word.text;
      t.word.end = t.word.begin + 1;
    }
    return t;
  }

  // ---- commands -------------------------------------------------------
  bool at_command_start() const { return cur_.argv.empty() && cur_.assignments.empty() && cur_.redirects.empty(); }

  static bool is_assignment(const Word& w) {
    auto eq = w.text.find('=');
    if (eq == std::string::npos || eq == 0) return false;
    if (!(std::isalpha(static_cast<unsigned char>(w.text[0])) || w.text[0] == '_')) return false;
    return std::all_of(w.text.begin(), w.text.begin() + static_cast<long>(eq),
                       [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
  }

  void handle(Token& t) {
    if (skip_header_ && t.kind != Tok::Newline && !(t.kind == Tok::Op && t.op == ";")) return;
    if (skip_header_) {
      skip_header_ = false;
      flush();
      return;
    }
    switch (t.kind) {
      case Tok::Newline:
        flush();
        read_pending_heredocs();
        return;
      case Tok::Op:
        flush();
        if (t.op == ";;") expect_case_pattern_ = case_depth_ > 0;
        return;
      case Tok::Redir: {
        Redirect r;
        r.op = t.op;
        r.fd = t.fd;
        r.begin = t.begin;
        Token target = next();
        if (target.kind == Tok::Word) {
          r.target = target.word;
          r.end = target.word.end;
          if (r.op == "<<" || r.op == "<<-") pending_.push_back(r);
        } else {
          r.end = target.begin;
          error("redirection without a target");
        }
        if (cur_.argv.empty() && cur_.assignments.empty() && cur_.redirects.empty()) cur_.begin = t.begin;
        cur_.redirects.push_back(r);
        cur_.end = r.end;
        return;
      }
      case Tok::Word:
        word(t.word);
        return;
      case Tok::End:
        return;
    }
  }

  void word(const Word& w) {
    if (expect_case_pattern_) {
      if (w.text == "esac") {
        --case_depth_;
        expect_case_pattern_ = false;
        return;
      }
      // Pattern words up to `)`: the scanner gives `)` as an operator.
      Token t = next();
      while (t.kind != Tok::End && !(t.kind == Tok::Op && t.op == ")")) t = next();
      expect_case_pattern_ = false;
      return;
    }
    if (at_command_start()) {
      if (w.text == "case") {
        // `case WORD in`
        next();
        next();
        ++case_depth_;
        expect_case_pattern_ = true;
        return;
      }
      if (w.text == "for" || w.text == "select") {
        skip_header_ = true;
        return;
      }
      if (w.text == "esac" && case_depth_ > 0) {
        --case_depth_;
        return;
      }
      if (std::find(kReserved.begin(), kReserved.end(), w.text) != kReserved.end()) return;
    }
    if (cur_.argv.empty()) {
      if (is_assignment(w)) {
        if (cur_.assignments.empty()) cur_.begin = w.begin;
        cur_.assignments.push_back(w);
        cur_.end = w.end;
        return;
      }
    }
    if (cur_.argv.empty() && cur_.assignments.empty() && cur_.redirects.empty()) cur_.begin = w.begin;
    cur_.argv.push_back(w);
    cur_.end = w.end;
  }

  void flush() {
    if (!cur_.argv.empty() || !cur_.assignments.empty() || !cur_.redirects.empty()) {
      cur_.depth = depth_;
      out_.commands.push_back(std::move(cur_));
    }
    cur_ = Command{};
  }

  void read_pending_heredocs() {
    for (const auto& r : pending_) {
      const std::string& delim = r.target.value;
      while (pos_ < s_.size()) {
        size_t eol = s_.find('\n', pos_);
        size_t line_end = eol == std::string_view::npos ? s_.size() : eol;
        std::string_view line = s_.substr(pos_, line_end - pos_);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (r.op == "<<-") line.remove_prefix(std::min(line.find_first_not_of('\t'), line.size()));
        pos_ = eol == std::string_view::npos ? s_.size() : eol + 1;
        if (line == delim) break;
      }
    }
    pending_.clear();
  }

  void error(std::string message) { out_.errors.push_back(std::move(message)); }

  std::string_view s_;
  Script& out_;
  int depth_;
  uint32_t base_;
  size_t pos_ = 0;
  Command cur_;
  std::vector<Redirect> pending_;
  bool skip_header_ = false;
  int case_depth_ = 0;
  bool expect_case_pattern_ = false;
};

std::string base_name(const std::string& s) {
  auto slash = s.rfind('/');
  return slash == std::string::npos ? s : s.substr(slash + 1);
}

bool is_shell(const std::string& s) {
  auto b = base_name(s);
  return b == "sh" || b == "bash" || b == "dash" || b == "ash" || b == "zsh" || b == "ksh" || b == "busybox";
}

// argv without `env [-i] [NAME=v]...` and similar wrappers.
size_t command_index(const std::vector<Word>& argv) {
  size_t i = 0;
  while (i < argv.size()) {
    auto b = base_name(argv[i].value);
    if (b == "env") {
      ++i;
      while (i < argv.size() && (argv[i].value.find('=') != std::string::npos || argv[i].value.rfind("-", 0) == 0)) ++i;
    } else if (b == "exec" || b == "nice" || b == "nohup" || b == "time" || b == "command") {
      ++i;
    } else {
      break;
    }
  }
  return i;
}

}  // namespace

Script lex(std::string_view text) {
  Script out;
  Lexer(text, out, 0, 0).run();
  // Commands of $(...) are found while their outer command is still being
  // read; present all of them in text order.
  std::stable_sort(out.commands.begin(), out.commands.end(),
                   [](const Command& a, const Command& b) { return a.begin < b.begin; });
  return out;
}

std::optional<Script> inner_script(const Command& cmd) {
  size_t i = command_index(cmd.argv);
  if (i >= cmd.argv.size() || !is_shell(cmd.argv[i].value)) return std::nullopt;
  if (base_name(cmd.argv[i].value) == "busybox") ++i;
  bool dash_c = false;
  for (size_t j = i + 1; j < cmd.argv.size(); ++j) {
    const std::string& a = cmd.argv[j].value;
    if (!dash_c && a.size() > 1 && a[0] == '-' && a[1] != '-') {
      if (a.find('c') != std::string::npos) dash_c = true;
      if (a == "-o" || a == "+o") ++j;
      continue;
    }
    if (!dash_c && a.rfind("--", 0) == 0) continue;
    if (dash_c) return lex(a);
    return std::nullopt;
  }
  return std::nullopt;
}

std::optional<Word> script_path(const Command& cmd) {
  size_t i = command_index(cmd.argv);
  if (i >= cmd.argv.size()) return std::nullopt;
  const std::string& name = cmd.argv[i].value;
  if ((name == "." || name == "source") && i + 1 < cmd.argv.size()) return cmd.argv[i + 1];
  if (is_shell(name)) {
    for (size_t j = i + 1; j < cmd.argv.size(); ++j) {
      const std::string& a = cmd.argv[j].value;
      if (a.size() > 1 && (a[0] == '-' || a[0] == '+')) {
        if (a[0] == '-' && a[1] != '-' && a.find('c') != std::string::npos) return std::nullopt;
        if (a == "-o" || a == "+o" || a == "--rcfile" || a == "--init-file") ++j;
        continue;
      }
      return cmd.argv[j];
    }
    return std::nullopt;
  }
  if (name.find('/') != std::string::npos && name.size() > 3 && name.compare(name.size() - 3, 3, ".sh") == 0)
    return cmd.argv[i];
  return std::nullopt;
}

}  // namespace dockerfix::shell
