#include "grammar/instruction.h"

#include <algorithm>
#include <array>

#include "grammar/buildkit_words.h"
#include "grammar/go_text.h"
#include "grammar/x3_lexer.h"

namespace dockerfix::grammar {

namespace {

// How BuildKit reads each instruction's arguments (its dispatch table).
enum class ArgForm { Ignore, MaybeJson, MaybeJsonToList, NameVal, NameOrNameVal, Words, String, Health, SubCommand };

struct DispatchEntry {
  std::string_view keyword;  // lower case
  ArgForm form;
};

constexpr std::array<DispatchEntry, 18> kDispatch{{
    {"add", ArgForm::MaybeJsonToList},
    {"arg", ArgForm::NameOrNameVal},
    {"cmd", ArgForm::MaybeJson},
    {"copy", ArgForm::MaybeJsonToList},
    {"entrypoint", ArgForm::MaybeJson},
    {"env", ArgForm::NameVal},
    {"expose", ArgForm::Words},
    {"from", ArgForm::Words},
    {"healthcheck", ArgForm::Health},
    {"label", ArgForm::NameVal},
    {"maintainer", ArgForm::String},
    {"onbuild", ArgForm::SubCommand},
    {"run", ArgForm::MaybeJson},
    {"shell", ArgForm::MaybeJson},
    {"stopsignal", ArgForm::String},
    {"user", ArgForm::String},
    {"volume", ArgForm::MaybeJsonToList},
    {"workdir", ArgForm::String},
}};

const DispatchEntry* find_dispatch(std::string_view lower) {
  for (const auto& e : kDispatch)
    if (e.keyword == lower) return &e;
  return nullptr;
}

const char* kNotStrings = "when using JSON array syntax, arrays must be comprised of strings only";

// Returns an error message when BuildKit rejects a JSON array of non-strings.
std::optional<std::string> maybe_json(Instruction& ins, std::string_view args) {
  std::vector<std::string> out;
  switch (parse_json_array(args, out)) {
    case JsonArray::Strings:
      ins.exec_form = true;
      ins.exec = std::move(out);
      return std::nullopt;
    case JsonArray::NotStrings:
      return std::string(kNotStrings);
    case JsonArray::NotArray:
      return std::nullopt;
  }
  return std::nullopt;
}

std::optional<std::string> name_val(std::string_view args, std::string_view key, char escape) {
  auto words = parse_words(args, escape);
  if (words.empty()) return std::nullopt;
  if (words[0].find('=') == std::string::npos) {
    bool has_ws = std::any_of(args.begin(), args.end(),
                              [](char c) { return go::is_re_whitespace(static_cast<unsigned char>(c)); });
    if (!has_ws) return std::string(key) + " must have two arguments";
    return std::nullopt;
  }
  for (const auto& w : words)
    if (w.find('=') == std::string::npos)
      return "Syntax error - can't find = in " + go::quote(w) + ". Must be of the form: name=value";
  return std::nullopt;
}

// The pieces of `parent` covering logical range [from, to), rebased to 0.
std::vector<Piece> slice_pieces(const std::vector<Piece>& pieces, uint32_t from, uint32_t to) {
  std::vector<Piece> out;
  for (const auto& p : pieces) {
    uint32_t b = std::max(p.logical, from), e = std::min(p.logical + p.length, to);
    if (b >= e) continue;
    out.push_back({b - from, p.file + (b - p.logical), e - b});
  }
  return out;
}

Span logical_span(const Instruction& ins, size_t from, size_t to) {
  if (from >= to) {
    uint32_t at = ins.file_offset(static_cast<uint32_t>(from));
    return {at, at};
  }
  return {ins.file_offset(static_cast<uint32_t>(from)), ins.file_offset(static_cast<uint32_t>(to - 1)) + 1};
}

}  // namespace

std::string ascii_upper(std::string_view s) {
  std::string out(s);
  for (auto& c : out)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return out;
}

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::optional<std::string> parse_logical_line(Instruction& ins, const std::string& source, char escape) {
  std::string_view line = ins.logical;
  const size_t lead = go::leading_space(line);
  std::string_view trimmed = go::trim_space(line);
  auto split = split_command(trimmed);
  ins.keyword = ascii_upper(split.command);
  ins.keyword_span = logical_span(ins, lead, lead + split.command.size());

  std::string_view args;
  size_t args_at = lead + trimmed.size();
  if (split.rest_begin != npos) {
    std::string_view after = trimmed.substr(split.rest_begin);
    size_t after_at = lead + split.rest_begin;
    auto flags = extract_flags(after, escape);
    for (auto& fw : flags.flags) {
      Flag f;
      std::string_view text = fw.text;
      if (text.substr(0, 2) == "--") text.remove_prefix(2);
      auto eq = text.find('=');
      f.name = std::string(text.substr(0, eq));
      if (eq != std::string_view::npos) f.value = std::string(text.substr(eq + 1));
      f.span = logical_span(ins, after_at + fw.begin, after_at + fw.end);
      ins.flags.push_back(std::move(f));
    }
    if (flags.rest != npos) {
      std::string_view rest = after.substr(flags.rest);
      size_t rest_lead = go::leading_space(rest);
      args = go::trim_space(rest);
      args_at = after_at + flags.rest + rest_lead;
    }
  }
  ins.arguments = std::string(args);
  ins.arguments_span = logical_span(ins, args_at, args_at + args.size());
  ins.arguments_offset = static_cast<uint32_t>(args_at);

  const auto* entry = find_dispatch(ascii_lower(split.command));
  ins.known = entry != nullptr;
  ArgForm form = entry ? entry->form : ArgForm::Ignore;
  switch (form) {
    case ArgForm::MaybeJson:
      if (args.empty()) return std::nullopt;
      return maybe_json(ins, args);
    case ArgForm::MaybeJsonToList:
      return maybe_json(ins, args);
    case ArgForm::NameVal:
      return name_val(args, ins.keyword == "ENV" ? "ENV" : "LABEL", escape);
    case ArgForm::Health: {
      size_t sep = 0;
      while (sep < args.size() && !go::is_space_byte(static_cast<unsigned char>(args[sep]))) ++sep;
      if (sep == 0) return std::nullopt;
      size_t next = sep;
      while (next < args.size() && go::is_space_byte(static_cast<unsigned char>(args[next]))) ++next;
      if (next == args.size()) return std::nullopt;
      return maybe_json(ins, args.substr(next));
    }
    case ArgForm::SubCommand: {
      if (args.empty()) return std::nullopt;
      auto child = std::make_shared<Instruction>();
      uint32_t from = static_cast<uint32_t>(args_at), to = static_cast<uint32_t>(args_at + args.size());
      child->logical = std::string(args);
      child->pieces = slice_pieces(ins.pieces, from, to);
      child->start_line = ins.start_line;
      child->end_line = ins.end_line;
      auto err = parse_logical_line(*child, source, escape);
      child->span = logical_span(ins, from, to);
      ins.onbuild = std::move(child);
      return err;
    }
    case ArgForm::Ignore:
    case ArgForm::NameOrNameVal:
    case ArgForm::Words:
    case ArgForm::String:
      return std::nullopt;
  }
  return std::nullopt;
}

bool can_contain_heredoc(const Instruction& ins) {
  const Instruction* node = &ins;
  if (ins.keyword == "ONBUILD" && ins.onbuild) node = ins.onbuild.get();
  const auto& k = node->keyword;
  return (k == "RUN" || k == "COPY" || k == "ADD") && !node->exec_form;
}

}  // namespace dockerfix::grammar
