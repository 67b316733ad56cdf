// Lexes a RUN (shell form, exec form or heredoc script) and follows the
// scripts it runs: `sh -c '...'`, and script files copied from the build
// context earlier in the stage (the seeds/000 pattern).
#include "model/run_analysis.h"

#include <algorithm>
#include <filesystem>
#include <list>

#include "dockerfix/shell.h"
#include "grammar/offset_cursor.h"
#include "model/command_facts.h"
#include "model/context_files.h"
#include "model/programs.h"
#include "model/words.h"

namespace dockerfix::model {

namespace {

namespace fs = std::filesystem;

constexpr int kMaxDepth = 4;

bool is_shell(std::string_view s) {
  auto b = base_name(s);
  return b == "sh" || b == "bash" || b == "dash" || b == "ash" || b == "zsh" || b == "ksh";
}

// argv values and the files a command's redirections write (not `>&` fd
// dups), as views into `cmd`.
SimpleCommand simple_command(const shell::Command& cmd) {
  SimpleCommand sc;
  sc.argv.reserve(cmd.argv.size());
  for (const auto& w : cmd.argv) sc.argv.push_back(w.value);
  for (const auto& r : cmd.redirects)
    if (r.op.find('>') != std::string::npos && r.op != ">&") sc.write_targets.push_back(r.target.value);
  return sc;
}

RunCommand::Then then_of(shell::Op op) {
  switch (op) {
    case shell::Op::And: return RunCommand::Then::And;
    case shell::Op::Or: return RunCommand::Then::Or;
    case shell::Op::Seq: return RunCommand::Then::Sequence;
    case shell::Op::Pipe: return RunCommand::Then::Pipe;
    case shell::Op::Background: return RunCommand::Then::Background;
    default: return RunCommand::Then::End;
  }
}

// Where the text being analysed came from, to report findings.
struct Origin {
  std::string script;             // context path of a script file, or empty
  std::string_view script_text;   // for line numbers
  Span dockerfile_span;           // what to point at in the Dockerfile when the text is not the Dockerfile
  const Instruction* run = nullptr;  // the RUN analysed (RunAnalyzer::run_)
  uint32_t logical_base = 0;      // offset of the text in run->logical (Dockerfile text only)
  bool contiguous = false;        // the text is a contiguous file range starting at file_base
  uint32_t file_base = 0;
  bool in_dockerfile() const { return script.empty() && dockerfile_span.empty(); }
};

class RunAnalyzer {
 public:
  RunAnalyzer(const Instruction& run, const RunContext& ctx) : run_(run), ctx_(ctx) {}

  // What the facts depend on of the COPYs before the RUN: the container
  // paths of the scripts it runs, looked up among the files copied from the
  // build context, and what each was copied from (none: not copied).
  using CopiesRead = std::vector<std::pair<std::string, std::optional<std::string>>>;
  const CopiesRead& copies_read() const { return copies_read_; }

  RunFacts analyze() {
    if (run_.exec_form) {
      analyze_exec();
      return std::move(out_);
    }
    Origin o;
    o.run = &run_;
    o.logical_base = run_.arguments_offset;
    analyze_text(run_.arguments, o, 0);
    // `RUN <<EOF` (alone, or fed to a shell): the heredoc body is the script.
    for (const auto& h : run_.heredocs) {
      if (!heredoc_is_script(h)) continue;
      Origin ho;
      ho.run = &run_;
      ho.contiguous = true;
      ho.file_base = h.body_span.begin;
      analyze_text(h.body, ho, 0);
    }
    return std::move(out_);
  }

 private:
  bool heredoc_is_script(const Heredoc&) const {
    auto script = shell::lex(run_.arguments);
    if (script.commands.empty()) return true;  // `RUN <<EOF`
    const auto& c = script.commands.front();
    return c.argv.empty() || is_shell(c.argv.front().value);
  }

  void analyze_exec() {
    if (run_.exec.empty()) return;
    Origin o;
    o.dockerfile_span = run_.arguments_span;
    o.run = &run_;
    if (is_shell(run_.exec[0]) && run_.exec.size() >= 3 && run_.exec[1] == "-c") {
      analyze_text(run_.exec[2], o, 1);
      return;
    }
    SimpleCommand sc{{run_.exec.begin(), run_.exec.end()}, {}};
    out_.commands.push_back(exec_words());
    out_.commands.back().program = program_index(run_.exec);
    facts(sc, run_.arguments_span, o, 0);
  }

  // The JSON string literals of an exec-form RUN, as written, with spans.
  RunCommand exec_words() const {
    RunCommand rc;
    const std::string& a = run_.arguments;
    for (size_t i = 0; i < a.size(); ++i) {
      if (a[i] != '"') continue;
      size_t j = i + 1;
      while (j < a.size() && a[j] != '"') j += a[j] == '\\' ? 2 : 1;
      j = std::min(j, a.size() - 1);
      ShellWord w;
      w.raw = a.substr(i, j + 1 - i);
      const size_t k = rc.words.size();
      w.value = k < run_.exec.size() ? run_.exec[k] : unquote(w.raw);
      uint32_t b = run_.arguments_offset + static_cast<uint32_t>(i), e = run_.arguments_offset + static_cast<uint32_t>(j);
      w.span = {offsets_.file_offset(b), offsets_.file_offset(e) + 1};
      rc.words.push_back(std::move(w));
      i = j;
    }
    return rc;
  }

  Span span_of(const Origin& o, uint32_t begin, uint32_t end) const {
    if (!o.dockerfile_span.empty() || !o.script.empty()) return o.dockerfile_span;
    if (o.contiguous) return {o.file_base + begin, o.file_base + end};
    if (end <= begin) {
      uint32_t at = offsets_.file_offset(o.logical_base + begin);
      return {at, at};
    }
    return {offsets_.file_offset(o.logical_base + begin), offsets_.file_offset(o.logical_base + end - 1) + 1};
  }

  void analyze_text(std::string_view text, const Origin& o, int depth) {
    auto script = shell::lex(text);
    for (auto& cmd : script.commands) {
      SimpleCommand sc = simple_command(cmd);  // views into cmd: used before its words move below
      Span cmd_span = span_of(o, cmd.begin, cmd.end);
      int line = 0;
      if (!o.script.empty()) line = 1 + static_cast<int>(std::count(o.script_text.begin(), o.script_text.begin() + std::min<size_t>(cmd.begin, o.script_text.size()), '\n'));
      facts(sc, cmd_span, o, line);
      const std::optional<size_t> at = shell::inner_script_word(cmd);  // `sh -c '...'`: the script's word
      std::optional<shell::Script> inner;  // its script (shell::inner_script), lexed once
      if (depth < kMaxDepth) {
        if (at) inner = shell::lex(cmd.argv[*at].value);
        if (inner) {
          Origin io = o;
          if (io.dockerfile_span.empty() && io.script.empty()) io.dockerfile_span = cmd_span;
          analyze_script(*inner, io, depth + 1);
        }
        if (auto path = shell::script_path(cmd)) follow_script(path->value, cmd_span, o, depth);
      }
      if (o.in_dockerfile() && depth == 0 && !cmd.argv.empty()) {
        RunCommand rc;
        rc.program = program_index(sc.argv);
        rc.then = then_of(cmd.next);
        rc.substitution = cmd.substitution;
        rc.span = cmd_span;
        rc.words.reserve(cmd.argv.size());
        for (auto& w : cmd.argv)
          rc.words.push_back({std::move(w.text), std::move(w.value), span_of(o, w.begin, w.end), !w.has_expansion});
        out_.commands.push_back(std::move(rc));
        if (at) nested_commands(*at, inner);  // after the command that runs them
      }
    }
  }

  // `sh -c '...'` with the script in one single-quoted word on one line: its
  // commands, with spans into the Dockerfile (the quotes add one byte), so
  // rules see and fix them like any other. Other spellings are followed for
  // facts only (needs_root), not offered to rules. `at` is the script word
  // of the last command added; `lexed` its value lexed, when it was.
  void nested_commands(size_t at, std::optional<shell::Script>& lexed) {
    const ShellWord& w = out_.commands.back().words[at];
    if (w.raw.size() != w.value.size() + 2 || w.raw.front() != '\'' || w.span.size() != w.raw.size()) return;
    const uint32_t base = w.span.begin + 1;
    shell::Script script = lexed ? std::move(*lexed) : shell::lex(w.value);  // `w` is not used after this: the pushes below may move it
    for (auto& inner : script.commands) {
      if (inner.argv.empty()) continue;
      RunCommand rc;
      rc.nested = true;
      rc.then = then_of(inner.next);
      rc.substitution = inner.substitution;
      rc.span = {base + inner.begin, base + inner.end};
      {
        std::vector<std::string_view> values;
        values.reserve(inner.argv.size());
        for (const auto& iw : inner.argv) values.push_back(iw.value);
        rc.program = program_index(values);
      }
      rc.words.reserve(inner.argv.size());
      for (auto& iw : inner.argv)
        rc.words.push_back({std::move(iw.text), std::move(iw.value), {base + iw.begin, base + iw.end}, !iw.has_expansion});
      out_.commands.push_back(std::move(rc));
    }
  }

  void analyze_script(const shell::Script& script, const Origin& o, int depth) {
    for (const auto& cmd : script.commands) {
      facts(simple_command(cmd), o.dockerfile_span, o, 0);
      if (depth >= kMaxDepth) continue;
      if (auto path = shell::script_path(cmd)) follow_script(path->value, o.dockerfile_span, o, depth);
    }
  }

  void follow_script(const std::string& path, Span cmd_span, const Origin& o, int depth) {
    if (!ctx_.context || !*ctx_.context || !ctx_.copied) return;
    std::string full = path.empty() || path[0] == '/' ? path : std::string(ctx_.workdir) + "/" + path;
    std::string norm = normal_path(full);
    auto it = ctx_.copied->find(norm);
    copies_read_.emplace_back(std::move(norm), it == ctx_.copied->end() ? std::nullopt : std::optional(it->second));
    if (it == ctx_.copied->end()) return;
    std::string_view body;
    if (ctx_.files) {
      const std::string* text = ctx_.files->read(**ctx_.context, it->second);
      if (!text) return;
      body = *text;
    } else {
      auto text = read_context_file(**ctx_.context, it->second);
      if (!text) return;
      scripts_.push_back(std::move(*text));
      body = scripts_.back();
    }
    Origin so;
    so.script = it->second;
    so.script_text = body;
    so.dockerfile_span = o.dockerfile_span.empty() ? cmd_span : o.dockerfile_span;
    so.run = o.run;
    analyze_text(body, so, depth + 1);
  }

  void facts(const SimpleCommand& sc, Span span, const Origin& o, int line) {
    if (auto r = needs_root(sc, ctx_.workdir)) {
      RootNeed need;
      need.reason = std::move(r->reason);
      need.detail = std::move(r->detail);
      for (size_t i = 0; i < sc.argv.size(); ++i) {
        if (i) need.command += ' ';
        need.command += sc.argv[i];
      }
      need.span = span;
      need.script = o.script;
      need.script_line = line;
      out_.needs_root.push_back(std::move(need));
    }
    if (auto u = created_user(sc.argv)) out_.users.push_back(std::move(*u));
    if (auto g = created_group(sc.argv)) out_.groups.push_back(std::move(*g));
  }

  const Instruction& run_;
  const RunContext& ctx_;
  mutable grammar::OffsetCursor offsets_{run_};  // run_'s file offsets, asked word by word
  RunFacts out_;
  std::list<std::string> scripts_;  // keeps script texts alive while they are lexed (read without ctx_.files)
  CopiesRead copies_read_;
};

// Every span in `facts` moved by `delta` bytes, except the ones that are
// not set (an exec-form command's span). A span added to RunFacts, RunCommand,
// ShellWord or RootNeed is moved here too.
void shift(RunFacts& facts, int64_t delta) {
  auto move = [delta](Span& s) {
    if (s == Span{}) return;
    s = {static_cast<uint32_t>(s.begin + delta), static_cast<uint32_t>(s.end + delta)};
  };
  for (auto& c : facts.commands) {
    move(c.span);
    for (auto& w : c.words) move(w.span);
  }
  for (auto& n : facts.needs_root) move(n.span);
}

}  // namespace

RunFacts analyze_run(const Dockerfile&, const Instruction& run, const RunContext& ctx) {
  return RunAnalyzer(run, ctx).analyze();
}

RunFacts RunMemo::analyze(const Dockerfile& file, const Instruction& run, const RunContext& ctx) {
  std::string key;
  key.reserve(run.span.size() + ctx.workdir.size() + 2);
  key += file.escape;
  key += ctx.workdir;
  key += '\0';
  key += file.text(run.span);
  const int64_t at = run.span.begin;
  auto it = facts_.find(key);
  if (it != facts_.end() && same_copies(it->second.copies, ctx)) {
    RunFacts out = it->second.facts;
    shift(out, at);
    return out;
  }
  RunAnalyzer analyzer(run, ctx);
  RunFacts out = analyzer.analyze();
  // A script read from the build context is kept only when it was read
  // through this memo's ContextFiles: then it is the same text all review long.
  if (analyzer.copies_read().empty() || ctx.files == files_.get()) {
    Kept kept{out, analyzer.copies_read()};
    shift(kept.facts, -at);
    if (it != facts_.end()) it->second = std::move(kept);
    else facts_.emplace(std::move(key), std::move(kept));
  }
  return out;
}

bool RunMemo::same_copies(const std::vector<std::pair<std::string, std::optional<std::string>>>& copies,
                          const RunContext& ctx) const {
  if (copies.empty()) return true;
  if (!ctx.copied || ctx.files != files_.get()) return false;
  return std::all_of(copies.begin(), copies.end(), [&](const auto& c) {
    auto it = ctx.copied->find(c.first);
    return it == ctx.copied->end() ? !c.second : c.second && *c.second == it->second;
  });
}

RunMemo::BaseImage RunMemo::base_image_of(const KnowledgeBase& kb, std::string_view image) {
  BaseImage b;
  b.ref = parse_image_ref(image);
  b.facts = b.ref.valid ? kb.lookup(b.ref) : nullptr;
  if (b.ref.valid) b.release = kb.release_of(b.ref, b.facts);
  return b;
}

const RunMemo::BaseImage& RunMemo::base_image(const KnowledgeBase& kb, const std::string& image) {
  if (kb_ != &kb) {
    images_.clear();
    kb_ = &kb;
  }
  auto it = images_.find(image);
  if (it == images_.end()) it = images_.emplace(image, base_image_of(kb, image)).first;
  return it->second;
}

}  // namespace dockerfix::model
