// secrets-used-in-arg-or-env (BuildKit's SecretsUsedInArgOrEnv): an ARG or ENV name looks like a secret.
#include <algorithm>
#include <array>
#include <fmt/format.h>
#include "transforms/buildkit_support.h"
#include "transforms/rule_support.h"
#include "transforms/rules/rule_registration.h"

namespace dockerfix::fix {

namespace pages {
std::string_view secrets_used_in_arg_or_env();  // README.md beside this file, compiled in
}

namespace {

using namespace buildkit;

bool same_ascii_case_folded(std::string_view a, std::string_view b) {
  auto fold = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [&](char x, char y) { return fold(x) == fold(y); });
}

// BuildKit's regexps (?:_|^)(?:word|...)(?:_|$), case-insensitive: as no
// word holds a `_`, one of the key's `_`-separated parts is one of them.
bool has_part(std::string_view key, std::initializer_list<std::string_view> words) {
  for (size_t i = 0;;) {
    const size_t at = key.find('_', i);
    const std::string_view part = key.substr(i, at == std::string_view::npos ? std::string_view::npos : at - i);
    for (auto w : words)
      if (same_ascii_case_folded(part, w)) return true;
    if (at == std::string_view::npos) return false;
    i = at + 1;
  }
}

bool secret_name(std::string_view key) {
  return has_part(key, {"apikey", "auth", "credential", "credentials", "key", "password", "pword", "passwd", "secret",
                        "token"}) &&
         !has_part(key, {"public", "file", "version"});
}

class SecretsUsedInArgOrEnv : public Rule {
 public:
  const RuleInfo& info() const override;
  std::vector<Finding> check(const Context& ctx) const override {
    const auto& f = ctx.file;
    std::vector<Finding> out;
    bool in_stage = false;
    for (size_t i = 0; i < f.instructions.size(); ++i) {
      const auto& ins = f.instructions[i];
      in_stage = in_stage || ins.keyword == "FROM";
      // BuildKit checks the ARGs of stages, not those before the first FROM.
      if (!in_stage || (ins.keyword != "ARG" && ins.keyword != "ENV")) continue;
      for (const auto& kv : key_values(ctx, i)) {
        if (!secret_name(kv.key)) continue;
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
