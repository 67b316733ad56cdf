// image-tag (hadolint DL3006): FROM an image without a tag
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
std::string_view image_tag();  // README.md beside this file, compiled in
}
namespace rules {
const RuleInfo& image_tag();
}

namespace {

// The tag written after the image's last path part, if any.
bool has_tag(std::string_view ref) {
  auto slash = ref.rfind('/');
  return ref.find(':', slash == std::string_view::npos ? 0 : slash) != std::string_view::npos;
}

std::vector<Finding> check(const Context& ctx, std::string_view id) {
  std::vector<Finding> out;
  for (const auto& s : ctx.model.stages) {
    const std::string& ref = s.base_text;
    if (s.parent_stage || ref.empty() || contains(ref, "$") || contains(ref, "@") || lower(ref) == "scratch" || has_tag(ref))
      continue;
    const auto& ins = ctx.file.instructions[s.from_instruction];
    out.push_back(make_finding(ctx.file, id, "FROM " + ref + " has no tag: name the version, e.g. " + ref + ":<version>",
                               ins.arguments_span));
  }
  return out;
}

constexpr std::array<std::string_view, 1> kAliases{"DL3006"};
constexpr RuleInfo kInfo{
    .id = "image-tag",
    .title = "FROM an image without a tag",
    .aliases = kAliases,
    .severity = Severity::Warning,
    .fix = FixAvailability::Never,
    .applicability = Applicability::Safe,
    .run_shells = RunShells::None,  // it reads no RUN commands
    .commit_phrase = "tag base images",
    .why = "An untagged base image is whatever `latest` is on the day of the build.",
    .make = make_rule<rules::image_tag, check>,
    .page = pages::image_tag,
};

}  // namespace

DOCKERFIX_RULE_INFO(image_tag)

}  // namespace dockerfix::fix
