// json-args-recommended (BuildKit's JSONArgsRecommended): CMD or ENTRYPOINT in shell form.
#include <array>
#include <fmt/format.h>
#include <set>
#include "transforms/buildkit_support.h"
#include "transforms/rule_support.h"
#include "transforms/rules/rule_registration.h"

namespace dockerfix::fix {

namespace pages {
std::string_view json_args_recommended();  // README.md beside this file, compiled in
}

namespace {

using namespace buildkit;

class JSONArgsRecommended : public Rule {
 public:
  const RuleInfo& info() const override;
  std::vector<Finding> check(const Context& ctx) const override {
    const auto& f = ctx.file;
    std::vector<Finding> out;
    for (size_t i = 0; i < f.instructions.size(); ++i) {
      const auto& ins = f.instructions[i];
      if ((ins.keyword != "CMD" && ins.keyword != "ENTRYPOINT") || ins.exec_form) continue;
      const model::Step* step = ctx.model.step_for(i);
      // A SHELL of the stage (or a stage it is built on) says the shell form is meant.
      if (!step || step->shell.from_shell_instruction) continue;
      const std::string kw = spelled(f, ins);
      Finding fd = make_finding(
          f, id(), fmt::format("JSON arguments recommended for {} to prevent unintended behavior related to OS signals", kw),
          ins.keyword_span);
      fd.check_comments_of = i;
      auto words = plain_words(f, ins, fd.no_fix_reason);
      if (!words.empty()) {
        std::string json = "[";
        for (size_t k = 0; k < words.size(); ++k) json += (k ? ", \"" : "\"") + words[k] + "\"";
        fd.fix.push_back({ins.arguments_span, json + "]"});
        if (ins.keyword == "ENTRYPOINT") {
          fd.applicability = Applicability::Unsafe;
        } else if (has_entrypoint(ctx, *step)) {
          fd.applicability = Applicability::Unsafe;
        }
      }
      out.push_back(std::move(fd));
    }
    return out;
  }

  // The command's words when it uses no shell feature at all: no variables,
  // quotes, escapes, globs, operators, redirections, assignments, comments,
  // reserved words or builtins, on one line. Empty (and why) otherwise.
  static std::vector<std::string> plain_words(const Dockerfile& f, const Instruction& ins, std::string& why) {
    if (ins.arguments.empty() || !ins.heredocs.empty() || f.text(ins.arguments_span) != ins.arguments) {
      why = "the command spans lines or holds a heredoc; write the JSON form by hand";
      return {};
    }
    std::vector<std::string> words;
    for (size_t i = 0; i < ins.arguments.size();) {
      while (i < ins.arguments.size() && (ins.arguments[i] == ' ' || ins.arguments[i] == '\t')) ++i;
      size_t b = i;
      while (i < ins.arguments.size() && ins.arguments[i] != ' ' && ins.arguments[i] != '\t') ++i;
      if (i > b) words.push_back(ins.arguments.substr(b, i - b));
    }
    static const std::set<std::string> shell_words{
        "!", "{", "}", "if", "then", "else", "elif", "fi", "for", "while", "until", "do", "done", "case", "esac", "in",
        "function", "select", "time", "[[", "exec", "cd", "export", "set", "eval", "source", ".", "trap", "ulimit",
        "umask", "alias", "read", "wait", "shift", "unset", "readonly", "local", "return", "exit", "break", "continue",
        "echo", "printf", "kill", "pwd", "test", "[", "true", "false", ":"};
    for (const auto& w : words)
      for (char c : w)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || std::string_view("_@%+=:,./-").find(c) != std::string_view::npos)) {
          why = "the command uses the shell (variables, quotes, globs, operators or redirections); write the JSON form by hand";
          return {};
        }
    if (words.empty() || words[0].find('=') != std::string::npos || shell_words.count(words[0])) {
      why = "the command starts with an assignment, a reserved word or a shell builtin, which need the shell";
      return {};
    }
    return words;
  }

  // An ENTRYPOINT in the stage or a stage it is built on: CMD's words are its arguments.
  static bool has_entrypoint(const Context& ctx, const model::Step& step) {
    for (const model::Stage* s = &ctx.model.stages[step.stage];; s = &ctx.model.stages[*s->parent_stage]) {
      for (size_t si : s->steps)
        if (ctx.file.instructions[ctx.model.steps[si].instruction].keyword == "ENTRYPOINT") return true;
      if (!s->parent_stage) return false;
    }
  }
};

constexpr std::array<std::string_view, 1> kAliases{"JSONArgsRecommended"};
constexpr RuleInfo kInfo{
    .id = "json-args-recommended",
    .title = "CMD or ENTRYPOINT in shell form",
    .aliases = kAliases,
    .severity = Severity::Warning,
    .fix = FixAvailability::Sometimes,
    .applicability = Applicability::Safe,
    .run_shells = RunShells::None,
    .security_severity = {},
    .commit_phrase = "use the exec form for CMD and ENTRYPOINT",
    .why = "In shell form the container runs /bin/sh as PID 1, which does not pass signals on: docker stop waited and then killed the process. The exec form runs the program itself.",
    .options = {},
    .make = []() -> std::unique_ptr<Rule> { return std::make_unique<JSONArgsRecommended>(); },
    .page = pages::json_args_recommended,
};

}  // namespace

DOCKERFIX_RULE_CLASS(JSONArgsRecommended, json_args_recommended)

}  // namespace dockerfix::fix
