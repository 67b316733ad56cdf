// healthcheck (seeds/002; Trivy DS026, Checkov CKV_DOCKER_2): a final stage
// that runs a service has no HEALTHCHECK. One is added only when a probe can
// be derived and its tool is in the image: an HTTP probe on an EXPOSEd web
// port (curl -f, or busybox wget --spider), else a process check (pgrep -x).
// A missing tool is added to the stage's package install when there is one
// — a health check whose tool is missing fails forever.
#include "dockerfix/values.h"
#include "model/words.h"
#include "transforms/rule_support.h"
#include "dockerfix/rule_info.h"
#include "dockerfix/values.h"

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
    const Instruction* entry = nullptr;
    const Instruction* cmd = nullptr;
    std::vector<int> ports;
    const model::Stage* s = &stage;
    for (;;) {  // a HEALTHCHECK in a parent stage is inherited
      for (size_t si : s->steps) {
        const auto& ins = f.instructions[ctx.model.steps[si].instruction];
        if (ins.keyword == "HEALTHCHECK") return {};
      }
      if (!s->parent_stage) break;
      s = &ctx.model.stages[*s->parent_stage];
    }
    for (size_t si : stage.steps) {
      const auto& ins = f.instructions[ctx.model.steps[si].instruction];
      if (ins.keyword == "ENTRYPOINT") entry = &ins;
      if (ins.keyword == "CMD") cmd = &ins;
      if (ins.keyword == "EXPOSE")
        for (auto& w : split_words(ins.arguments)) {
          auto p = w.substr(0, w.find('/'));
          if (!p.empty() && p.size() < 6 && std::all_of(p.begin(), p.end(), ::isdigit)) ports.push_back(std::stoi(p));
        }
    }
    const Instruction* runs = entry ? entry : cmd;
    if (!runs) return {};
    Finding fd = make_finding(f, id(), "the image runs a service but has no HEALTHCHECK", runs->keyword_span);
    const model::ImageFacts* facts = stage.facts;
    if (!facts || facts->shell != true) {
      fd.no_fix_reason = facts ? "the image has no shell to run a probe" : "the base image is not known";
      return {fd};
    }
    if (!final_shell_is_posix(ctx, stage)) {
      fd.no_fix_reason = "the stage's SHELL is not POSIX sh: the probe is written for sh";
      return {fd};
    }
    const auto& o = ctx.options;
    if (refuse_option(fd, timing_problem(o))) return {fd};
    std::string installs = installed_packages(ctx, stage);
    int web_port = 0;
    for (int p : ports)
      if (p == 80 || p == 8080 || p == 8000 || p == 3000 || p == 5000 || p == 8081 || p == 8888) web_port = p;
    std::string probe, package;
    if (web_port && (has_word(installs, "curl") || facts->has_tool("curl"))) {
      probe = "curl -fsS http://localhost:" + std::to_string(web_port) + "/ || exit 1";
    } else if (web_port && facts->has_tool("wget")) {
      probe = "wget -q --spider http://localhost:" + std::to_string(web_port) + "/ || exit 1";
    } else {
      std::string program = process_name(*runs);
      if (program.empty()) {
        fd.no_fix_reason = "no probe can be derived: no web port and no program name for pgrep";
        return {fd};
      }
      probe = "pgrep -x " + program + " || exit 1";
      if (!facts->has_tool("pgrep") && !has_word(installs, "procps") && !has_word(installs, "procps-ng"))
        package = "procps";
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
    const Instruction* before = entry && cmd ? (entry->span.begin < cmd->span.begin ? entry : cmd) : runs;
    edits.push_back(insert_line_before(f, *before, line, ctx.style));
    fd.fix = edits;
    fd.message += ": add " + probe.substr(0, probe.find(" ||")) + (package.empty() ? "" : " (installing " + package + ")");
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

  static bool has_word(const std::string& text, std::string_view word) {
    for (auto& w : split_words(text))
      if (w == word) return true;
    return false;
  }

  // Package words of the stage's install commands (apt-get/apk/dnf/yum/microdnf).
  static std::string installed_packages(const Context& ctx, const model::Stage& s) {
    std::string out;
    for (size_t si : s.steps)
      for (const auto& c : ctx.model.steps[si].commands)
        if (install_command(c))
          for (const auto& w : c.argv()) out += " " + w;
    return out;
  }

  static bool install_command(const model::RunCommand& c) {
    const auto argv = c.argv();
    if (argv.size() < 2) return false;
    std::string tool = c.name();
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
    std::string tool = last->name();
    std::string name = (tool == "dnf" || tool == "yum" || tool == "microdnf") ? "procps-ng" : package;
    return Edit{last->insert_after(last->words.size() - 1 - last->program), " " + name};
  }

  // The program a process check can look for: the exec-form command's
  // basename, if it is not a shell and fits pgrep -x's 15 characters.
  static std::string process_name(const Instruction& ins) {
    std::string first;
    if (ins.exec_form) {
      if (ins.exec.empty()) return {};
      first = ins.exec[0];
    } else {
      auto words = split_words(ins.arguments);
      if (words.empty()) return {};
      first = words[0];
    }
    std::string name = base_name(first);
    if (name.empty() || name.size() > 15 || name == "sh" || name == "bash" || name.find_first_of("$\"'") != std::string::npos ||
        name.find(".sh") != std::string::npos)
      return {};
    for (char c : name)
      if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.')) return {};
    return name;
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
    .commit_phrase = "add a HEALTHCHECK",
    .why = "The image runs a service but had no HEALTHCHECK, so orchestrators could not tell a hung container from a healthy one.",
    .options = kHealthOptions,
    .make = [] -> std::unique_ptr<Rule> { return std::make_unique<Healthcheck>(); },
    .page = pages::healthcheck,
};

const RuleInfo& Healthcheck::info() const { return kInfo; }

}  // namespace

namespace rules {
const RuleInfo& healthcheck() { return kInfo; }
}  // namespace rules

}  // namespace dockerfix::fix
