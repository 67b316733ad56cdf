// copy-not-add (hadolint DL3020): ADD of local files or directories that COPY would copy
#include <algorithm>
#include <array>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "model/words.h"
#include "transforms/rule_support.h"
#include "transforms/rules/rule_queries.h"
#include "transforms/rules/simple_rule.h"

namespace dockerfix::fix {

namespace pages {
std::string_view copy_not_add();  // README.md beside this file, compiled in
}
namespace rules {
const RuleInfo& copy_not_add();
}

namespace {

std::vector<Finding> check(const Context& ctx, std::string_view id) {
  std::vector<Finding> out;
  const auto& f = ctx.file;
  for (size_t i = 0; i < f.instructions.size(); ++i) {
    const auto& ins = f.instructions[i];
    if (ins.keyword != "ADD") continue;
    auto a = copy_args(ins, f.escape);
    if (!a) continue;
    bool plain = true, known = true;
    for (const auto& s : a->sources) {
      if (is_url(s) || is_archive_name(s)) plain = false;
      if (contains(s, "$") || contains(s, "*") || contains(s, "?") || contains(s, "[")) known = false;
    }
    if (!plain) continue;
    Finding fd = make_finding(f, id, "ADD of local files: use COPY", ins.keyword_span);
    bool copy_flags = std::all_of(ins.flags.begin(), ins.flags.end(), [](const Flag& fl) {
      return fl.name == "chown" || fl.name == "chmod" || fl.name == "link" || fl.name == "exclude";
    });
    if (!known) {
      fd.no_fix_reason = "a source names a variable or a pattern that may match an archive";
    } else if (!copy_flags) {
      fd.no_fix_reason = "ADD has a flag COPY does not take";
    } else {
      std::string kw = f.text(ins.keyword_span) == "add" ? "copy" : f.text(ins.keyword_span) == "Add" ? "Copy" : "COPY";
      fd.fix.push_back({ins.keyword_span, kw});
      fd.changes.push_back({i, "COPY"});
    }
    out.push_back(std::move(fd));
  }
  return out;
}

constexpr std::array<std::string_view, 1> kAliases{"DL3020"};
constexpr RuleInfo kInfo{
    .id = "copy-not-add",
    .title = "ADD of local files or directories that COPY would copy",
    .aliases = kAliases,
    .severity = Severity::Error,
    .fix = FixAvailability::Sometimes,
    .applicability = Applicability::Safe,
    .commit_phrase = "copy local files with COPY",
    .why = "ADD also downloads URLs and unpacks archives; for plain files COPY says what happens.",
    .make = make_rule<rules::copy_not_add, check>,
    .page = pages::copy_not_add,
};

}  // namespace

namespace rules {
const RuleInfo& copy_not_add() { return kInfo; }
}  // namespace rules

}  // namespace dockerfix::fix
