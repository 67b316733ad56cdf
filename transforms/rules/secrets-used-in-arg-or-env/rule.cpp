// secrets-used-in-arg-or-env (BuildKit's SecretsUsedInArgOrEnv): an ARG or ENV name looks like a secret.
#include <array>
#include <fmt/format.h>
#include <regex>
#include "transforms/buildkit_support.h"
#include "transforms/rule_support.h"
#include "transforms/rules/rule_registration.h"

namespace dockerfix::fix {

namespace pages {
std::string_view secrets_used_in_arg_or_env();  // README.md beside this file, compiled in
}

namespace {

using namespace buildkit;

class SecretsUsedInArgOrEnv : public Rule {
 public:
  const RuleInfo& info() const override;
  std::vector<Finding> check(const Context& ctx) const override {
    const auto& f = ctx.file;
    static const std::regex deny("(?:_|^)(?:apikey|auth|credential|credentials|key|password|pword|passwd|secret|token)(?:_|$)",
                                 std::regex::icase);
    static const std::regex allow("(?:_|^)(?:public|file|version)(?:_|$)", std::regex::icase);
    std::vector<Finding> out;
    bool in_stage = false;
    for (size_t i = 0; i < f.instructions.size(); ++i) {
      const auto& ins = f.instructions[i];
      in_stage = in_stage || ins.keyword == "FROM";
      // BuildKit checks the ARGs of stages, not those before the first FROM.
      if (!in_stage || (ins.keyword != "ARG" && ins.keyword != "ENV")) continue;
      for (const auto& kv : key_values(ins, f.escape)) {
        if (!std::regex_search(kv.key, deny) || std::regex_search(kv.key, allow)) continue;
        Finding fd = make_finding(
            f, id(), fmt::format("Do not use ARG or ENV instructions for sensitive data ({} {})", ins.keyword, go_quote(kv.key)),
            find_on_first_line(f, ins, kv.key));
        fd.check_comments_of = i;
        fd.no_fix_reason = "use RUN --mount=type=secret (docker build --secret) instead";
        out.push_back(std::move(fd));
      }
    }
    return out;
  }
};

constexpr std::array<std::string_view, 1> kAliases{"SecretsUsedInArgOrEnv"};
constexpr RuleInfo kInfo{
    .id = "secrets-used-in-arg-or-env",
    .title = "an ARG or ENV name looks like a secret",
    .aliases = kAliases,
    .severity = Severity::Warning,
    .fix = FixAvailability::Never,
    .applicability = Applicability::Safe,
    .run_shells = RunShells::None,
    .security_severity = {},
    .commit_phrase = "pass secrets with build secrets instead of ARG or ENV",
    .why = "ARG and ENV values stay in the image history and config, where anyone with the image can read them; build secrets do not.",
    .options = {},
    .make = []() -> std::unique_ptr<Rule> { return std::make_unique<SecretsUsedInArgOrEnv>(); },
    .page = pages::secrets_used_in_arg_or_env,
};

}  // namespace

DOCKERFIX_RULE_CLASS(SecretsUsedInArgOrEnv, secrets_used_in_arg_or_env)

}  // namespace dockerfix::fix
