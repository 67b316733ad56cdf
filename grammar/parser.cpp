// The line driver: walks physical lines the way BuildKit's parser does
// (directives, comments, blank lines, continuation joining, heredoc bodies)
// and records every byte as a token.
#include <algorithm>
#include <array>
#include <cstring>
#include <set>

#include "dockerfix/syntax.h"
#include "grammar/buildkit_words.h"
#include "grammar/go_text.h"
#include "grammar/instruction.h"
#include "grammar/x3_lexer.h"

namespace dockerfix {

namespace {

using grammar::LineKind;

// BuildKit reads lines with bufio.Scanner, whose longest token is 64 KiB.
constexpr uint32_t kMaxLine = 64 * 1024;

struct PhysLine {
  uint32_t begin;
  uint32_t content_end;  // before trailing \r and \n
  uint32_t end;          // after \n
};

class Parser {
 public:
  explicit Parser(Dockerfile& f) : f_(f), src_(f.source) {}

  void run() {
    split_lines();
    size_t i = 0;
    while (i < lines_.size()) i = top_level_line(i);
    if (f_.instructions.empty()) {
      uint32_t at = static_cast<uint32_t>(src_.size());
      diag(Severity::Error, "no-instructions", "file with no instructions", at);
    }
  }

 private:
  void split_lines() {
    const char* data = src_.data();
    uint32_t n = static_cast<uint32_t>(src_.size()), pos = 0;
    bool reported = false;
    const size_t lines = static_cast<size_t>(std::count(src_.begin(), src_.end(), '\n')) + 1;
    lines_.reserve(lines);
    f_.line_starts.reserve(lines);
    f_.tokens.reserve(2 * lines);  // most lines are text or trivia and a newline
    while (pos < n) {
      const void* nl = std::memchr(data + pos, '\n', n - pos);
      uint32_t end = nl ? static_cast<uint32_t>(static_cast<const char*>(nl) - data) + 1 : n;
      uint32_t ce = end;
      while (ce > pos && (data[ce - 1] == '\n' || data[ce - 1] == '\r')) --ce;
      lines_.push_back({pos, ce, end});
      f_.line_starts.push_back(pos);
      // A last line without newline must leave room in the scanner's buffer too.
      if ((end - pos > kMaxLine || (!nl && end - pos >= kMaxLine)) && !reported) {
        reported = true;
        diag(Severity::Error, "line-too-long", "dockerfile line greater than max allowed size of 65535", pos);
      }
      pos = end;
    }
    if (f_.line_starts.empty()) f_.line_starts.push_back(0);
  }

  std::string_view view(uint32_t b, uint32_t e) const { return std::string_view(src_).substr(b, e - b); }

  void emit(TokenKind kind, uint32_t b, uint32_t e) {
    if (b < e) f_.tokens.push_back({kind, {b, e}});
  }

  void diag(Severity sev, std::string code, std::string message, uint32_t offset) {
    Diagnostic d{sev, std::move(code), std::move(message), offset, 0, 0};
    std::tie(d.line, d.column) = f_.position(offset);
    f_.diagnostics.push_back(std::move(d));
  }

  // BuildKit offers every line to the directive parser until one is not a
  // directive. Returns true when `text` (starting at `at`) is a directive.
  bool offer_directive(std::string_view text, uint32_t at) {
    if (directives_done_) return false;
    auto m = grammar::match_directive(text);
    if (!m) {
      directives_done_ = true;
      return false;
    }
    std::string name = grammar::ascii_lower(m->name);
    if (name != "syntax" && name != "escape" && name != "check") {
      directives_done_ = true;
      return false;
    }
    if (!seen_directives_.insert(name).second) {
      diag(Severity::Error, "duplicate-directive", "only one " + name + " parser directive can be used", at);
      return true;
    }
    Directive d{name, std::string(m->value), {at, at + static_cast<uint32_t>(text.size())}, 0};
    d.line = f_.position(at).first;
    if (name == "escape") {
      if (m->value == "`" || m->value == "\\") {
        f_.escape = m->value[0];
      } else {
        diag(Severity::Error, "invalid-escape",
             "invalid escape token '" + std::string(m->value) + "' does not match ` or \\", at);
      }
    }
    f_.directives.push_back(std::move(d));
    return true;
  }

  // A comment or directive line, or a blank line: trivia outside instructions.
  void emit_trivia(const PhysLine& L, uint32_t from, size_t lead, TokenKind kind) {
    emit(TokenKind::Whitespace, from, from + static_cast<uint32_t>(lead));
    emit(kind, from + static_cast<uint32_t>(lead), L.content_end);
    emit(TokenKind::Newline, L.content_end, L.end);
  }

  size_t top_level_line(size_t i) {
    const PhysLine& L = lines_[i];
    uint32_t from = L.begin;
    if (i == 0 && view(L.begin, L.content_end).substr(0, 3) == "\xEF\xBB\xBF") {
      emit(TokenKind::Bom, from, from + 3);
      from += 3;
    }
    std::string_view content = view(from, L.content_end);
    auto shape = grammar::classify_line(content, f_.escape);
    bool directive = offer_directive(content.substr(shape.lead), from + static_cast<uint32_t>(shape.lead));
    if (shape.kind == LineKind::Comment) {
      emit_trivia(L, from, shape.lead, directive ? TokenKind::Directive : TokenKind::Comment);
      return i + 1;
    }
    if (shape.kind == LineKind::Blank) {
      emit_trivia(L, from, shape.lead, TokenKind::Whitespace);
      return i + 1;
    }
    return instruction(i, from, shape);
  }

  size_t instruction(size_t i, uint32_t from, grammar::LineShape shape) {
    // Built in place: nothing else is added to the instructions meanwhile.
    Instruction& ins = f_.instructions.emplace_back();
    ins.start_line = static_cast<int>(i) + 1;
    ins.first_token = static_cast<uint32_t>(f_.tokens.size());
    ins.span.begin = from;
    const uint32_t text_begin = from + static_cast<uint32_t>(shape.lead);
    emit(TokenKind::Whitespace, from, text_begin);
    size_t continuation = shape.continuation == grammar::npos ? grammar::npos : shape.continuation - shape.lead;
    bool continued = add_text_line(ins, lines_[i], text_begin, continuation);
    ++i;
    bool empty_continuation = false;
    while (continued && i < lines_.size()) {
      const PhysLine& L = lines_[i];
      std::string_view content = view(L.begin, L.content_end);
      auto s = grammar::classify_line(content, f_.escape);
      offer_directive(content, L.begin);
      ++i;
      if (s.kind == LineKind::Comment) {
        emit_trivia(L, L.begin, s.lead, TokenKind::Comment);
        continue;
      }
      if (s.kind == LineKind::Blank) {
        empty_continuation = true;
        emit_trivia(L, L.begin, s.lead, TokenKind::Whitespace);
        continue;
      }
      // classify_line found the continuation (its leading spaces hold no escape char).
      continued = add_text_line(ins, L, L.begin, s.continuation);
    }
    ins.end_line = static_cast<int>(i);
    if (empty_continuation)
      diag(Severity::Warning, "empty-continuation-line",
           "empty continuation line inside an instruction (BuildKit warns; future releases reject it)",
           lines_[i - 1].begin);

    auto error = grammar::parse_logical_line(ins, src_, f_.escape);
    split_keyword_token(ins);
    if (error) diag(Severity::Error, "invalid-instruction", *error, ins.keyword_span.begin);
    if (!ins.known)
      diag(Severity::Error, "unknown-instruction", "unknown instruction: " + ins.keyword, ins.keyword_span.begin);

    if (grammar::can_contain_heredoc(ins) && ins.logical.find("<<") != std::string::npos)
      i = read_heredocs(ins, i);

    ins.span.end = lines_[i - 1].end;
    ins.end_line = static_cast<int>(i);
    ins.end_token = static_cast<uint32_t>(f_.tokens.size());
    return i;
  }

  // Adds one line's instruction text to the logical line; returns whether
  // the line continues.
  bool add_text_line(Instruction& ins, const PhysLine& L, uint32_t text_begin, size_t continuation) {
    uint32_t text_end = continuation == grammar::npos ? L.content_end
                                                      : text_begin + static_cast<uint32_t>(continuation);
    if (text_end > text_begin) {
      ins.pieces.push_back({static_cast<uint32_t>(ins.logical.size()), text_begin, text_end - text_begin});
      ins.logical.append(view(text_begin, text_end));
    }
    emit(TokenKind::Text, text_begin, text_end);
    emit(TokenKind::Continuation, text_end, L.content_end);
    emit(TokenKind::Newline, L.content_end, L.end);
    return continuation != grammar::npos;
  }

  // Carves the keyword out of the Text token that holds it.
  void split_keyword_token(const Instruction& ins) {
    Span k = ins.keyword_span;
    if (k.empty()) return;
    for (size_t t = ins.first_token; t < f_.tokens.size(); ++t) {
      Token tok = f_.tokens[t];
      if (tok.kind != TokenKind::Text || k.begin < tok.span.begin || k.end > tok.span.end) continue;
      std::array<Token, 3> parts;
      size_t n = 0;
      if (tok.span.begin < k.begin) parts[n++] = {TokenKind::Text, {tok.span.begin, k.begin}};
      parts[n++] = {TokenKind::Keyword, k};
      if (k.end < tok.span.end) parts[n++] = {TokenKind::Text, {k.end, tok.span.end}};
      f_.tokens[t] = parts[0];
      f_.tokens.insert(f_.tokens.begin() + static_cast<long>(t) + 1, parts.begin() + 1, parts.begin() + static_cast<long>(n));
      return;
    }
  }

  size_t read_heredocs(Instruction& ins, size_t i) {
    auto words = grammar::heredoc_line_words(ins.logical);
    if (!words) return i;
    size_t cursor = 0;
    for (const auto& word : *words) {
      auto marker = grammar::match_heredoc_marker(word);
      if (!marker || marker->rest.empty()) continue;
      auto plain = grammar::heredoc_delimiter_words(marker->rest, false);
      if (!plain) {
        diag(Severity::Error, "invalid-heredoc", "invalid heredoc delimiter: " + std::string(marker->rest),
             ins.keyword_span.begin);
        return i;
      }
      if (plain->size() != 1) continue;
      auto raw = grammar::heredoc_delimiter_words(marker->rest, true);
      if (!raw || raw->size() != plain->size()) {
        diag(Severity::Error, "invalid-heredoc",
             "internal lexing of heredoc produced inconsistent results: " + std::string(marker->rest),
             ins.keyword_span.begin);
        return i;
      }
      auto quotes = [](const std::string& s) { return std::count(s.begin(), s.end(), '\'') + std::count(s.begin(), s.end(), '"'); };
      Heredoc h;
      h.name = (*plain)[0];
      h.expand = quotes((*plain)[0]) == quotes((*raw)[0]);
      h.chomp = marker->chomp;
      h.fd = 0;
      if (!marker->fd_digits.empty() && marker->fd_digits.size() < 10) h.fd = static_cast<unsigned>(std::stoul(std::string(marker->fd_digits)));
      size_t at = ins.logical.find(word, cursor);
      if (at == std::string::npos) at = ins.logical.find("<<", cursor);
      if (at != std::string::npos) {
        size_t len = std::min(word.size(), ins.logical.size() - at);
        h.marker = {ins.file_offset(static_cast<uint32_t>(at)), ins.file_offset(static_cast<uint32_t>(at + len - 1)) + 1};
        cursor = at + len;
      }
      i = read_heredoc_body(ins, h, i);
      ins.heredocs.push_back(std::move(h));
      if (ins.heredocs.back().terminator.empty()) break;
    }
    return i;
  }

  size_t read_heredoc_body(Instruction& ins, Heredoc& h, size_t i) {
    h.body_span = {i < lines_.size() ? lines_[i].begin : static_cast<uint32_t>(src_.size()), 0};
    h.body_span.end = h.body_span.begin;
    for (; i < lines_.size(); ++i) {
      const PhysLine& L = lines_[i];
      std::string_view candidate = view(L.begin, L.content_end);
      if (h.chomp) candidate.remove_prefix(std::min(candidate.find_first_not_of('\t'), candidate.size()));
      if (candidate == h.name) {
        h.terminator = {L.begin, L.content_end};
        emit(TokenKind::HeredocEnd, L.begin, L.content_end);
        emit(TokenKind::Newline, L.content_end, L.end);
        return i + 1;
      }
      h.body.append(view(L.begin, L.end));
      h.body_span.end = L.end;
      emit(TokenKind::HeredocBody, L.begin, L.content_end);
      emit(TokenKind::Newline, L.content_end, L.end);
    }
    diag(Severity::Error, "unterminated-heredoc", "unterminated heredoc " + h.name, ins.keyword_span.begin);
    return i;
  }

  Dockerfile& f_;
  const std::string& src_;
  std::vector<PhysLine> lines_;
  bool directives_done_ = false;
  std::set<std::string> seen_directives_;
};

}  // namespace

Dockerfile parse(std::string source, std::string path) {
  Dockerfile f;
  f.path = std::move(path);
  f.source = std::move(source);
  Parser(f).run();
  return f;
}

}  // namespace dockerfix
