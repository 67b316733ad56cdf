// healthcheck (seeds/002; hadolint DL3057, Trivy DS026, Checkov CKV_DOCKER_2):
// a final stage whose command is a long-running service (the runtime facts'
// kind) has no HEALTHCHECK; one-shot commands, shells and idle containers are
// not reported at all. A probe is offered only when it can be derived and its
// tool is still in the final image: HTTP on the port the service listens on
// (ENV PORT, --port, EXPOSE; curl -f or wget --spider), else pgrep -x of the
// service's own process (never a shell word, an interpreter, an init wrapper
// or a command that exits first). Unsafe: a wrong probe marks a healthy
// container unhealthy and orchestrators restart it.
#include "dockerfix/runtime_facts.h"
#include "dockerfix/values.h"
#include "model/words.h"
#include "transforms/rules/runtime_reasons.h"
#include "transforms/rule_support.h"
#include "dockerfix/rule_info.h"
#include "dockerfix/values.h"
#include "transforms/rules/rule_registration.h"

namespace dockerfix::fix {

namespace pages {
std::string_view healthcheck();  // README.md beside this file, compiled in
}

namespace {

using model::base_name;
using model::resolve_path;
using model::split_words;
using model::unquote;

class Healthcheck : public Rule {
 public:
  const RuleInfo& info() const override;

  std::vector<Finding> check(const Context& ctx) const override {
    if (!ctx.model.final_stage) return {};
    const auto& f = ctx.file;
    const auto& stage = ctx.model.stages[*ctx.model.final_stage];
    const model::Stage* s = &stage;
    for (;;) {  // a HEALTHCHECK in a parent stage is inherited
      for (size_t si : s->steps) {
        const auto& ins = f.instructions[ctx.model.steps[si].instruction];
        if (ins.keyword == "HEALTHCHECK") return {};
      }
      if (!s->parent_stage) break;
      s = &ctx.model.stages[*s->parent_stage];
    }
    // Only a long-running service has a health to check: a one-shot
    // command, a shell or an idle container never becomes "healthy".
    // The command alone first: the rest of the facts only for a service.
    const auto& command = model::runtime_command(f, ctx.model, stage.index, ctx.options.model.context);
    if (command.kind != model::EffectiveCommand::Kind::Service) return {};
    const model::RuntimeFacts& rf = model::runtime_facts(f, ctx.model, stage.index, ctx.options.model.context);
    const Instruction* entry = nullptr;
    const Instruction* cmd = nullptr;
    for (size_t si : stage.steps) {
      const auto& ins = f.instructions[ctx.model.steps[si].instruction];
      if (ins.keyword == "ENTRYPOINT") entry = &ins;
      if (ins.keyword == "CMD") cmd = &ins;
    }
    const Instruction* runs = entry ? entry : cmd;
    const Instruction& at = runs ? *runs : f.instructions[stage.from_instruction];
    Finding fd = make_finding(f, id(), "the image runs a service (" + command.kind_reason + ") but has no HEALTHCHECK",
                              at.keyword_span);
    const model::ImageFacts* facts = stage.facts;
    if (rf.shell.state != model::ShellFact::State::Yes) {
      fd.no_fix_reason = rf.shell.state == model::ShellFact::State::No ? "the image has no shell to run a probe"
                                                                        : "whether the image has a shell is not known";
      return {fd};
    }
    if (!final_shell_is_posix(ctx, stage)) {
      fd.no_fix_reason = "the stage's SHELL is not POSIX sh: the probe is written for sh";
      return {fd};
    }
    const auto& o = ctx.options;
    if (refuse_option(fd, timing_problem(o))) return {fd};
    std::string probe, package, why_not;
    // An HTTP probe on the port the service is known to listen on.
    if (rf.probe_port && web_port(*rf.probe_port, command)) {
      const std::string port = std::to_string(rf.probe_port->port);
      std::string from = " (port from " + cited(rf.probe_port->evidence) + ")";
      if (auto tool = present(rf, facts, "curl", why_not)) {
        probe = "curl -fsS http://localhost:" + port + "/ || exit 1";
        fd.message += ": add curl -fsS http://localhost:" + port + "/" + from;
      } else if (present(rf, facts, "wget", why_not)) {
        probe = "wget -q --spider http://localhost:" + port + "/ || exit 1";
        fd.message += ": add wget -q --spider http://localhost:" + port + "/" + from;
      }
    }
    if (probe.empty()) {
      // A process check: only of the program that is the service itself.
      std::string http_why = why_not;
      std::string program = process_name(command, why_not);
      if (program.empty()) {
        fd.no_fix_reason = "no probe can be derived: " + (http_why.empty() ? why_not : http_why + "; " + why_not);
        return {fd};
      }
      std::string ignored;
      bool pgrep = present(rf, facts, "pgrep", ignored).has_value() || installs(rf, "procps") || installs(rf, "procps-ng");
      if (const auto* gone = rf.removal("pgrep"); gone && !pgrep) {
        fd.no_fix_reason = "pgrep is removed: " + gone->evidence.reason;
        return {fd};
      }
      if (!pgrep) package = "procps";
      probe = "pgrep -x " + program + " || exit 1";
      fd.message += ": add pgrep -x " + program + (package.empty() ? "" : " (installing " + package + ")") +
                    (why_not.empty() ? "" : "; no HTTP probe: " + why_not);
    }
    std::vector<Edit> edits;
    if (!package.empty()) {
      auto add = add_package_edit(ctx, stage, package);
      if (!add) {
        fd.no_fix_reason = "pgrep needs " + package + ", which this image does not install";
        return {fd};
      }
      edits.push_back(*add);
    }
    std::string line = ctx.style.keyword("HEALTHCHECK") + " --interval=" + o.health_interval + " --timeout=" +
                       o.health_timeout + " --start-period=" + o.health_start_period +
                       " --retries=" + std::to_string(o.health_retries) + " " + ctx.style.keyword("CMD") + " " + probe;
    if (runs) {
      const Instruction* before = entry && cmd ? (entry->span.begin < cmd->span.begin ? entry : cmd) : runs;
      edits.push_back(insert_line_before(f, *before, line, ctx.style));
    } else {
      edits.push_back(insert_line_after(f, f.instructions[ctx.model.steps[stage.steps.back()].instruction], line, ctx.style));
    }
    // In file order: the package may go on an install line after the CMD.
    std::sort(edits.begin(), edits.end(), [](const Edit& a, const Edit& b) { return a.range.begin < b.range.begin; });
    fd.fix = edits;
    return {fd};
  }

 private:
  static std::string timing_problem(const Options& o) {
    if (auto p = duration_problem(o.health_interval); !p.empty()) return "health-interval: " + p;
    if (auto p = duration_problem(o.health_timeout); !p.empty()) return "health-timeout: " + p;
    if (auto p = duration_problem(o.health_start_period); !p.empty()) return "health-start-period: " + p;
    if (auto p = count_problem(o.health_retries, 1, kMaxRetries); !p.empty()) return "health-retries: " + p;
    return {};
  }

  // Ports a web server listens on, or one the image names as its PORT.
  // A port named by ENV PORT or a --port argument counts too, unless the
  // service is one that does not speak HTTP.
  static bool web_port(const model::PortFact& p, const model::EffectiveCommand& c) {
    static constexpr std::array<uint32_t, 9> k{80, 8080, 8000, 3000, 5000, 8081, 8888, 9000, 4000};
    static constexpr std::array<std::string_view, 12> kNotHttp{
        "redis-server", "postgres", "mysqld", "mariadbd", "mongod", "mongos", "memcached", "rabbitmq-server",
        "sshd", "mosquitto", "named", "dnsmasq"};
    if (std::find(kNotHttp.begin(), kNotHttp.end(), c.process) != kNotHttp.end()) return false;
    return p.source == model::PortFact::Source::Env || p.source == model::PortFact::Source::Argument ||
           std::find(k.begin(), k.end(), p.port) != k.end();
  }

  static bool installs(const model::RuntimeFacts& rf, std::string_view package) {
    return std::any_of(rf.packages.begin(), rf.packages.end(),
                       [&](const model::PackageFact& p) { return p.name == package && !p.removed_at; });
  }

  // `tool` is in the final image: installed by the file or the base's, and
  // not removed again (why_not says where it is removed).
  static std::optional<std::string> present(const model::RuntimeFacts& rf, const model::ImageFacts* facts,
                                            std::string_view tool, std::string& why_not) {
    if (const auto* gone = rf.removal(tool)) {
      why_not = std::string(tool) + " is removed at line " + std::to_string(gone->evidence.line);
      return std::nullopt;
    }
    if (installs(rf, tool) || (facts && facts->has_tool(tool))) return std::string(tool);
    return std::nullopt;
  }

  // The program pgrep -x can look for: the service's own process, never a
  // shell word, an interpreter running a script, an init wrapper in front
  // of it or a command that exits before it.
  static std::string process_name(const model::EffectiveCommand& c, std::string& why_not) {
    const std::string& name = c.process;
    if (!c.wrapper.empty()) {
      why_not = "the process runs under " + c.wrapper + "; pgrep could not tell the service from it";
      return {};
    }
    if (!c.interpreted.empty()) {
      why_not = "the process is " + name + " running " + c.interpreted + ", which pgrep -x cannot tell from other " + name + " processes";
      return {};
    }
    if (!c.exits_first.empty()) {
      why_not = c.exits_first.front() + " runs before the service; the process to look for is not known";
      return {};
    }
    static constexpr std::array<std::string_view, 14> kShellWords{"sh", "bash", "dash", "ash", "zsh", "cd", "grep", "exec",
                                                                  "test", "echo", "set", "true", "env", "["};
    if (name.empty() || name.size() > 15 || std::find(kShellWords.begin(), kShellWords.end(), name) != kShellWords.end() ||
        name.find(".sh") != std::string::npos) {
      why_not = name.empty() ? "the process is not known" : "`" + name + "` is not the service's own program";
      return {};
    }
    for (char ch : name)
      if (!(std::isalnum(static_cast<unsigned char>(ch)) || ch == '-' || ch == '_' || ch == '.')) {
        why_not = "`" + name + "` is not a name pgrep -x matches";
        return {};
      }
    return name;
  }

  static bool install_command(const model::RunCommand& c) {
    const auto argv = c.argv();
    if (argv.size() < 2) return false;
    std::string tool(c.name());
    bool pm = tool == "apt-get" || tool == "apt" || tool == "apk" || tool == "dnf" || tool == "yum" || tool == "microdnf";
    if (!pm) return false;
    for (const auto& w : argv)
      if (w == "install" || w == "add") return true;
    return false;
  }

  // Appends the package to the last install command of the stage.
  static std::optional<Edit> add_package_edit(const Context& ctx, const model::Stage& s, const std::string& package) {
    const model::RunCommand* last = nullptr;
    for (size_t si : s.steps)
      for (const auto& c : ctx.model.steps[si].commands)
        if (install_command(c)) last = &c;
    if (!last) return std::nullopt;
    std::string tool(last->name());
    std::string name = (tool == "dnf" || tool == "yum" || tool == "microdnf") ? "procps-ng" : package;
    return Edit{last->insert_after(last->words.size() - 1 - last->program), " " + name};
  }

};

constexpr std::array<std::string_view, 3> kAliases{"DL3057", "DS026", "CKV_DOCKER_2"};
constexpr std::array<RuleOption, 4> kHealthOptions{{
    {"interval", "health-interval", OptionType::Duration, 0, 0, "a duration such as 30s", "30s", "HEALTHCHECK --interval"},
    {"timeout", "health-timeout", OptionType::Duration, 0, 0, "a duration such as 5s", "5s", "HEALTHCHECK --timeout"},
    {"start-period", "health-start-period", OptionType::Duration, 0, 0, "a duration such as 10s", "10s",
     "HEALTHCHECK --start-period"},
    {"retries", "health-retries", OptionType::Count, 1, kMaxRetries, "a number", "3", "HEALTHCHECK --retries (1-100)"},
}};
constexpr RuleInfo kInfo{
    .id = "healthcheck",
    .title = "the image runs a service but has no HEALTHCHECK",
    .aliases = kAliases,
    .severity = Severity::Info,
    .fix = FixAvailability::Sometimes,
    // A wrong probe marks a healthy container unhealthy and orchestrators restart it.
    .applicability = Applicability::Unsafe,
    .commit_phrase = "add a HEALTHCHECK",
    .why = "The image runs a service but had no HEALTHCHECK, so orchestrators could not tell a hung container from a healthy one.",
    .options = kHealthOptions,
    .make = make_instance<Healthcheck>,
    .page = pages::healthcheck,
};

}  // namespace

DOCKERFIX_RULE_CLASS(Healthcheck, healthcheck)

}  // namespace dockerfix::fix
