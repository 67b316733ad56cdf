// network-retry (seeds/002): downloads get their tool's real retry option,
// only where it changes something (issue 13: no flag that does nothing):
// curl --retry/--retry-delay (curl does not retry by default), apt-get
// -o Acquire::Retries only where apt is older than 2.3.2 (newer ones retry 3
// times), npm --fetch-retries and pip --retries only above their defaults
// (2 and 5), never wget --tries (GNU wget's default of 20 is more). Humans'
// flags that do nothing are rewritten: npm --retry N, APT::Acquire::Retries.
#include <map>

#include "dockerfix/runtime_facts.h"
#include "dockerfix/values.h"
#include "model/words.h"
#include "transforms/rule_support.h"
#include "dockerfix/rule_info.h"
#include "dockerfix/values.h"
#include "transforms/rules/rule_registration.h"

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
    // apt's retry default per stage, computed once per stage that runs apt.
    std::map<size_t, std::optional<int>> apt_default;
    auto apt_retries = [&](size_t stage) {
      auto it = apt_default.find(stage);
      if (it == apt_default.end())
        it = apt_default.emplace(stage, model::runtime_apt(ctx.file, ctx.model, stage, ctx.options.model.context).retries_default).first;
      return it->second;
    };
    for (const auto& step : ctx.model.steps) {
      for (const auto& cmd : step.commands) {
        const model::ShellWord* program = cmd.program_word();
        if (!program) continue;
        const std::string tool(cmd.name());
        if (auto wrong = misused_flag(ctx, cmd, tool)) {
          out.push_back(std::move(*wrong));
          continue;
        }
        if (!retrying_tool(tool)) continue;
        const std::vector<std::string> a = cmd.argv();  // a[0] is the program
        std::string option;
        size_t after = 0;  // insert after this word (0: the program)
        // Only options that change what the tool does: above its default.
        if (tool == "curl" && !mentions(a, "--retry") && above_default("curl", o.retries)) {
          option = "--retry " + std::to_string(o.retries) + " --retry-delay " + std::to_string(o.retry_delay);
        } else if (tool == "wget" && !mentions(a, "--tries") && !cmd.has_flag("-t") && gnu_wget(ctx.model.stages[step.stage]) &&
                   above_default("wget", o.retries - 1)) {
          // GNU wget tries 20 times by default: only a larger count changes anything.
          option = "--tries=" + std::to_string(o.retries);
        } else if ((tool == "apt-get" || tool == "apt") && !mentions(a, "Acquire::Retries") &&
                   std::any_of(a.begin(), a.end(), [](const std::string& w) {
                     for (auto s : {"install", "update", "upgrade", "dist-upgrade", "full-upgrade", "build-dep", "source"})
                       if (w == s) return true;
                     return false;
                   })) {
          // apt 2.3.2 and later (bookworm, jammy) retry 3 times already;
          // where the release is not known nothing is said.
          auto def = apt_retries(step.stage);
          if (!def || o.retries <= *def) continue;
          option = "-o Acquire::Retries=" + std::to_string(o.retries);
        } else if (tool == "npm" && !mentions(a, "fetch-retries") && a.size() > 1 &&
                   (a[1] == "install" || a[1] == "i" || a[1] == "ci" || a[1] == "add" || a[1] == "update") &&
                   above_default("npm", o.retries)) {
          option = "--fetch-retries=" + std::to_string(o.retries);
        } else if ((tool == "pip" || tool == "pip3") && !mentions(a, "--retries") && a.size() > 1 && a[1] == "install" &&
                   above_default("pip", o.pip_retries)) {
          option = "--retries " + std::to_string(o.pip_retries);
        } else if ((tool.rfind("python", 0) == 0) && a.size() > 3 && a[1] == "-m" && (a[2] == "pip" || a[2] == "pip3") &&
                   a[3] == "install" && !mentions(a, "--retries") && above_default("pip", o.pip_retries)) {
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
  // The tools a retry option is offered for below (most commands are none of them).
  static bool retrying_tool(std::string_view tool) {
    return tool == "curl" || tool == "wget" || tool == "apt-get" || tool == "apt" || tool == "npm" || tool == "pip" ||
           tool == "pip3" || tool.starts_with("python");
  }

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

  static bool above_default(std::string_view tool, int wanted) {
    // A refused value is reported (refuse_option says why), not compared.
    if (!count_problem(wanted, 0, kMaxRetries).empty()) return true;
    auto d = model::download_retry_default(tool);
    return !d || wanted > d->retries;
  }

  // A human's retry flag that does nothing, rewritten to the one that
  // works: npm `--retry N` (npm has no such option) -> `--fetch-retries=N`,
  // `APT::Acquire::Retries` (not an apt option) -> `Acquire::Retries`.
  std::optional<Finding> misused_flag(const Context& ctx, const model::RunCommand& cmd, const std::string& tool) const {
    const auto& words = cmd.words;
    for (size_t i = cmd.program + 1; i < words.size(); ++i) {
      const model::ShellWord& w = words[i];
      if (!w.literal || ctx.file.text(w.span) != w.raw) continue;  // only bytes that are the word as written
      if (tool == "npm" && (w.value == "--retry" || w.value.rfind("--retry=", 0) == 0)) {
        std::string n = w.value == "--retry" ? (i + 1 < words.size() ? words[i + 1].value : "") : w.value.substr(8);
        if (n.empty() || n.size() > 3 || !std::all_of(n.begin(), n.end(), ::isdigit)) return std::nullopt;
        Span range = w.span;
        if (w.value == "--retry") {
          if (ctx.file.text(words[i + 1].span) != words[i + 1].raw) return std::nullopt;
          range.end = words[i + 1].span.end;
        }
        Finding fd = make_finding(ctx.file, id(),
                                  "npm has no --retry option (it does nothing): use --fetch-retries=" + n, w.span);
        fd.fix.push_back({range, "--fetch-retries=" + n});
        return fd;
      }
      if ((tool == "apt-get" || tool == "apt") && w.raw.find("APT::Acquire::Retries") != std::string::npos) {
        uint32_t at = w.span.begin + static_cast<uint32_t>(w.raw.find("APT::Acquire::Retries"));
        Finding fd = make_finding(ctx.file, id(),
                                  "APT::Acquire::Retries is not an apt option (it does nothing): use Acquire::Retries", w.span);
        fd.fix.push_back({{at, at + 5}, ""});
        return fd;
      }
    }
    return std::nullopt;
  }
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
    .make = make_instance<NetworkRetry>,
    .page = pages::network_retry,
};

}  // namespace

DOCKERFIX_RULE_CLASS(NetworkRetry, network_retry)

}  // namespace dockerfix::fix
