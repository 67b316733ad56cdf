// Helpers for the grammar unit tests: parse with the lossless round-trip and
// the structural invariants of syntax.h checked every time, plus compact views
// (instruction boundaries, flags, diagnostics) to compare against what
// BuildKit's parser (frontend/dockerfile/parser) reports for the same text.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "dockerfix/syntax.h"

namespace dockerfix::test {

// One instruction as BuildKit's Node reports it: keyword (upper-cased, as
// BuildKit dispatches case-insensitively), StartLine and EndLine.
struct Shape {
  std::string keyword;
  int start_line = 0;
  int end_line = 0;
  bool operator==(const Shape&) const = default;
};

inline void PrintTo(const Shape& s, std::ostream* os) {
  *os << "{" << s.keyword << " " << s.start_line << "-" << s.end_line << "}";
}

using Shapes = std::vector<Shape>;

inline std::string upper(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

inline Shapes shapes(const Dockerfile& f) {
  Shapes out;
  for (const auto& i : f.instructions) out.push_back({upper(i.keyword), i.start_line, i.end_line});
  return out;
}

// The invariants every tree must satisfy, whatever the input. Returns the
// first violation found, or an empty string.
inline std::string invariant_violation(const Dockerfile& f) {
  const auto n = static_cast<uint32_t>(f.source.size());
  auto at_line = [](const Instruction& ins, const std::string& what) {
    return "instruction " + ins.keyword + " at line " + std::to_string(ins.start_line) + ": " + what;
  };
  // Tokens tile the file: contiguous, in order, from 0 to the end.
  uint32_t at = 0;
  for (size_t k = 0; k < f.tokens.size(); ++k) {
    const Token& t = f.tokens[k];
    if (t.span.begin != at) return "token " + std::to_string(k) + " leaves a gap or overlaps at byte " + std::to_string(at);
    if (t.span.end < t.span.begin) return "token " + std::to_string(k) + " ends before it begins";
    at = t.span.end;
  }
  if (at != n) return "tokens stop at byte " + std::to_string(at) + " of " + std::to_string(n);

  uint32_t previous_end_token = 0;
  for (const Instruction& ins : f.instructions) {
    if (ins.first_token >= ins.end_token || ins.end_token > f.tokens.size()) return at_line(ins, "bad token range");
    if (ins.first_token < previous_end_token) return at_line(ins, "token range overlaps the previous instruction");
    previous_end_token = ins.end_token;
    if (f.tokens[ins.first_token].span.begin != ins.span.begin) return at_line(ins, "span does not start at its first token");
    if (f.tokens[ins.end_token - 1].span.end != ins.span.end) return at_line(ins, "span does not end at its last token");
    if (ins.start_line > ins.end_line) return at_line(ins, "start_line after end_line");
    if (ins.keyword_span.begin < ins.span.begin || ins.keyword_span.end > ins.span.end)
      return at_line(ins, "keyword outside the instruction");
    if (ins.known && upper(std::string(f.text(ins.keyword_span))) != ins.keyword)
      return at_line(ins, "keyword_span does not spell the keyword");

    // The logical line is made of pieces of the file, in order, without gaps.
    uint32_t logical = 0;
    for (const Piece& p : ins.pieces) {
      if (p.logical != logical) return at_line(ins, "pieces are not contiguous in the logical line");
      if (p.file + p.length > n || p.logical + p.length > ins.logical.size()) return at_line(ins, "piece out of range");
      if (f.source.compare(p.file, p.length, ins.logical, p.logical, p.length) != 0)
        return at_line(ins, "piece text differs from the file");
      logical += p.length;
    }
    if (logical != ins.logical.size()) return at_line(ins, "pieces do not cover the logical line");

    // `arguments` is a slice of the logical line.
    if (ins.arguments_offset + ins.arguments.size() > ins.logical.size() ||
        ins.logical.compare(ins.arguments_offset, ins.arguments.size(), ins.arguments) != 0)
      return at_line(ins, "arguments are not at arguments_offset in the logical line");

    for (const Flag& fl : ins.flags)
      if (f.text(fl.span).substr(0, 2) != "--") return at_line(ins, "flag span does not start with --");
    for (const Heredoc& h : ins.heredocs) {
      if (f.text(h.body_span) != h.body) return at_line(ins, "heredoc " + h.name + " body differs from body_span");
      if (f.text(h.marker).find("<<") == std::string_view::npos) return at_line(ins, "heredoc marker without <<");
      if (!h.terminator.empty()) {
        std::string_view term = f.text(h.terminator);
        if (h.chomp) term.remove_prefix(std::min(term.find_first_not_of('\t'), term.size()));
        if (term != h.name) return at_line(ins, "heredoc terminator does not spell " + h.name);
      }
    }
    if (ins.onbuild && (ins.onbuild->keyword_span.begin < ins.keyword_span.end ||
                        ins.onbuild->keyword_span.end > ins.span.end))
      return at_line(ins, "ONBUILD trigger keyword outside the instruction");
  }
  for (const Diagnostic& d : f.diagnostics) {
    if (d.code.empty()) return "diagnostic without a code: " + d.message;
    if (d.offset > n) return "diagnostic offset past the end: " + d.code;
    if (d.line < 1 || d.line > static_cast<int>(f.line_starts.size()) + 1) return "diagnostic line out of range: " + d.code;
  }
  return {};
}

inline void check_invariants(const Dockerfile& f) { EXPECT_EQ(invariant_violation(f), ""); }

// Parses, asserts the byte-for-byte round trip and the invariants.
inline Dockerfile parse_rt(const std::string& src) {
  Dockerfile f = parse(src);
  EXPECT_EQ(print(f), src) << "round trip";
  check_invariants(f);
  return f;
}

inline const Diagnostic* find_diag(const Dockerfile& f, const std::string& code) {
  for (const auto& d : f.diagnostics)
    if (d.code == code) return &d;
  return nullptr;
}

inline bool has_code(const Dockerfile& f, const std::string& code) { return find_diag(f, code) != nullptr; }

// The first Error diagnostic whose message contains `text`.
inline const Diagnostic* find_error_message(const Dockerfile& f, const std::string& text) {
  for (const auto& d : f.diagnostics)
    if (d.severity == Severity::Error && d.message.find(text) != std::string::npos) return &d;
  return nullptr;
}

inline int error_count(const Dockerfile& f) {
  return static_cast<int>(std::count_if(f.diagnostics.begin(), f.diagnostics.end(),
                                        [](const Diagnostic& d) { return d.severity == Severity::Error; }));
}

inline std::string describe(const Dockerfile& f) {
  std::string out;
  for (const auto& d : f.diagnostics)
    out += (d.severity == Severity::Error ? "error " : "warning ") + d.code + " line " + std::to_string(d.line) +
           ": " + d.message + "\n";
  return out;
}

// Flags as BuildKit's Node.Flags spells them: "--name=value" or "--name".
inline std::vector<std::string> flag_words(const Instruction& ins) {
  std::vector<std::string> out;
  for (const auto& fl : ins.flags) out.push_back("--" + fl.name + (fl.value ? "=" + *fl.value : std::string()));
  return out;
}

inline std::vector<std::string> token_texts(const Dockerfile& f, TokenKind kind) {
  std::vector<std::string> out;
  for (const auto& t : f.tokens)
    if (t.kind == kind) out.emplace_back(f.text(t.span));
  return out;
}

}  // namespace dockerfix::test
