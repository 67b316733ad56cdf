// legacy-key-value-format (BuildKit's LegacyKeyValueFormat): ENV or LABEL in the legacy `key value` form.
#include <array>
#include <fmt/format.h>
#include <optional>
#include "transforms/buildkit_support.h"
#include "transforms/rule_support.h"
#include "transforms/rules/rule_registration.h"

namespace dockerfix::fix {

namespace pages {
std::string_view legacy_key_value_format();  // README.md beside this file, compiled in
}

namespace {

using namespace buildkit;

class LegacyKeyValueFormat : public Rule {
 public:
  const RuleInfo& info() const override;
  std::vector<Finding> check(const Context& ctx) const override {
    const auto& f = ctx.file;
    std::vector<Finding> out;
    for (size_t i = 0; i < f.instructions.size(); ++i) {
      const auto& ins = f.instructions[i];
      if (ins.keyword != "ENV" && ins.keyword != "LABEL") continue;
      const auto& kvs = key_values(ctx, i);
      if (kvs.empty() || !kvs[0].legacy) continue;
      const std::string kw = spelled(f, ins);
      Finding fd = make_finding(
          f, id(), fmt::format("\"{} key=value\" should be used instead of legacy \"{} key value\" format", kw, kw),
          ins.keyword_span);
      fd.check_comments_of = i;
      const auto& kv = kvs[0];
      if (f.text(ins.arguments_span) != ins.arguments) {
        fd.no_fix_reason = "the instruction spans lines";
      } else if (kv.key.find_first_of("\"'=") != std::string::npos || kv.key.find(f.escape) != std::string::npos) {
        fd.no_fix_reason = "the key holds quotes or escapes";
      } else if (auto value = as_word(*kv.value, f.escape)) {
        fd.fix.push_back({ins.arguments_span, kv.key + "=" + *value});
      } else {
        fd.no_fix_reason = "the value has an unterminated quote";
      }
      out.push_back(std::move(fd));
    }
    return out;
  }

  // The legacy value is the rest of the line, read as one word; as the value
  // of `key=...` it must stay one word with the same meaning. Without
  // whitespace it is that already; without quotes or escapes, double quotes
  // keep it (they expand `$` as before); else each blank outside quotes is
  // escaped.
  static std::optional<std::string> as_word(std::string_view value, char escape) {
    if (value.find_first_of(" \t") == std::string_view::npos) return std::string(value);
    if (value.find_first_of("\"'") == std::string_view::npos && value.find(escape) == std::string_view::npos)
      return "\"" + std::string(value) + "\"";
    std::string out;
    char quote = 0;
    for (size_t i = 0; i < value.size(); ++i) {
      char c = value[i];
      if (c == escape && quote != '\'' && i + 1 < value.size()) {
        out += c;
        out += value[++i];
        continue;
      }
      if (quote == 0 && (c == '"' || c == '\'')) quote = c;
      else if (quote == c) quote = 0;
      else if (quote == 0 && (c == ' ' || c == '\t')) out += escape;
      out += c;
    }
    if (quote != 0) return std::nullopt;
    return out;
  }
};

constexpr std::array<std::string_view, 1> kAliases{"LegacyKeyValueFormat"};
constexpr RuleInfo kInfo{
    .id = "legacy-key-value-format",
    .title = "ENV or LABEL in the legacy `key value` form",
    .aliases = kAliases,
    .severity = Severity::Warning,
    .fix = FixAvailability::Sometimes,
    .applicability = Applicability::Safe,
    .run_shells = RunShells::None,
    .security_severity = {},
    .commit_phrase = "use key=value in ENV and LABEL",
    .why = "The legacy `ENV key value` form is deprecated and easy to misread: its value is the rest of the line.",
    .options = {},
    .make = []() -> std::unique_ptr<Rule> { return std::make_unique<LegacyKeyValueFormat>(); },
    .page = pages::legacy_key_value_format,
};

}  // namespace

DOCKERFIX_RULE_CLASS(LegacyKeyValueFormat, legacy_key_value_format)

}  // namespace dockerfix::fix
