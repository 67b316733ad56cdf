// add-to-extract (hadolint DL3010): an archive COPYed into the image and extracted in a RUN
#include <algorithm>
#include <array>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "model/words.h"
#include "transforms/rule_support.h"
#include "transforms/rules/rule_queries.h"
#include "transforms/rules/rule_registration.h"

namespace dockerfix::fix {

namespace pages {
std::string_view add_to_extract();  // README.md beside this file, compiled in
}
namespace rules {
const RuleInfo& add_to_extract();
}

namespace {

bool extracts(const model::RunCommand& c) {
  static constexpr std::string_view kUnpackers[] = {"unzip", "gunzip", "bunzip2", "unlzma", "unxz", "zcat", "gzcat", "uncompress"};
  const std::string name(c.name());
  if (std::find(std::begin(kUnpackers), std::end(kUnpackers), name) != std::end(kUnpackers)) return true;
  if (name != "tar") return false;
  if (c.has_any_flag({"--extract", "--get", "-x"})) return true;
  // `tar xzf a.tgz`: the old-style first argument without a dash.
  return c.words.size() > c.program + 1 && contains(c.words[c.program + 1].value, "x") &&
         !c.words[c.program + 1].value.starts_with("-");
}

std::string base(std::string_view p) {
  auto slash = p.find_last_of('/');
  return std::string(slash == std::string_view::npos ? p : p.substr(slash + 1));
}

std::vector<Finding> check(const Context& ctx, std::string_view id) {
  std::vector<Finding> out;
  for (const auto& stage : ctx.model.stages) {
    std::vector<std::pair<std::string, size_t>> archives;  // name -> COPY instruction
    std::vector<bool> reported(ctx.file.instructions.size(), false);
    for (size_t si : stage.steps) {
      const auto& step = ctx.model.steps[si];
      const auto& ins = ctx.file.instructions[step.instruction];
      if (ins.keyword == "COPY" && !flag(ins, "from")) {
        if (auto a = copy_args(ins, ctx.file.escape)) {
          if (is_archive_name(a->dest)) archives.emplace_back(base(a->dest), step.instruction);
          else
            for (const auto& s : a->sources)
              if (is_archive_name(s)) archives.emplace_back(base(s), step.instruction);
        }
      }
      if (ins.keyword != "RUN") continue;
      for (const auto& c : step.commands) {
        if (!extracts(c)) continue;
        for (const auto& [name, at] : archives) {
          if (reported[at]) continue;
          bool named = false;
          for (size_t i = c.program + 1; i < c.words.size(); ++i) named = named || base(c.words[i].value) == name;
          if (!named) continue;
          reported[at] = true;
          const auto& copy = ctx.file.instructions[at];
          out.push_back(make_finding(ctx.file, id, "COPY of " + name + " then extracted in a RUN: ADD extracts it in one layer",
                                     copy.keyword_span));
        }
      }
    }
  }
  return out;
}

constexpr std::array<std::string_view, 1> kAliases{"DL3010"};
constexpr RuleInfo kInfo{
    .id = "add-to-extract",
    .title = "an archive COPYed into the image and extracted in a RUN",
    .aliases = kAliases,
    .severity = Severity::Info,
    .fix = FixAvailability::Never,
    .applicability = Applicability::Safe,
    .commit_phrase = "extract archives with ADD",
    .why = "COPY then tar -x keeps the archive in one layer and its content in another; ADD extracts it in one step.",
    .make = make_rule<rules::add_to_extract, check>,
    .page = pages::add_to_extract,
};

}  // namespace

DOCKERFIX_RULE_INFO(add_to_extract)

}  // namespace dockerfix::fix
