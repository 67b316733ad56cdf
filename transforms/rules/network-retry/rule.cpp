// network-retry (seeds/002): downloads get their tool's real retry option.
// Only options that exist: curl --retry/--retry-delay, GNU wget --tries
// (busybox wget has none), apt-get -o Acquire::Retries (not
// APT::Acquire::Retries, which does nothing), npm --fetch-retries (npm has
// no --retry), pip --retries.
#include "dockerfix/values.h"
#include "model/words.h"
#include "transforms/rule_support.h"
#include "dockerfix/rule_info.h"
#include "dockerfix/values.h"

namespace dockerfix::fix {

namespace pages {
std::string_view network_retry();  // README.md beside this file, compiled in
}

namespace {

bool mentions(const std::vector<std::string>& argv, std::string_view needle) {
  for (const auto& a : argv)
    if (a.find(needle) != std::string::npos) return true;
  return false;
}

class NetworkRetry : public Rule {
 public:
  const RuleInfo& info() const override;

  std::vector<Finding> check(const Context& ctx) const override {
    std::vector<Finding> out;
    const auto& o = ctx.options;
    for (const auto& step : ctx.model.steps) {
      const auto& stage = ctx.model.stages[step.stage];
      for (const auto& cmd : step.commands) {
        const model::ShellWord* program = cmd.program_word();
        if (!program) continue;
        const std::string tool = cmd.name();
        const std::vector<std::string> a = cmd.argv();  // a[0] is the program
        std::string option;
        size_t after = 0;  // insert after this word (0: the program)
        if (tool == "curl" && !mentions(a, "--retry")) {
          option = "--retry " + std::to_string(o.retries) + " --retry-delay " + std::to_string(o.retry_delay);
        } else if (tool == "wget" && !mentions(a, "--tries") && !cmd.has_flag("-t") && gnu_wget(stage)) {
          option = "--tries=" + std::to_string(o.retries);
        } else if ((tool == "apt-get" || tool == "apt") && !mentions(a, "Acquire::Retries") &&
                   std::any_of(a.begin(), a.end(), [](const std::string& w) {
                     for (auto s : {"install", "update", "upgrade", "dist-upgrade", "full-upgrade", "build-dep", "source"})
                       if (w == s) return true;
                     return false;
                   })) {
          option = "-o Acquire::Retries=" + std::to_string(o.retries);
        } else if (tool == "npm" && !mentions(a, "fetch-retries") && a.size() > 1 &&
                   (a[1] == "install" || a[1] == "i" || a[1] == "ci" || a[1] == "add" || a[1] == "update")) {
          option = "--fetch-retries=" + std::to_string(o.retries);
        } else if ((tool == "pip" || tool == "pip3") && !mentions(a, "--retries") && a.size() > 1 && a[1] == "install") {
          option = "--retries " + std::to_string(o.pip_retries);
        } else if ((tool.rfind("python", 0) == 0) && a.size() > 3 && a[1] == "-m" && (a[2] == "pip" || a[2] == "pip3") &&
                   a[3] == "install" && !mentions(a, "--retries")) {
          option = "--retries " + std::to_string(o.pip_retries);
          after = 2;
        } else {
          continue;
        }
        Finding fd = make_finding(ctx.file, id(), tool + " without retries: add " + option, program->span);
        fd.fix.push_back({cmd.insert_after(after), " " + option});
        refuse_option(fd, counts_problem(o, tool));
        out.push_back(std::move(fd));
      }
    }
    return out;
  }

 private:
  static std::string counts_problem(const Options& o, const std::string& tool) {
    bool pip = tool.rfind("pip", 0) == 0 || tool.rfind("python", 0) == 0;
    if (pip) {
      auto p = count_problem(o.pip_retries, 1, kMaxRetries);
      return p.empty() ? p : "pip-retries: " + p;
    }
    if (auto p = count_problem(o.retries, 1, kMaxRetries); !p.empty()) return "retries: " + p;
    if (tool == "curl")
      if (auto p = count_problem(o.retry_delay, 0, kMaxRetryDelay); !p.empty()) return "retry-delay: " + p;
    return {};
  }

  // busybox wget (alpine, busybox, distroless debug) has no retry option;
  // which wget an image has is a fact of the knowledge base.
  static bool gnu_wget(const model::Stage& s) { return s.facts && s.facts->wget == "gnu"; }
};

constexpr std::array<RuleOption, 3> kRetryOptions{{
    {"retries", "retries", OptionType::Count, 1, kMaxRetries, "a number", "3",
     "retries for curl, wget, apt-get and npm (1-100)"},
    {"retry-delay", "retry-delay", OptionType::Count, 0, kMaxRetryDelay, "a number of seconds", "5",
     "curl --retry-delay seconds (0-3600)"},
    {"pip-retries", "pip-retries", OptionType::Count, 1, kMaxRetries, "a number", "5", "pip --retries (1-100)"},
}};
constexpr RuleInfo kInfo{
    .id = "network-retry",
    .title = "network downloads without retries fail builds on a flaky network",
    .severity = Severity::Info,
    .fix = FixAvailability::Always,
    .commit_phrase = "retry network downloads",
    .why = "Downloads without retries fail the whole build on one network blip; curl, wget, apt-get, npm and pip now retry.",
    .options = kRetryOptions,
    .make = [] -> std::unique_ptr<Rule> { return std::make_unique<NetworkRetry>(); },
    .page = pages::network_retry,
};

const RuleInfo& NetworkRetry::info() const { return kInfo; }

}  // namespace

namespace rules {
const RuleInfo& network_retry() { return kInfo; }
}  // namespace rules

}  // namespace dockerfix::fix
