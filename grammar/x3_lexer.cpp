#include "grammar/x3_lexer.h"

#include <boost/spirit/home/x3.hpp>
#include <nlohmann/json.hpp>

#include "grammar/go_text.h"

namespace dockerfix::grammar {
namespace x3 = boost::spirit::x3;
using It = const char*;

namespace {

// unicode.IsSpace over one UTF-8 rune.
struct go_space_parser : x3::parser<go_space_parser> {
  using attribute_type = x3::unused_type;
  static bool const has_attribute = false;
  template <typename Ctx, typename RCtx, typename Attr>
  bool parse(It& first, It const& last, Ctx const&, RCtx&, Attr&) const {
    if (first == last) return false;
    auto rune = go::decode_rune(std::string_view(first, last - first), 0);
    if (!go::is_space_rune(rune.value)) return false;
    first += rune.width;
    return true;
  }
};
constexpr go_space_parser go_space{};

// RE2's \s.
const auto re_space = x3::char_("\t\n\f\r ");
const auto blank = x3::char_(" \t");

// The escape char ends a line as a continuation when it is alone (runs of
// two or more are literal) and only blanks follow. Consuming whole runs of
// escape chars makes "alone" a forward-only check.
// The parsers are function-local statics: static data members of a class
// template are initialised in no particular order, and under clang
// `cont_end` once copied `blank` before `blank` itself was set.
template <char E>
size_t continuation_at_impl(std::string_view content) {
  static const auto esc = x3::lit(E);
  static const auto cont_end = esc >> *blank >> x3::eoi;
  static const auto body = *(!cont_end >> (+esc | x3::char_));
  It first = content.data(), last = first + content.size();
  x3::parse(first, last, body);
  It body_end = first, probe = first;
  if (probe != last && x3::parse(probe, last, cont_end))
    return static_cast<size_t>(body_end - content.data());
  return npos;
}

}  // namespace

size_t continuation_at(std::string_view content, char escape) {
  // Only a line whose last byte before trailing blanks is the escape char
  // can continue (cont_end); most lines stop here, before the grammar runs.
  const size_t last = content.find_last_not_of(" \t");
  if (last == npos || content[last] != escape) return npos;
  return escape == '`' ? continuation_at_impl<'`'>(content) : continuation_at_impl<'\\'>(content);
}

LineShape classify_line(std::string_view content, char escape) {
  It first = content.data(), last = first + content.size();
  x3::parse(first, last, *go_space);
  LineShape shape{LineKind::Text, static_cast<size_t>(first - content.data()), npos};
  if (first == last) {
    shape.kind = LineKind::Blank;
  } else if (*first == '#') {
    shape.kind = LineKind::Comment;
  } else {
    size_t at = continuation_at(content.substr(shape.lead), escape);
    if (at != npos) shape.continuation = shape.lead + at;
  }
  return shape;
}

std::optional<DirectiveText> match_directive(std::string_view line) {
  It first = line.data(), last = first + line.size();
  std::string_view name, rest;
  auto set_name = [&](auto& ctx) {
    auto r = x3::_attr(ctx);
    name = std::string_view(r.begin(), r.size());
  };
  auto set_rest = [&](auto& ctx) {
    auto r = x3::_attr(ctx);
    rest = std::string_view(r.begin(), r.size());
  };
  const auto directive = x3::lit('#') >> *go_space >>
                         x3::raw[x3::ascii::alpha >> *x3::ascii::alnum][set_name] >>
                         *re_space >> '=' >> x3::raw[*x3::char_][set_rest];
  if (!x3::parse(first, last, directive) || first != last) return std::nullopt;
  // `\s*(.+?)\s*$`: the value keeps at least one character even when that
  // character is a space.
  auto is_s = [](char c) { return c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == ' '; };
  if (rest.empty()) return std::nullopt;
  size_t lead = 0;
  while (lead + 1 < rest.size() && is_s(rest[lead])) ++lead;
  rest.remove_prefix(lead);
  while (rest.size() > 1 && is_s(rest.back())) rest.remove_suffix(1);
  return DirectiveText{name, rest};
}

std::optional<HeredocMarker> match_heredoc_marker(std::string_view word) {
  It first = word.data(), last = first + word.size();
  HeredocMarker m;
  auto set_fd = [&](auto& ctx) {
    auto r = x3::_attr(ctx);
    m.fd_digits = std::string_view(r.begin(), r.size());
  };
  auto set_chomp = [&](auto&) { m.chomp = true; };
  auto set_rest = [&](auto& ctx) {
    auto r = x3::_attr(ctx);
    m.rest = std::string_view(r.begin(), r.size());
  };
  const auto marker = x3::raw[*x3::ascii::digit][set_fd] >> "<<" >> -x3::lit('-')[set_chomp] >>
                      *re_space >> x3::raw[*(x3::char_ - '<')][set_rest] >> x3::eoi;
  if (!x3::parse(first, last, marker)) return std::nullopt;
  return m;
}

CommandSplit split_command(std::string_view line) {
  It first = line.data(), last = first + line.size();
  const auto re_ws = x3::char_("\t\v\f\r ");
  CommandSplit out;
  auto set_cmd = [&](auto& ctx) {
    auto r = x3::_attr(ctx);
    out.command = std::string_view(r.begin(), r.size());
  };
  x3::parse(first, last, x3::raw[*(x3::char_ - re_ws)][set_cmd] >> *re_ws);
  if (out.command.size() < line.size()) out.rest_begin = static_cast<size_t>(first - line.data());
  return out;
}

namespace {

// Decodes the inside of a JSON string the X3 rule already validated.
// Unpaired surrogates become U+FFFD, as Go's encoding/json does.
std::string decode_json_string(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  auto hex = [&](size_t i) { return static_cast<char32_t>(std::stoul(std::string(s.substr(i, 4)), nullptr, 16)); };
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '\\') {
      auto r = go::decode_rune(s, i);
      if (r.value == 0xFFFD && r.width == 1) go::append_rune(out, 0xFFFD);
      else out.append(s.substr(i, r.width));
      i += r.width - 1;
      continue;
    }
    char c = s[++i];
    switch (c) {
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 't': out += '\t'; break;
      case 'u': {
        char32_t cp = hex(i + 1);
        i += 4;
        if (cp >= 0xD800 && cp < 0xDC00 && i + 6 < s.size() + 1 && s.substr(i + 1, 2) == "\\u") {
          char32_t lo = hex(i + 3);
          if (lo >= 0xDC00 && lo < 0xE000) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            i += 6;
          } else {
            cp = 0xFFFD;
          }
        } else if (cp >= 0xD800 && cp < 0xE000) {
          cp = 0xFFFD;
        }
        go::append_rune(out, cp);
        break;
      }
      default: out += c;  // " \ /
    }
  }
  return out;
}

}  // namespace

JsonArray parse_json_array(std::string_view text, std::vector<std::string>& out) {
  It first = text.data(), last = first + text.size();
  std::vector<std::string_view> raws;
  auto push = [&](auto& ctx) {
    auto r = x3::_attr(ctx);
    raws.emplace_back(r.begin(), r.size());
  };
  const auto ws = *x3::char_(" \t\n\r");
  const auto escape = x3::lit('\\') >> (x3::char_("\"\\/bfnrt") | (x3::lit('u') >> x3::repeat(4)[x3::xdigit]));
  const auto plain = x3::char_ - '"' - '\\' - x3::char_('\x00', '\x1f');
  const auto string = x3::lit('"') >> x3::raw[*(escape | plain)][push] >> '"';
  const auto array = ws >> '[' >> ws >> -(string % (ws >> ',' >> ws)) >> ws >> ']' >> ws >> x3::eoi;
  if (x3::parse(first, last, array)) {
    out.clear();
    for (auto raw : raws) out.push_back(decode_json_string(raw));
    return JsonArray::Strings;
  }
  // Valid JSON array holding something other than strings: BuildKit refuses
  // it instead of falling back to shell form.
  // nlohmann stops at a NUL byte and rejects invalid UTF-8; encoding/json
  // refuses the first and decodes the second, so mirror both before asking.
  // Only text starting with '[' (after JSON whitespace, or a byte-order mark
  // nlohmann skips) can be an array: most shell-form lines stop here, before
  // a full JSON parse builds its error message.
  const size_t start = text.find_first_not_of(" \t\n\r");
  if (start == std::string_view::npos || (text[start] != '[' && !text.starts_with("\xEF"))) return JsonArray::NotArray;
  if (text.find('\0') != std::string_view::npos) return JsonArray::NotArray;
  const std::string valid = go::to_valid_utf8(text);
  auto any = nlohmann::json::parse(valid, nullptr, false);
  if (!any.is_discarded() && any.is_array()) return JsonArray::NotStrings;
  return JsonArray::NotArray;
}

}  // namespace dockerfix::grammar
