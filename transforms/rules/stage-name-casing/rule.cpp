// stage-name-casing (BuildKit's StageNameCasing): a stage name is not lowercase.
#include <array>
#include <fmt/format.h>

#include "transforms/buildkit_support.h"
#include "transforms/rule_support.h"
#include "transforms/rules/rule_registration.h"

namespace dockerfix::fix {

namespace pages {
std::string_view stage_name_casing();  // README.md beside this file, compiled in
}

namespace {

using namespace buildkit;

class StageNameCasing : public Rule {
 public:
  const RuleInfo& info() const override;
  std::vector<Finding> check(const Context& ctx) const override {
    const auto& f = ctx.file;
    std::vector<Finding> out;
    for (size_t i = 0; i < f.instructions.size(); ++i) {
      const auto& ins = f.instructions[i];
      auto w = from_words(f, ins);
      if (!w || w->name.empty()) continue;
      const std::string low = lower(w->name);
      if (low == w->name) continue;
      Finding fd = make_finding(f, id(), fmt::format("Stage name '{}' should be lowercase", w->name),
                                on_first_line(f, ins, w->name_span));
      fd.check_comments_of = i;
      if (!w->has_name) {
        fd.no_fix_reason = "FROM's second word is not AS";
      } else {
        fd.fix.push_back({w->name_span, low});
        add_references(f, i, low, fd.fix);
      }
      out.push_back(std::move(fd));
    }
    return out;
  }

  // Later references to the stage, which BuildKit compares lowercased: FROM
  // <stage>, COPY/ADD --from=<stage>, RUN --mount=...,from=<stage>. Only
  // references written literally are changed; any other still works.
  static void add_references(const Dockerfile& f, size_t stage_at, const std::string& low, std::vector<Edit>& edits) {
    auto differs = [&](std::string_view v) { return lower(v) == low && v != low; };
    for (size_t j = stage_at + 1; j < f.instructions.size(); ++j) {
      const auto& other = f.instructions[j];
      if (auto ow = from_words(f, other); ow && differs(ow->image)) edits.push_back({ow->image_span, low});
      for (const auto& fl : other.flags) {
        std::string_view raw = f.text(fl.span);
        if (fl.name == "from") {
          auto eq = raw.find('=');
          if (eq != std::string_view::npos && differs(raw.substr(eq + 1)))
            edits.push_back({{fl.span.begin + static_cast<uint32_t>(eq + 1), fl.span.end}, low});
        } else if (fl.name == "mount") {
          auto eq = raw.find('=');
          for (size_t at = eq == std::string_view::npos ? raw.size() : eq + 1; at < raw.size();) {
            size_t end = raw.find(',', at);
            if (end == std::string_view::npos) end = raw.size();
            std::string_view field = raw.substr(at, end - at);
            if (lower(field.substr(0, 5)) == "from=" && differs(field.substr(5)))
              edits.push_back({{fl.span.begin + static_cast<uint32_t>(at + 5), fl.span.begin + static_cast<uint32_t>(end)}, low});
            at = end + 1;
          }
        }
      }
    }
  }
};

constexpr std::array<std::string_view, 1> kAliases{"StageNameCasing"};
constexpr RuleInfo kInfo{
    .id = "stage-name-casing",
    .title = "a stage name is not lowercase",
    .aliases = kAliases,
    .severity = Severity::Warning,
    .fix = FixAvailability::Sometimes,
    .applicability = Applicability::Safe,
    .run_shells = RunShells::None,
    .security_severity = {},
    .commit_phrase = "lowercase stage names",
    .why = "BuildKit lowercases stage names, so a mixed-case name reads as something it is not; the names and their references are now lowercase.",
    .options = {},
    .make = []() -> std::unique_ptr<Rule> { return std::make_unique<StageNameCasing>(); },
    .page = pages::stage_name_casing,
};

}  // namespace

DOCKERFIX_RULE_CLASS(StageNameCasing, stage_name_casing)

}  // namespace dockerfix::fix
