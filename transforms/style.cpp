#include "dockerfix/fix.h"
#include "transforms/rule_support.h"

namespace dockerfix::fix {

Style style_of(const Dockerfile& file) {
  Style s;
  s.escape = file.escape;
  size_t lower = 0, upper = 0;
  for (const auto& ins : file.instructions) {
    auto spelled = file.text(ins.keyword_span);
    if (spelled.empty()) continue;
    if (spelled == ins.keyword) ++upper;
    else if (std::all_of(spelled.begin(), spelled.end(), [](char c) { return !(c >= 'A' && c <= 'Z'); })) ++lower;
  }
  s.lowercase_keywords = lower > upper;
  for (const auto& t : file.tokens) {
    if (t.kind != TokenKind::Newline) continue;
    s.newline = file.text(t.span).size() >= 2 ? "\r\n" : "\n";
    break;
  }
  return s;
}

std::string Style::keyword(std::string_view upper) const {
  std::string k(upper);
  if (lowercase_keywords)
    for (auto& c : k) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return k;
}

std::string indentation(const Dockerfile& f, const Instruction& ins) {
  std::string out;
  for (uint32_t i = ins.span.begin; i < f.source.size() && (f.source[i] == ' ' || f.source[i] == '\t'); ++i)
    out += f.source[i];
  return out;
}

Edit insert_line_before(const Dockerfile& f, const Instruction& ins, const std::string& line, const Style& s) {
  return {{ins.span.begin, ins.span.begin}, indentation(f, ins) + line + s.newline};
}

Edit insert_line_after(const Dockerfile& f, const Instruction& ins, const std::string& line, const Style& s) {
  uint32_t at = ins.span.end;
  bool ends_with_newline = at > 0 && f.source[at - 1] == '\n';
  if (ends_with_newline) return {{at, at}, indentation(f, ins) + line + s.newline};
  return {{at, at}, s.newline + indentation(f, ins) + line};
}

Edit append_line(const Dockerfile& f, const std::string& line, const Style& s) {
  uint32_t at = static_cast<uint32_t>(f.source.size());
  bool ends_with_newline = at > 0 && f.source[at - 1] == '\n';
  return {{at, at}, (ends_with_newline || at == 0 ? "" : s.newline) + line + s.newline};
}

bool final_shell_is_posix(const Context& ctx, const model::Stage& stage) {
  if (stage.steps.empty()) return true;
  return ctx.model.steps[stage.steps.back()].shell.posix;
}

Finding make_finding(const Dockerfile& f, std::string_view rule, std::string message, Span span) {
  Finding out;
  out.rule = std::string(rule);
  out.message = std::move(message);
  out.span = span;
  std::tie(out.line, out.column) = f.position(span.begin);
  return out;
}

}  // namespace dockerfix::fix
