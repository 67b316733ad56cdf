#include "transforms/rules/rule_queries.h"

#include <algorithm>

#include "grammar/buildkit_words.h"
#include "model/words.h"

namespace dockerfix::fix {

namespace {

// run_steps() of one model.
struct KnownRunSteps {
  bool found = false;
  std::vector<RunStep> steps;
};

}  // namespace

const std::vector<RunStep>& run_steps(const Context& ctx) {
  auto& known = ctx.model.derived.slot<KnownRunSteps>();
  if (!known.found) {
    for (const auto& step : ctx.model.steps) {
      const auto& ins = ctx.file.instructions[step.instruction];
      if (ins.keyword == "RUN") known.steps.push_back({step, ins});
    }
    known.found = true;
  }
  return known.steps;
}

bool has_arg(const model::RunCommand& c, std::initializer_list<std::string_view> words) {
  for (size_t i = c.program + 1; i < c.words.size(); ++i)
    if (std::find(words.begin(), words.end(), c.words[i].value) != words.end()) return true;
  return false;
}

std::optional<size_t> arg_index(const model::RunCommand& c, std::string_view word) {
  for (size_t i = c.program + 1; i < c.words.size(); ++i)
    if (c.words[i].value == word) return i - c.program;
  return std::nullopt;
}

bool runs(const model::RunCommand& c, std::initializer_list<std::string_view> programs,
          std::initializer_list<std::string_view> subcommands) {
  const std::string_view name = c.name();
  if (std::find(programs.begin(), programs.end(), name) == programs.end()) return false;
  return subcommands.size() == 0 || has_arg(c, subcommands);
}

std::vector<const model::ShellWord*> operands_after(const model::RunCommand& c,
                                                    std::initializer_list<std::string_view> subcommands,
                                                    std::initializer_list<std::string_view> with_value) {
  std::vector<const model::ShellWord*> out;
  bool seen = false;
  for (const model::ShellWord* w : c.operands(with_value)) {
    if (!seen && std::find(subcommands.begin(), subcommands.end(), w->value) != subcommands.end()) {
      seen = true;
      continue;
    }
    if (seen) out.push_back(w);
  }
  return out;
}

bool through_sudo(const model::RunCommand& c) {
  for (size_t i = 0; i < c.program && i < c.words.size(); ++i)
    if (model::base_name(c.words[i].value) == "sudo") return true;
  return c.name() == "sudo";
}

const Flag* flag(const Instruction& ins, std::string_view name) {
  for (const auto& f : ins.flags)
    if (f.name == name) return &f;
  return nullptr;
}

bool cache_mount(const Instruction& run, std::string_view path) {
  for (const auto& f : run.flags) {
    if (f.name != "mount" || !f.value) continue;
    const std::string& v = *f.value;
    bool kind = contains(v, "type=cache") || contains(v, "type=tmpfs");
    if (!kind) continue;
    for (std::string_view key : {"target=", "dst=", "destination="}) {
      auto at = v.find(key);
      if (at == std::string::npos) continue;
      auto end = v.find(',', at);
      std::string_view target = std::string_view(v).substr(at + key.size(), end == std::string::npos ? std::string::npos : end - at - key.size());
      if (contains(target, path)) return true;
    }
  }
  return false;
}

std::optional<CopyArgs> copy_args(const Instruction& ins, char escape) {
  std::vector<std::string> words;
  if (ins.exec_form) {
    words = ins.exec;
  } else {
    if (!ins.heredocs.empty()) return std::nullopt;
    for (auto& w : grammar::parse_words(ins.arguments, escape)) words.push_back(model::unquote(w));
  }
  if (words.size() < 2) return std::nullopt;
  CopyArgs out;
  out.dest = words.back();
  words.pop_back();
  out.sources = std::move(words);
  return out;
}

std::vector<std::pair<std::string, std::string>> key_value_pairs(const Instruction& ins, char escape) {
  std::vector<std::pair<std::string, std::string>> out;
  auto words = grammar::parse_words(ins.arguments, escape);
  if (words.empty()) return out;
  if (ins.keyword == "ENV" && words[0].find('=') == std::string::npos) {
    auto sp = ins.arguments.find_first_of(" \t");
    if (sp == std::string::npos) return out;
    auto start = ins.arguments.find_first_not_of(" \t", sp);
    out.emplace_back(ins.arguments.substr(0, sp), model::unquote(ins.arguments.substr(start)));
    return out;
  }
  for (const auto& w : words) {
    auto eq = w.find('=');
    if (eq == std::string::npos) out.emplace_back(model::unquote(w), "");
    else out.emplace_back(model::unquote(w.substr(0, eq)), model::unquote(w.substr(eq + 1)));
  }
  return out;
}

bool is_archive_name(std::string_view name) {
  static constexpr std::string_view kSuffixes[] = {
      ".tar",  ".tar.gz", ".tgz",  ".tar.bz2", ".tbz2", ".tbz", ".tb2", ".tar.xz", ".txz", ".tar.zst", ".tzst",
      ".tar.lz", ".tlz",  ".tar.lzma", ".tar.Z", ".taz", ".gz",  ".bz2", ".xz",    ".zst", ".lz",      ".lzma",
      ".Z",    ".zip",    ".7z",   ".rar"};
  for (auto s : kSuffixes)
    if (name.size() > s.size() && name.ends_with(s)) return true;
  return false;
}

bool is_url(std::string_view s) { return contains(s, "://") || s.starts_with("git@"); }

std::string lower(std::string_view s) {
  std::string o(s);
  for (char& c : o) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return o;
}

bool contains(std::string_view text, std::string_view part) { return text.find(part) != std::string_view::npos; }

std::optional<uint32_t> run_append_point(const Dockerfile& f, const RunStep& run) {
  const Instruction& ins = run.ins;
  if (ins.exec_form || !ins.heredocs.empty() || ins.onbuild) return std::nullopt;
  const model::RunCommand* last = nullptr;
  for (const auto& c : run.step.commands)
    if (!c.nested && !c.substitution && !c.span.empty() && (!last || c.span.end > last->span.end)) last = &c;
  if (!last || last->then == model::RunCommand::Then::Background) return std::nullopt;
  uint32_t end = ins.arguments_span.end;
  if (last->span.end > end) return std::nullopt;
  for (uint32_t i = last->span.end; i < end; ++i)
    if (f.source[i] != ' ' && f.source[i] != '\t') return std::nullopt;
  return last->span.end;
}

std::vector<size_t> stage_chain(const model::BuildModel& m, size_t stage) {
  std::vector<size_t> out{stage};
  while (m.stages[out.back()].parent_stage && out.size() <= m.stages.size()) out.push_back(*m.stages[out.back()].parent_stage);
  return out;
}

bool only_and_between(const Dockerfile& f, uint32_t from, uint32_t to) {
  std::string rest;
  for (uint32_t i = from; i < to && i < f.source.size(); ++i) {
    char ch = f.source[i];
    if (ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n' || ch == f.escape) continue;
    rest += ch;
  }
  return rest == "&&";
}

bool stage_is_kept(const model::BuildModel& m, size_t stage) {
  if (m.final_stage && *m.final_stage == stage) return true;
  for (const auto& s : m.stages)
    if (s.parent_stage && *s.parent_stage == stage) return true;
  return false;
}

Edit replace_word(const model::ShellWord& w, std::string text) { return {w.span, std::move(text)}; }

}  // namespace dockerfix::fix
