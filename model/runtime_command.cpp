#include "model/runtime_command.h"

#include <algorithm>
#include <array>
#include <list>

#include "dockerfix/shell.h"
#include "model/command_facts.h"
#include "model/context_files.h"
#include "model/expand.h"
#include "model/runtime_tables.h"
#include "model/words.h"

namespace dockerfix::model {

namespace {

constexpr int kMaxDepth = 4;
using Kind = EffectiveCommand::Kind;

std::optional<uint32_t> port_number(std::string s, const std::map<std::string, std::pair<std::string, size_t>>* env) {
  if (s.find('$') != std::string::npos && env) {
    Vars vars;
    for (const auto& [k, v] : *env) vars[k] = v.first;
    auto e = expand(s, vars);
    if (!e) return std::nullopt;
    s = *e;
  }
  if (auto colon = s.rfind(':'); colon != std::string::npos) s = s.substr(colon + 1);  // host:port
  if (s.empty() || s.size() > 5 || !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return std::nullopt;
  auto n = static_cast<uint32_t>(std::stoul(s));
  if (n == 0 || n > 65535) return std::nullopt;
  return n;
}

bool exec_args(const std::vector<std::string>& argv) {
  return !argv.empty() && (argv[0] == "$@" || argv[0] == "${@}" || argv[0] == "$*");
}

std::string joined(const std::vector<std::string>& argv, size_t from = 0) {
  std::string out;
  for (size_t i = from; i < argv.size(); ++i) out += (i > from ? " " : "") + argv[i];
  return out;
}

// The argv after an init wrapper's own options: `tini -s -- x`, `dumb-init --single-child x`.
std::vector<std::string> after_wrapper(const std::vector<std::string>& argv) {
  size_t i = 1;
  while (i < argv.size() && argv[i].size() > 1 && argv[i][0] == '-') {
    if (argv[i] == "--") {
      ++i;
      break;
    }
    if (argv[i] == "-r" || argv[i] == "--rewrite" || argv[i] == "-e" || argv[i] == "-p") ++i;  // options with a value
    ++i;
  }
  return {argv.begin() + static_cast<long>(std::min(i, argv.size())), argv.end()};
}

// The command a user switch runs, when it is simple to find.
std::optional<std::vector<std::string>> after_switch(const std::vector<std::string>& argv) {
  const std::string_view p = base_name(argv[0]);
  if ((p == "gosu" || p == "su-exec" || p == "s6-setuidgid" || p == "setuser") && argv.size() > 2)
    return std::vector<std::string>(argv.begin() + 2, argv.end());
  if (p == "setpriv" || p == "runuser" || p == "chpst" || p == "sudo" || p == "doas") {
    size_t i = 1;
    while (i < argv.size() && argv[i].size() > 1 && argv[i][0] == '-') {
      if (argv[i] == "--") {
        ++i;
        break;
      }
      bool valued = argv[i].find('=') == std::string::npos && argv[i] != "--init-groups" && argv[i] != "--clear-groups" &&
                    argv[i] != "--keep-groups" && argv[i] != "--no-new-privs" && argv[i] != "-E" && argv[i] != "-H" &&
                    argv[i] != "-n";
      i += valued ? 2 : 1;
    }
    if (i < argv.size()) return std::vector<std::string>(argv.begin() + static_cast<long>(i), argv.end());
  }
  return std::nullopt;
}

class Analyzer {
 public:
  explicit Analyzer(const CommandContext& ctx) : ctx_(ctx) {}

  CommandAnalysis run(const std::vector<std::string>& argv, const Evidence& where) {
    foreground(argv, where, 0);
    // A script's last command is seen once for the facts and once as the foreground.
    dedupe(out_.drops, [](const PrivilegeDrop& a, const PrivilegeDrop& b) { return a.tool == b.tool && same(a.evidence, b.evidence); });
    dedupe(out_.capabilities, [](const CapabilityNeed& a, const CapabilityNeed& b) { return a.program == b.program && same(a.evidence, b.evidence); });
    dedupe(out_.ports, [](const PortFact& a, const PortFact& b) { return a.port == b.port; });
    return std::move(out_);
  }

 private:
  // Facts of a command that does not decide the foreground process.
  void side(const std::vector<std::string>& raw, const Evidence& where, int depth) {
    auto argv = unwrap(raw);
    if (argv.empty()) return;
    note(argv, where);
    if (depth >= kMaxDepth) return;
    const std::string p(base_name(argv[0]));
    if (init_wrapper(p)) return side(after_wrapper(argv), where, depth + 1);
    if (privilege_switch(argv)) {
      if (auto rest = after_switch(argv)) side(*rest, where, depth + 1);
      return;
    }
    if (shell_program(p) && argv.size() >= 3 && argv[1] == "-c") {
      lex_text(argv[2], where, depth, false);
      return;
    }
    read_script(argv, where, depth, false);
  }

  // Records user switches, init systems and capability needs of one command.
  void note(const std::vector<std::string>& argv, const Evidence& where) {
    if (auto user = privilege_switch(argv))
      out_.drops.push_back({std::string(base_name(argv[0])), *user, with(where, "runs `" + shorten(joined(argv)) + "`")});
    if (auto init = init_system(argv))
      out_.drops.push_back({*init, "", with(where, "runs " + *init + ", which starts services as root and lets each switch user")});
    if (auto cap = capability_need(argv))
      out_.capabilities.push_back({std::string(base_name(argv[0])), *cap, with(where, "runs " + std::string(base_name(argv[0])) + ", which needs " + *cap)});
    for (auto port : argument_ports(argv, ctx_.env)) {
      PortFact pf;
      pf.port = port;
      pf.source = PortFact::Source::Argument;
      pf.evidence = with(where, std::string(base_name(argv[0])) + " is given port " + std::to_string(port));
      out_.ports.push_back(pf);
    }
  }

  void foreground(const std::vector<std::string>& raw, const Evidence& where, int depth) {
    auto argv = unwrap(raw);
    if (argv.empty()) {
      classify_none();
      return;
    }
    note(argv, where);
    const std::string p(base_name(argv[0]));
    if (depth >= kMaxDepth) {
      out_.process = p;
      return;
    }
    if (init_wrapper(p)) {
      out_.wrapper = p;
      return foreground(after_wrapper(argv), where, depth + 1);
    }
    if (auto init = init_system(argv)) {
      out_.process = p;
      out_.kind = Kind::Service;
      out_.kind_reason = *init + " supervises the services";
      return;
    }
    if (privilege_switch(argv)) {
      if (auto rest = after_switch(argv)) return foreground(*rest, where, depth + 1);
      out_.process = p;
      return;
    }
    if (shell_program(p) && argv.size() >= 3 && argv[1] == "-c") {
      lex_text(argv[2], where, depth, true);
      return;
    }
    if (read_script(argv, where, depth, true)) return;
    // An entrypoint script that is not in the build context (the base
    // image's docker-entrypoint.sh): taken to end with exec "$@", as the
    // official images' do; said so in the reason.
    std::vector<std::string> args(argv.begin() + 1, argv.end());
    bool script = p.find("entrypoint") != std::string::npos ||
                  (p.size() > 3 && p.compare(p.size() - 3, 3, ".sh") == 0 && !ctx_.cmd.empty() && args == ctx_.cmd);
    if (script && !args.empty() && !args[0].empty() && args[0][0] != '-') {
      unread(argv, args, argv[0], "it is not a file of the build context", where, depth);
      return;
    }
    classify(argv);
  }

  void classify_none() {
    out_.kind = Kind::NoCommand;
    out_.kind_reason = "there is no command";
  }

  void classify(const std::vector<std::string>& argv) {
    const std::string p(base_name(argv[0]));
    out_.process = p;
    if (interpreter(p)) {
      for (size_t i = 1; i < argv.size(); ++i) {
        if (argv[i] == "-jar" && i + 1 < argv.size()) {
          out_.interpreted = argv[i + 1];
          break;
        }
        if (argv[i] == "-m" && i + 1 < argv.size()) {
          out_.interpreted = "-m " + argv[i + 1];
          break;
        }
        if (!argv[i].empty() && argv[i][0] != '-') {
          out_.interpreted = argv[i];
          break;
        }
      }
    }
    if (known_service(argv)) {
      out_.kind = Kind::Service;
      out_.kind_reason = p + " is a server that stays in the foreground";
    } else if (auto why = one_shot(argv)) {
      out_.kind = Kind::OneShot;
      out_.kind_reason = *why;
    } else if (repl(argv)) {
      out_.kind = Kind::Interactive;
      out_.kind_reason = shorten(joined(argv)) + " is an interactive shell or REPL";
    } else if ((p == "sleep" && argv.size() == 2 && (argv[1] == "infinity" || argv[1] == "inf")) ||
               (p == "tail" && std::find(argv.begin(), argv.end(), "/dev/null") != argv.end())) {
      out_.kind = Kind::Idle;
      out_.kind_reason = joined(argv) + " keeps the container up without serving anything";
    } else {
      out_.kind = Kind::Unknown;
      out_.kind_reason = "whether " + p + " keeps running is not known";
    }
  }

  // `sh -c TEXT`: every command counts for the facts; the last top-level one
  // (an `exec` target included) is the foreground process.
  void lex_text(const std::string& text, const Evidence& where, int depth, bool decide) {
    auto script = shell::lex(text);
    std::vector<const shell::Command*> top;
    for (const auto& c : script.commands)
      if (c.depth == 0 && !c.substitution && !c.argv.empty()) top.push_back(&c);
    for (const auto& c : script.commands) {
      if (c.argv.empty() || (decide && !top.empty() && &c == top.back())) continue;
      side(values(c), where, depth + 1);
    }
    if (!decide) return;
    if (top.empty()) return classify_none();
    for (size_t i = 0; i + 1 < top.size(); ++i) {
      auto argv = unwrap(values(*top[i]));
      if (argv.empty()) continue;
      const std::string p(base_name(argv[0]));
      if (p != "cd" && p != "export" && p != "set" && p != "echo" && p != "printf" && p != "umask" && p != "ulimit")
        out_.exits_first.push_back(p);
    }
    foreground(values(*top.back()), where, depth + 1);
  }

  static std::vector<std::string> values(const shell::Command& c) {
    std::vector<std::string> v;
    for (const auto& w : c.argv) v.push_back(w.value);
    return v;
  }

  // A script COPY'd from the build context: `/entrypoint.sh args`, `sh x.sh`,
  // `bash -e /run.sh`. False when the command is not such a script or it cannot be read.
  bool read_script(const std::vector<std::string>& argv, const Evidence& where, int depth, bool decide) {
    if (!ctx_.copied) return false;
    size_t at = 0;
    if (shell_program(base_name(argv[0]))) {
      at = 1;
      while (at < argv.size() && argv[at].size() > 1 && argv[at][0] == '-') ++at;
      if (at >= argv.size()) return false;
    }
    std::string container;
    auto source = copied_source(*ctx_.copied, ctx_.workdir, argv[at], &container);
    if (!source) return false;
    std::vector<std::string> args(argv.begin() + static_cast<long>(at) + 1, argv.end());
    if (!ctx_.context) {
      if (decide) unread(argv, args, *source, "the build context was not given", where, depth);
      return decide;
    }
    std::string_view body;
    if (ctx_.files) {
      if (const std::string* text = ctx_.files->read(*ctx_.context, *source)) body = *text;
      else return unreadable(argv, args, *source, where, depth, decide);
    } else {
      auto text = read_context_file(*ctx_.context, *source);
      if (!text) return unreadable(argv, args, *source, where, depth, decide);
      scripts_.push_back(std::move(*text));
      body = scripts_.back();
    }
    auto script = shell::lex(body);
    const shell::Command* last = nullptr;
    bool passes_args = false;
    for (const auto& c : script.commands) {
      if (c.argv.empty()) continue;
      Evidence e = where;
      e.script = *source;
      e.script_line = 1 + static_cast<int>(std::count(body.begin(), body.begin() + std::min<size_t>(c.begin, body.size()), '\n'));
      e.reason = where.reason + " runs " + *source + ", and line " + std::to_string(e.script_line) + " of it";
      auto v = unwrap(values(c));
      if (exec_args(v)) passes_args = true;
      side(values(c), e, depth + 1);
      if (c.depth == 0 && !c.substitution) last = &c;
    }
    if (!decide) return true;
    if (passes_args && !args.empty()) {
      foreground(args, with(args_where(args, where), "(through " + std::string(base_name(argv[at])) + "'s exec \"$@\")"), depth + 1);
    } else if (last && !exec_args(unwrap(values(*last)))) {
      foreground(values(*last), with(where, "(the last command of " + *source + ")"), depth + 1);
    } else {
      out_.process = base_name(argv[at]);
      out_.kind = Kind::Unknown;
      out_.kind_reason = "what " + *source + " keeps running is not known";
    }
    return true;
  }

  bool unreadable(const std::vector<std::string>& argv, const std::vector<std::string>& args, const std::string& source,
                  const Evidence& where, int depth, bool decide) {
    if (decide) unread(argv, args, source, "it could not be read from the build context", where, depth);
    return decide;
  }

  // An entrypoint script that cannot be read: its arguments (the CMD) are
  // taken as the process, as `exec "$@"` entrypoints do; said so in the reason.
  void unread(const std::vector<std::string>& argv, const std::vector<std::string>& args, const std::string& source,
              const std::string& why, const Evidence& where, int depth) {
    if (!args.empty()) {
      foreground(args, args_where(args, where), depth + 1);
      out_.kind_reason += " (assuming " + source + ", which was not read because " + why + ", ends with exec \"$@\")";
      return;
    }
    classify(unwrap(argv));
    out_.kind_reason += " (judged by its name: " + source + " was not read because " + why + ")";
  }

  // What the arguments of the top-level entrypoint script are: the CMD.
  Evidence args_where(const std::vector<std::string>& args, const Evidence& where) const {
    if (ctx_.cmd_evidence && !ctx_.cmd.empty() && args == ctx_.cmd) return *ctx_.cmd_evidence;
    return where;
  }

  static bool same(const Evidence& a, const Evidence& b) {
    return a.instruction == b.instruction && a.script == b.script && a.script_line == b.script_line;
  }
  template <class T, class Eq>
  static void dedupe(std::vector<T>& v, Eq eq) {
    std::vector<T> out;
    for (auto& x : v)
      if (std::none_of(out.begin(), out.end(), [&](const T& y) { return eq(x, y); })) out.push_back(std::move(x));
    v = std::move(out);
  }

  static std::string shorten(const std::string& s) { return s.size() > 80 ? s.substr(0, 77) + "..." : s; }

  static Evidence with(const Evidence& where, const std::string& what) {
    Evidence e = where;
    e.reason = where.reason + (where.reason.empty() ? "" : " ") + what;
    return e;
  }

  const CommandContext& ctx_;
  CommandAnalysis out_;
  std::list<std::string> scripts_;  // keeps script texts alive while lexed (read without ctx_.files)
};

}  // namespace

std::vector<uint32_t> argument_ports(const std::vector<std::string>& argv,
                                     const std::map<std::string, std::pair<std::string, size_t>>* env) {
  std::vector<uint32_t> out;
  if (argv.empty()) return out;
  const std::string_view p = base_name(argv[0]);
  auto add = [&](const std::string& v) {
    if (auto n = port_number(v, env); n && std::find(out.begin(), out.end(), *n) == out.end()) out.push_back(*n);
  };
  static constexpr std::array<std::string_view, 7> kLong{"--port", "--http-port", "--listen", "--bind", "--listen-port",
                                                         "--server.port", "--web.listen-address"};
  for (size_t i = 1; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    bool last = i + 1 >= argv.size();
    for (auto l : kLong) {
      if (a == l && !last) add(argv[i + 1]);
      else if (a.size() > l.size() && a[l.size()] == '=' && a.compare(0, l.size(), l) == 0) add(a.substr(l.size() + 1));
    }
    // -p is a port for servers (flask, http-server, uvicorn ...), not for ssh/docker/mkdir.
    if (a == "-p" && !last && p != "mkdir" && p != "docker" && p != "ssh" && p != "scp" && p != "cp") add(argv[i + 1]);
    if ((a == "-b" || a == "--bind") && !last) add(argv[i + 1]);
    if (a.rfind("-Dserver.port=", 0) == 0) add(a.substr(14));
  }
  if (interpreter(p) && argv.size() >= 4 && argv[1] == "-m" && argv[2] == "http.server") add(argv[3]);
  return out;
}

CommandAnalysis analyze_command(const std::vector<std::string>& argv, const Evidence& where, const CommandContext& ctx) {
  return Analyzer(ctx).run(argv, where);
}

}  // namespace dockerfix::model
