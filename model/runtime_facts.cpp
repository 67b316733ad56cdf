// Runtime facts of a stage (dockerfix/runtime_facts.h): walks the stage and
// its parent stages once, combining what the file says with what the
// knowledge base says about the base image.
#include "dockerfix/runtime_facts.h"

#include <algorithm>
#include <array>
#include <set>

#include "grammar/buildkit_words.h"
#include "model/command_facts.h"
#include "model/expand.h"
#include "model/runtime_command.h"
#include "model/runtime_tables.h"
#include "model/words.h"

namespace dockerfix::model {

namespace {

namespace fs = std::filesystem;
using Kind = EffectiveCommand::Kind;
using Origin = EffectiveCommand::Origin;

bool under(const std::string& path, const std::string& dir) {
  return path == dir || (path.size() > dir.size() && path.compare(0, dir.size(), dir) == 0 && (dir == "/" || path[dir.size()] == '/'));
}

bool state_location(const std::string& p) {
  static constexpr std::array<std::string_view, 7> k{"/var/log", "/var/lib", "/var/run", "/run", "/var/cache",
                                                     "/var/spool", "/var/lock"};
  return std::any_of(k.begin(), k.end(), [&](std::string_view d) { return p != d && under(p, std::string(d)); });
}

// Tools a package provides under another name (for "is pgrep still there"),
// after the package itself.
std::span<const std::string_view> package_tools(std::string_view pkg) {
  static constexpr std::array<std::string_view, 3> kProcps{"pgrep", "pkill", "ps"};
  static constexpr std::array<std::string_view, 1> kNetcat{"nc"}, kPing{"ping"}, kWget{"wget"};
  static constexpr std::array<std::string_view, 2> kIproute{"ip", "ss"};
  if (pkg == "procps" || pkg == "procps-ng") return kProcps;
  if (pkg.starts_with("netcat")) return kNetcat;
  if (pkg == "iproute2") return kIproute;
  if (pkg == "iputils-ping" || pkg == "iputils") return kPing;
  if (pkg == "wget2") return kWget;
  return {};
}

// ASCII lower case: the C locale's std::tolower (dockerfix never sets another).
char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// `$(which curl)`, `` `command -v curl` ``: the program named.
std::optional<std::string> which_target(std::string_view w) {
  for (std::string_view pre : {"$(which ", "`which ", "$(command -v ", "`command -v "}) {
    if (!w.starts_with(pre)) continue;
    std::string rest(w.substr(pre.size()));
    while (!rest.empty() && (rest.back() == ')' || rest.back() == '`')) rest.pop_back();
    if (!rest.empty() && rest.find(' ') == std::string::npos) return rest;
  }
  return std::nullopt;
}

struct RawCommand {
  std::optional<std::vector<std::string>> entrypoint, cmd;
  Origin origin = Origin::Unknown;
  bool own = false;
  std::optional<size_t> entrypoint_at, cmd_at;  // the file's ENTRYPOINT and CMD instructions in effect
  const Stage* base_stage = nullptr;  // the stage whose base image supplies the inherited part
  bool base_entrypoint_kept = false;  // the base image's ENTRYPOINT still runs
};

// What Collector::command() finds: the command, the privilege drops and
// capabilities it implies, the ports its arguments name and whether the base
// image's program still runs. Nothing else of the facts goes into it, so the
// rest can be computed later from a kept one.
struct CommandPart {
  EffectiveCommand command;
  std::vector<PrivilegeDrop> privilege_drops;
  std::vector<CapabilityNeed> capabilities;
  std::vector<PortFact> argument_ports;
  bool base_program_runs = false;
};

class Collector {
 public:
  // Fills `out`, a fresh RuntimeFacts (built in place: it is large).
  Collector(const Dockerfile& f, const BuildModel& m, size_t stage, const std::optional<fs::path>& context,
            RuntimeFacts& out)
      : f_(f), m_(m), s_(m.stages[stage]), context_(context), out_(out) {
    for (const Stage* s = &s_;; s = &m_.stages[*s->parent_stage]) {
      chain_.insert(chain_.begin(), s);
      if (!s->parent_stage) break;
    }
    facts_ = s_.facts;
    root_ = chain_.front();
  }

  // All the facts; the generated marker and the command part are copied
  // from `known_generated` and `known_command` when given (generated() and
  // command() read nothing the other phases write, and write nothing but
  // what these hold).
  void run(const std::optional<Evidence>* known_generated = nullptr, const CommandPart* known_command = nullptr) {
    out_.stage = s_.index;
    if (known_generated) out_.generated = *known_generated;
    else generated();
    walk();
    if (known_command) {
      out_.command = known_command->command;
      out_.privilege_drops = known_command->privilege_drops;
      out_.capabilities = known_command->capabilities;
      argument_ports_ = known_command->argument_ports;
      base_program_runs_ = known_command->base_program_runs;
    } else {
      command();
    }
    ports();
    state();
    family_and_shell();
    apt();
  }

  // One part on its own: none depends on the other facts.
  CommandPart command_part() {
    command();
    return {std::move(out_.command), std::move(out_.privilege_drops), std::move(out_.capabilities),
            std::move(argument_ports_), base_program_runs_};
  }
  AptFact apt_part() {
    apt();
    return std::move(out_.apt);
  }
  std::optional<Evidence> generated_part() {
    generated();
    return std::move(out_.generated);
  }

 private:
  Evidence at(size_t i, std::string reason) const {
    Evidence e;
    e.reason = std::move(reason);
    e.instruction = i;
    e.line = f_.instructions[i].start_line;
    return e;
  }
  // "RUN at line 12", made once per instruction: most evidence starts with it.
  const std::string& where(size_t i) const {
    if (where_.empty()) where_.resize(f_.instructions.size());
    std::string& w = where_[i];
    if (w.empty()) w = f_.instructions[i].keyword + " at line " + std::to_string(f_.instructions[i].start_line);
    return w;
  }
  // where(i) followed by the pieces of `more`, in one string.
  std::string where(size_t i, std::initializer_list<std::string_view> more) const {
    const std::string& w = where(i);
    size_t n = w.size();
    for (auto m : more) n += m.size();
    std::string out;
    out.reserve(n);
    out += w;
    for (auto m : more) out += m;
    return out;
  }
  Evidence from_base(std::string reason, const std::string& source) const {
    Evidence e = at(root_->from_instruction, std::move(reason));
    e.source = (facts_ ? facts_->id + ": " : "") + source;
    return e;
  }
  std::string base_name_of() const { return root_->base.valid ? root_->base.familiar() : root_->base_text; }

  // ------------------------------------------------------------ generated
  void generated() {
    static constexpr std::array<std::string_view, 9> kMarkers{
        "do not edit", "code generated", "@generated", "auto-generated", "autogenerated", "automatically generated",
        "this file is generated", "this dockerfile is generated", "generated file"};
    static_assert(std::all_of(kMarkers.begin(), kMarkers.end(), [](std::string_view m) {
                    return m == "do not edit" || m.find("generated") != std::string_view::npos;
                  }),
                  "the filter below lets through only comments holding \"generated\" or \"do not edit\"");
    std::string low;
    // The tokens are in order: none from the first one past line 15 on counts.
    const uint32_t past = f_.line_starts.size() > 15 ? f_.line_starts[15] : UINT32_MAX;
    for (const auto& t : f_.tokens) {
      if (t.span.begin >= past) break;
      if (t.kind != TokenKind::Comment && t.kind != TokenKind::Directive) continue;
      const std::string_view comment = f_.text(t.span);
      low.resize(comment.size());
      std::transform(comment.begin(), comment.end(), low.begin(), ascii_lower);
      // Every marker but "do not edit" holds "generated": most comments hold neither.
      if (low.find("generated") == std::string::npos && low.find("do not edit") == std::string::npos) continue;
      for (auto mk : kMarkers) {
        if (low.find(mk) == std::string::npos) continue;
        const int line = f_.position(t.span.begin).first;
        const std::string text(comment);
        Evidence e;
        e.line = line;
        e.reason = "line " + std::to_string(line) + " says the file is generated (`" +
                   (text.size() > 80 ? text.substr(0, 77) + "..." : text) + "`): fix its template instead";
        out_.generated = e;
        return;
      }
    }
  }

  // ------------------------------------------------------------ one pass over the steps
  void walk() {
    if (facts_)
      for (const auto& u : facts_->users) {
        UserFact uf{u.name, u.uid, "base image", false, from_base("the base image " + base_name_of() + " has user " + u.name, facts_->source)};
        out_.users.push_back(uf);
      }
    for (const Stage* st : chain_) {
      shell_form_ok_ = true;
      for (size_t k : st->steps) step(m_.steps[k]);
      // Users a RUN created inside a script the model followed.
      for (const auto& u : st->created_users)
        if (!find_user(u.name)) out_.users.push_back({u.name, u.uid, "created", false, at(st->from_instruction, "a script run in the stage creates " + u.name)});
    }
  }

  UserFact* find_user(std::string_view name) {
    for (auto& u : out_.users)
      if (u.name == name && !u.deleted) return &u;
    return nullptr;
  }

  void step(const Step& st) {
    const Instruction& ins = f_.instructions[st.instruction];
    const std::string_view kw = ins.keyword;  // compared by size first
    if (kw == "SHELL") {
      shell_form_ok_ = ins.exec_form && !ins.exec.empty() && shell_program(base_name(ins.exec[0]));
      shell_words_ = ins.exec_form ? ins.exec : std::vector<std::string>{};
    } else if (kw == "RUN") {
      run(st, ins);
    } else if (kw == "VOLUME") {
      for (auto& p : instruction_words(ins))
        out_.volumes.push_back({resolve_path("/", p), st.instruction, at(st.instruction, where(st.instruction, {" declares ", p, " a volume"}))});
    } else if (kw == "EXPOSE") {
      for (auto& w : instruction_words(ins)) expose(w, st.instruction);
    } else if (kw == "COPY" || kw == "ADD") {
      copy(st, ins);
    }
  }

  std::vector<std::string> instruction_words(const Instruction& ins) const {
    std::vector<std::string> raw = ins.exec_form ? ins.exec : grammar::parse_words(ins.arguments, f_.escape);
    std::vector<std::string> out;
    Vars vars;
    for (const auto& [k, v] : s_.env) vars[k] = v.first;
    for (auto& w : raw)
      if (auto e = expand(w, vars, f_.escape); e && !e->empty()) out.push_back(*e);
    return out;
  }

  void expose(const std::string& w, size_t i) {
    std::string port = w, proto = "tcp";
    if (auto slash = w.find('/'); slash != std::string::npos) {
      port = w.substr(0, slash);
      proto = w.substr(slash + 1);
    }
    if (auto dash = port.find('-'); dash != std::string::npos) port.resize(dash);  // a range: its first port
    if (port.empty() || port.size() > 5 || !std::all_of(port.begin(), port.end(), ::isdigit)) return;
    PortFact pf;
    pf.port = static_cast<uint32_t>(std::stoul(port));
    pf.protocol = proto;
    pf.source = PortFact::Source::Expose;
    pf.evidence = at(i, where(i, {" exposes ", w}));
    exposed_.push_back(pf);
  }

  void copy(const Step& st, const Instruction& ins) {
    std::vector<std::string> words = ins.exec_form ? ins.exec : split_words(ins.arguments);
    if (words.size() < 2) return;
    std::string dest = resolve_path(st.workdir, words.back());
    bool chown = false;
    for (const auto& fl : ins.flags) chown = chown || fl.name == "chown";
    if (chown) changes_.push_back({dest, true, st.instruction});
    if (dest == "/" && !rootfs_) rootfs_ = st.instruction;
  }

  struct OwnerChange {
    std::string path;
    bool recursive = false;
    size_t instruction = 0;
  };

  void run(const Step& st, const Instruction& ins) {
    if (!ins.exec_form && shell_form_ok_ && !ran_shell_) ran_shell_ = st.instruction;
    bool as_root = !st.user.is_nonroot();
    std::vector<std::string_view> argv;  // rc.argv() as views: wrappers (sudo, env, nice ...) seen through
    for (const auto& rc : st.commands) {
      argv.clear();
      for (size_t k = rc.program; k < rc.words.size(); ++k) argv.push_back(rc.words[k].value);
      if (argv.empty()) continue;
      const std::string_view p = base_name(argv[0]);
      // Every program package_command() reads is a manager of a family.
      if (auto mf = manager_family(p)) {
        managers_.push_back({std::string(p), *mf, st.instruction});
        if (auto pc = package_command(argv)) packages(*pc, st.instruction);  // its names move into the facts
      }
      users(p, argv, st.instruction);
      if (p == "rm") removed_binaries(argv, st.instruction);
      if (p == "chown" || p == "chmod") owner_change(p, argv, st);
      if (as_root && (p == "mkdir" || p == "touch" || (p == "install" && std::find(argv.begin(), argv.end(), "-d") != argv.end()))) {
        for (size_t i = 1; i < argv.size(); ++i) {
          if (argv[i].empty() || argv[i][0] == '-' || argv[i].find('$') != std::string::npos) {
            if (argv[i] == "-m" || argv[i] == "--mode" || argv[i] == "-o" || argv[i] == "-g") ++i;
            continue;
          }
          std::string path = resolve_path(st.workdir, argv[i]);
          if (state_location(path))
            created_state_.push_back({path, std::string(p), at(st.instruction, where(st.instruction, {" runs ", p, " ", path, " as root"}))});
        }
      }
    }
  }

  void packages(PackageCommand& pc, size_t i) {
    if (pc.install) {
      for (auto& name : pc.packages) {
        PackageFact& pf = out_.packages.emplace_back();
        pf.evidence = at(i, where(i, {" installs ", name, " with ", pc.manager}));
        pf.name = std::move(name);
        pf.manager = pc.manager;
        pf.instruction = i;
        if (!pc.virtual_name.empty()) virtual_[pc.virtual_name].push_back(out_.packages.size() - 1);
      }
      return;
    }
    const std::string_view verb = pc.manager == "apk" ? "del" : "remove";
    for (const auto& name : pc.packages) {
      std::vector<std::string_view> names{name};  // views of pc and of out_.packages, which only change in place below
      if (auto v = virtual_.find(name); v != virtual_.end())
        for (size_t idx : v->second) names.push_back(out_.packages[idx].name);
      for (const auto n : names) {
        for (auto& pf : out_.packages)
          if (pf.name == n && !pf.removed_at) pf.removed_at = i;
        const bool member = n != name;
        const Evidence e = at(i, where(i, {" removes ", n, " with ", pc.manager, " ", verb,
                                           member ? " (in the virtual package " : "", member ? name : "", member ? ")" : ""}));
        out_.removed_tools.push_back({std::string(n), e});
        for (const auto tool : package_tools(n)) out_.removed_tools.push_back({std::string(tool), e});
      }
    }
  }

  void removed_binaries(const std::vector<std::string_view>& argv, size_t i) {
    static constexpr std::array<std::string_view, 6> kBin{"/usr/bin", "/bin", "/usr/local/bin", "/usr/sbin", "/sbin",
                                                          "/usr/local/sbin"};
    for (size_t k = 1; k < argv.size(); ++k) {
      const auto& a = argv[k];
      if (a.empty() || a[0] == '-') continue;
      std::optional<std::string> tool = which_target(a);
      // The parent path is a prefix of the argument: only these can name a bin directory.
      if (!tool && (a.starts_with("/usr/") || a.starts_with("/bin") || a.starts_with("/sbin"))) {
        std::string dir = fs::path(a).parent_path().generic_string();
        if (std::find(kBin.begin(), kBin.end(), dir) != kBin.end()) tool = std::string(base_name(a));
      }
      if (tool) out_.removed_tools.push_back({*tool, at(i, where(i, {" deletes ", a}))});
    }
  }

  void owner_change(std::string_view p, const std::vector<std::string_view>& argv, const Step& st) {
    bool recursive = false;
    std::vector<std::string_view> ops;
    for (size_t k = 1; k < argv.size(); ++k) {
      const auto& a = argv[k];
      if (a == "-R" || a == "--recursive" || (a.size() > 1 && a[0] == '-' && a[1] != '-' && a.find('R') != std::string_view::npos)) recursive = true;
      else if (!a.empty() && a[0] != '-') ops.push_back(a);
    }
    if (ops.size() < 2) return;
    if (p == "chmod") {
      const std::string_view mode = ops[0];
      bool world = mode.find("o+w") != std::string_view::npos || mode.find("a+w") != std::string_view::npos ||
                   (mode.size() >= 3 && std::isdigit(static_cast<unsigned char>(mode.back())) &&
                    ((mode.back() - '0') & 2));
      if (!world) return;
    }
    for (size_t k = 1; k < ops.size(); ++k)
      if (ops[k].find('$') == std::string_view::npos) changes_.push_back({resolve_path(st.workdir, ops[k]), recursive, st.instruction});
  }

  void users(std::string_view p, const std::vector<std::string_view>& argv, size_t i) {
    if (auto u = created_user(std::span<const std::string_view>(argv))) {
      out_.users.push_back({u->name, u->uid, "created", false, at(i, where(i, {" creates user ", u->name}))});
      return;
    }
    if ((p == "userdel" || p == "deluser") && argv.size() >= 2) {
      const std::string name(argv.back());
      if (UserFact* u = find_user(name)) {
        u->deleted = true;
        u->evidence = at(i, where(i) + " deletes user " + name);
      } else {
        out_.users.push_back({name, std::nullopt, "base image", true, at(i, where(i) + " deletes user " + name)});
      }
      return;
    }
    if (p == "usermod" && argv.size() >= 3) {
      const std::string name(argv.back());
      UserFact* u = find_user(name);
      if (!u) {
        out_.users.push_back({name, std::nullopt, "base image", false, at(i, "")});
        u = &out_.users.back();
      }
      for (size_t k = 1; k + 1 < argv.size(); ++k) {
        if ((argv[k] == "-l" || argv[k] == "--login") && k + 2 < argv.size()) {
          u->evidence = at(i, where(i) + " renames user " + u->name + " to " + std::string(argv[k + 1]));
          u->name = argv[k + 1];
        } else if ((argv[k] == "-u" || argv[k] == "--uid") && k + 2 < argv.size()) {
          const std::string v(argv[k + 1]);
          if (!v.empty() && v.size() < 10 && std::all_of(v.begin(), v.end(), ::isdigit)) {
            u->uid = static_cast<uint32_t>(std::stoul(v));
            u->evidence = at(i, where(i) + " gives user " + u->name + " uid " + v);
          }
        }
      }
      if (u->evidence.reason.empty()) u->evidence = at(i, where(i) + " modifies user " + name);
    }
  }

  // ------------------------------------------------------------ command
  RawCommand raw(const Stage& s) const {
    RawCommand r;
    if (s.parent_stage) {
      r = raw(m_.stages[*s.parent_stage]);
      if (r.own) r.origin = Origin::ParentStage;
    } else {
      r.base_stage = &s;
      if (s.facts && (s.facts->runtime.entrypoint || s.facts->runtime.cmd)) {
        r.entrypoint = s.facts->runtime.entrypoint;
        r.cmd = s.facts->runtime.cmd;
        bool none = (!r.entrypoint || r.entrypoint->empty()) && r.cmd && r.cmd->empty();
        r.origin = none ? Origin::None : Origin::BaseImage;
        r.base_entrypoint_kept = r.entrypoint && !r.entrypoint->empty();
      }
    }
    std::vector<std::string> shell{"/bin/sh", "-c"};
    bool cmd_set_here = false;
    for (size_t k : s.steps) {
      const Instruction& ins = f_.instructions[m_.steps[k].instruction];
      const std::string_view kw = ins.keyword;
      if (kw == "SHELL" && ins.exec_form && !ins.exec.empty()) shell = ins.exec;
      if (kw != "ENTRYPOINT" && kw != "CMD") continue;
      std::vector<std::string> words = ins.exec_form ? ins.exec : shell;
      if (!ins.exec_form) words.push_back(ins.arguments);
      if (kw == "ENTRYPOINT") {
        r.entrypoint = words;
        r.entrypoint_at = m_.steps[k].instruction;
        r.base_entrypoint_kept = false;
        // An ENTRYPOINT resets the CMD an image inherits (Dockerfile reference, ENTRYPOINT).
        if (!cmd_set_here) {
          r.cmd = std::vector<std::string>{};
          r.cmd_at.reset();
        }
      } else {
        r.cmd = words;
        r.cmd_at = m_.steps[k].instruction;
        cmd_set_here = true;
      }
      r.own = true;
      r.origin = Origin::Dockerfile;
    }
    return r;
  }

  void command() {
    RawCommand r = raw(s_);
    EffectiveCommand& c = out_.command;
    c.origin = r.origin;
    c.own = r.own;
    if (r.entrypoint) c.entrypoint = *r.entrypoint;
    if (r.cmd) c.cmd = *r.cmd;
    c.argv = c.entrypoint;
    c.argv.insert(c.argv.end(), c.cmd.begin(), c.cmd.end());
    std::optional<Evidence> cmd_evidence;
    if (r.cmd_at) cmd_evidence = at(*r.cmd_at, where(*r.cmd_at));
    else if (r.cmd && !r.cmd->empty()) cmd_evidence = from_base("the base image " + base_name_of() + "'s CMD", facts_ ? facts_->source : "");
    if (r.entrypoint_at) {
      c.evidence = at(*r.entrypoint_at, where(*r.entrypoint_at));
    } else if (r.cmd_at) {
      c.evidence = *cmd_evidence;
    } else if (r.origin == Origin::BaseImage) {
      c.evidence = from_base("the base image " + base_name_of() + "'s command", facts_ ? facts_->source : "");
    } else if (r.origin == Origin::None) {
      c.evidence = from_base("neither the file nor the base image " + base_name_of() + " sets ENTRYPOINT or CMD",
                             facts_ ? facts_->source : "");
    } else {
      c.evidence = at(root_->from_instruction, "the file sets no ENTRYPOINT or CMD and what the base image " +
                                                   base_name_of() + " runs is not known");
    }
    if (c.argv.empty()) {
      c.kind = r.origin == Origin::Unknown ? Kind::Unknown : Kind::NoCommand;
      c.kind_reason = c.evidence.reason;
    } else {
      std::shared_ptr<ContextFiles> files = review_context_files(m_);
      CommandContext ctx{&s_.context_files, final_workdir(), context_, &s_.env, c.cmd, cmd_evidence, files.get()};
      CommandAnalysis a = analyze_command(c.argv, c.evidence, ctx);
      c.process = a.process;
      c.wrapper = a.wrapper;
      c.interpreted = a.interpreted;
      c.exits_first = a.exits_first;
      c.kind = a.kind;
      c.kind_reason = a.kind_reason;
      out_.privilege_drops = std::move(a.drops);
      out_.capabilities = std::move(a.capabilities);
      argument_ports_ = std::move(a.ports);
    }
    // An official image that drops privileges itself still does when its
    // entrypoint, or its own program, is what runs.
    base_program_runs_ = r.base_entrypoint_kept;
    if (facts_ && facts_->runtime.cmd && !facts_->runtime.cmd->empty() && !c.process.empty())
      base_program_runs_ = base_program_runs_ || base_name((*facts_->runtime.cmd)[0]) == c.process;
    if (facts_ && facts_->runtime.drops_privileges && base_program_runs_) {
      const auto& d = *facts_->runtime.drops_privileges;
      out_.privilege_drops.push_back({"knowledge", d.user,
                                      from_base("the base image " + base_name_of() + " starts as root and drops privileges itself: " + d.how, d.source)});
    }
  }

  std::string final_workdir() const {
    for (auto it = s_.steps.rbegin(); it != s_.steps.rend(); ++it) return m_.steps[*it].workdir;
    return "/";
  }

  // ------------------------------------------------------------ ports
  void ports() {
    for (auto& p : argument_ports_) out_.ports.push_back(p);
    static constexpr std::array<std::string_view, 6> kEnv{"PORT", "HTTP_PORT", "SERVER_PORT", "APP_PORT", "LISTEN_PORT", "WEB_PORT"};
    std::vector<PortFact> env;
    for (auto name : kEnv) {
      auto it = s_.env.find(std::string(name));
      if (it == s_.env.end()) continue;
      const std::string& v = it->second.first;
      if (v.empty() || v.size() > 5 || !std::all_of(v.begin(), v.end(), ::isdigit)) continue;
      PortFact pf;
      pf.port = static_cast<uint32_t>(std::stoul(v));
      pf.source = PortFact::Source::Env;
      pf.evidence = at(it->second.second, "ENV " + std::string(name) + "=" + v + " at line " +
                                              std::to_string(f_.instructions[it->second.second].start_line));
      env.push_back(pf);
    }
    std::vector<PortFact> base;
    if (facts_)
      for (auto port : facts_->runtime.expose) {
        PortFact pf;
        pf.port = port;
        pf.source = PortFact::Source::BaseImage;
        pf.evidence = from_base("the base image " + base_name_of() + " exposes " + std::to_string(port), facts_->source);
        base.push_back(pf);
      }
    for (auto* list : {&env, &exposed_, &base})
      for (auto& p : *list)
        if (std::none_of(out_.ports.begin(), out_.ports.end(), [&](const PortFact& q) { return q.port == p.port; }))
          out_.ports.push_back(p);
    for (auto* list : {&argument_ports_, &env, &exposed_, &base})
      if (!out_.probe_port && !list->empty()) out_.probe_port = list->front();
  }

  // ------------------------------------------------------------ state
  // Whether one of `programs` may run: it is the process or runs before it,
  // or what runs is a supervisor or not known.
  bool may_run(const std::vector<std::string>& programs) const {
    const auto& c = out_.command;
    auto named = [&](const std::string& p) { return std::find(programs.begin(), programs.end(), p) != programs.end(); };
    if (c.process.empty() || c.kind == Kind::Unknown || named(c.process)) return true;
    if (std::any_of(c.exits_first.begin(), c.exits_first.end(), named)) return true;
    return std::any_of(out_.privilege_drops.begin(), out_.privilege_drops.end(), [](const PrivilegeDrop& d) {
      return d.tool == "supervisord" || d.tool.find("init") != std::string::npos || d.tool.find("runit") != std::string::npos ||
             d.tool.find("s6") != std::string::npos || d.tool == "systemd";
    });
  }

  bool changed_after(const std::string& path, size_t after) const {
    return std::any_of(changes_.begin(), changes_.end(), [&](const OwnerChange& c) {
      return c.instruction >= after && (c.path == path || (c.recursive && under(path, c.path)));
    });
  }

  void state() {
    if (facts_ && base_program_runs_)
      for (const auto& w : facts_->runtime.writes)
        if (!changed_after(w, 0))
          out_.root_state.push_back({w, "base image " + base_name_of(),
                                     from_base("the base image " + base_name_of() + "'s program writes " + w + ", owned by root", facts_->source)});
    for (const auto& pf : out_.packages) {
      auto ps = pf.removed_at ? std::nullopt : package_state(pf.name);
      if (!ps || !may_run(ps->programs)) continue;
      for (const auto& dir : ps->dirs) {
        if (changed_after(dir, pf.instruction)) continue;
        Evidence e = pf.evidence;
        e.reason += ", which creates " + dir + " for its service (owned by root or the package's own user)";
        out_.root_state.push_back({dir, "package " + pf.name, e});
      }
    }
    for (auto& sp : created_state_)
      if (!changed_after(sp.path, *sp.evidence.instruction)) out_.root_state.push_back(sp);
    // Base image volumes come first: they are declared before any instruction of the file.
    std::vector<VolumeFact> vols;
    if (facts_)
      for (const auto& v : facts_->runtime.volumes)
        vols.push_back({v, std::nullopt, from_base("the base image " + base_name_of() + " declares " + v + " a volume", facts_->source)});
    vols.insert(vols.end(), out_.volumes.begin(), out_.volumes.end());
    out_.volumes = std::move(vols);
  }

  // ------------------------------------------------------------ family, shell, apt, user tools
  void family_and_shell() {
    for (const auto& pf : out_.packages)
      if (auto tool = package_user_tool(pf.name); tool && !pf.removed_at) {
        Evidence e = pf.evidence;
        e.reason += ", which provides " + *tool;
        out_.user_tools.push_back({*tool, pf.name, e});
      }
    FamilyFact& fam = out_.family;
    if (facts_ && !facts_->family.empty()) {
      fam.family = facts_->family;
      fam.package_manager = facts_->package_managers.empty() ? "" : facts_->package_managers.front();
      fam.evidence = from_base("the knowledge base says " + base_name_of() + " is " + facts_->family, facts_->source);
    } else if (!managers_.empty()) {
      std::set<std::string> families;
      for (const auto& mg : managers_) families.insert(mg.family);
      const auto& first = managers_.front();
      if (families.size() == 1) {
        fam.family = first.family;
        fam.package_manager = first.manager;
        fam.inferred = true;
        fam.evidence = at(first.instruction, "inferred: " + where(first.instruction) + " runs " + first.manager +
                                                 ", so the base is " + (first.family == "debian" ? "Debian-family" : first.family));
      } else {
        std::string list;
        for (const auto& f : families) list += (list.empty() ? "" : ", ") + f;
        fam.evidence = at(first.instruction, "not inferred: the file runs package managers of several families (" + list + ")");
      }
    } else {
      fam.evidence = at(root_->from_instruction, "the base image " + base_name_of() + " is not known and the file runs no package manager");
    }

    ShellFact& sh = out_.shell;
    if (facts_ && facts_->shell) {
      sh.state = *facts_->shell ? ShellFact::State::Yes : ShellFact::State::No;
      sh.evidence = from_base(std::string("the knowledge base says ") + base_name_of() + (*facts_->shell ? " has" : " has no") + " /bin/sh",
                              facts_->source);
    }
    if (rootfs_ && sh.state == ShellFact::State::No) {
      sh.state = ShellFact::State::Unknown;
      sh.evidence = at(*rootfs_, where(*rootfs_) + " copies a root filesystem to /: whether it holds a shell is not known");
    }
    if (ran_shell_ && sh.state != ShellFact::State::Yes) {
      sh.state = ShellFact::State::Yes;
      sh.inferred = true;
      sh.evidence = at(*ran_shell_, "inferred: the shell-form " + where(*ran_shell_) + " runs in a shell");
    }
  }

  void apt() {
    AptFact& a = out_.apt;
    if (s_.release) {
      a.release = s_.release->release.name;
      a.apt_version = s_.release->release.apt;
      a.retries_default = s_.release->release.apt_retries_default();
      a.evidence = from_base(s_.release->reason + ", which has apt " + a.apt_version +
                                 (*a.retries_default ? " (retries downloads 3 times by default)" : " (no download retries by default)"),
                             s_.release->release.source);
    } else if (facts_ && facts_->runtime.apt_retries_default) {
      a.retries_default = facts_->runtime.apt_retries_default;
      a.evidence = from_base("every " + facts_->id + " image has an apt " +
                                 (*a.retries_default ? "that retries downloads 3 times" : "older than 2.3.2, which does not retry downloads"),
                             facts_->source);
    } else {
      a.evidence = at(root_->from_instruction, "the OS release of " + base_name_of() + " is not known");
    }
  }

  struct Manager {
    std::string manager, family;
    size_t instruction;
  };

  const Dockerfile& f_;
  const BuildModel& m_;
  const Stage& s_;
  const std::optional<fs::path>& context_;
  std::vector<const Stage*> chain_;  // root stage first
  const Stage* root_ = nullptr;
  const ImageFacts* facts_ = nullptr;
  RuntimeFacts& out_;
  std::vector<PortFact> exposed_, argument_ports_;
  std::vector<StatePath> created_state_;
  std::vector<OwnerChange> changes_;
  std::vector<Manager> managers_;
  std::map<std::string, std::vector<size_t>> virtual_;
  std::optional<size_t> rootfs_, ran_shell_;
  bool shell_form_ok_ = true;
  std::vector<std::string> shell_words_;
  bool base_program_runs_ = false;
  mutable std::vector<std::string> where_;  // where(i) by instruction, once made
};

// runtime_facts() computed so far for one model (BuildModel::derived), and
// the parts runtime_command() and runtime_apt() computed on their own.
struct KnownFacts {
  struct Entry {
    std::optional<size_t> stage;
    std::optional<fs::path> context;
    std::unique_ptr<RuntimeFacts> facts;  // all of them, once asked for
    // Parts computed on their own before the whole facts were asked for.
    std::optional<CommandPart> command;
    std::optional<AptFact> apt;
    std::optional<std::optional<Evidence>> generated;
  };
  // Each entry on its own, so that the references handed out stay valid.
  std::vector<std::unique_ptr<Entry>> entries;

  // The entry of `stage` (the final one when not given; none past the last)
  // and `context`, added when new.
  Entry& of(const BuildModel& model, std::optional<size_t> stage, const std::optional<fs::path>& context) {
    if (!stage) stage = model.final_stage;
    if (stage && *stage >= model.stages.size()) stage.reset();
    for (const auto& e : entries)
      if (e->stage == stage && e->context == context) return *e;
    auto& e = *entries.emplace_back(std::make_unique<Entry>());
    e.stage = stage;
    e.context = context;
    return e;
  }
};

}  // namespace

bool EffectiveCommand::base_or_builder() const { return !own && kind != Kind::Service; }

std::vector<const PortFact*> RuntimeFacts::privileged_ports() const {
  std::vector<const PortFact*> out;
  for (const auto& p : ports)
    if (p.port < 1024) out.push_back(&p);
  return out;
}

const UserFact* RuntimeFacts::user(std::string_view name) const {
  for (const auto& u : users)
    if (u.name == name && !u.deleted) return &u;
  return nullptr;
}

const ToolRemoval* RuntimeFacts::removal(std::string_view tool) const {
  for (const auto& r : removed_tools)
    if (r.tool == tool) return &r;
  return nullptr;
}

const VolumeFact* RuntimeFacts::volume_before(std::string_view path, size_t before) const {
  for (const auto& v : volumes)
    if ((!v.instruction || *v.instruction < before) && under(std::string(path), v.path)) return &v;
  return nullptr;
}

namespace {

// All the facts of entry `e`, computed the first time.
const RuntimeFacts& all_facts(KnownFacts::Entry& e, const Dockerfile& file, const BuildModel& model) {
  if (!e.facts) {
    e.facts = std::make_unique<RuntimeFacts>();
    if (e.stage)
      Collector(file, model, *e.stage, e.context, *e.facts)
          .run(e.generated ? &*e.generated : nullptr, e.command ? &*e.command : nullptr);
    else e.facts->command.evidence.reason = "the file has no stage";
  }
  return *e.facts;
}

}  // namespace

const RuntimeFacts& runtime_facts(const Dockerfile& file, const BuildModel& model, std::optional<size_t> stage,
                                  const std::optional<fs::path>& context) {
  return all_facts(model.derived.slot<KnownFacts>().of(model, stage, context), file, model);
}

namespace {

// One part of the facts of a stage: taken from the whole facts when they are
// known, else computed alone (`make` runs the one phase of a Collector that
// fills it) and kept in the entry's `kept`; `pick` finds the part in either.
template <class Kept, class T>
const T& part(const Dockerfile& file, const BuildModel& model, std::optional<size_t> stage,
              const std::optional<fs::path>& context, std::optional<Kept> KnownFacts::Entry::*kept,
              Kept (Collector::*make)(), const T& (*pick_whole)(const RuntimeFacts&), const T& (*pick_kept)(const Kept&)) {
  auto& e = model.derived.slot<KnownFacts>().of(model, stage, context);
  if (e.facts || !e.stage) return pick_whole(all_facts(e, file, model));
  if (!(e.*kept)) {
    RuntimeFacts alone;
    e.*kept = (Collector(file, model, *e.stage, context, alone).*make)();
  }
  return pick_kept(*(e.*kept));
}

}  // namespace

const EffectiveCommand& runtime_command(const Dockerfile& file, const BuildModel& model, std::optional<size_t> stage,
                                        const std::optional<fs::path>& context) {
  return part(
      file, model, stage, context, &KnownFacts::Entry::command, &Collector::command_part,
      +[](const RuntimeFacts& rf) -> const EffectiveCommand& { return rf.command; },
      +[](const CommandPart& p) -> const EffectiveCommand& { return p.command; });
}

const std::vector<PrivilegeDrop>& runtime_privilege_drops(const Dockerfile& file, const BuildModel& model,
                                                          std::optional<size_t> stage,
                                                          const std::optional<fs::path>& context) {
  return part(
      file, model, stage, context, &KnownFacts::Entry::command, &Collector::command_part,
      +[](const RuntimeFacts& rf) -> const std::vector<PrivilegeDrop>& { return rf.privilege_drops; },
      +[](const CommandPart& p) -> const std::vector<PrivilegeDrop>& { return p.privilege_drops; });
}

const AptFact& runtime_apt(const Dockerfile& file, const BuildModel& model, std::optional<size_t> stage,
                           const std::optional<fs::path>& context) {
  return part(
      file, model, stage, context, &KnownFacts::Entry::apt, &Collector::apt_part,
      +[](const RuntimeFacts& rf) -> const AptFact& { return rf.apt; }, +[](const AptFact& a) -> const AptFact& { return a; });
}

const std::optional<Evidence>& runtime_generated(const Dockerfile& file, const BuildModel& model,
                                                 std::optional<size_t> stage, const std::optional<fs::path>& context) {
  return part(
      file, model, stage, context, &KnownFacts::Entry::generated, &Collector::generated_part,
      +[](const RuntimeFacts& rf) -> const std::optional<Evidence>& { return rf.generated; },
      +[](const std::optional<Evidence>& g) -> const std::optional<Evidence>& { return g; });
}

}  // namespace dockerfix::model
