#include "transforms/rules/label_checks.h"

#include <regex>

#include "transforms/rule_support.h"
#include "transforms/rules/rule_queries.h"

namespace dockerfix::fix {

namespace {

// labels() of one model.
struct KnownLabels {
  bool read = false;
  std::vector<LabelPair> pairs;
};

}  // namespace

const std::vector<LabelPair>& labels(const Context& ctx) {
  auto& known = ctx.model.derived.slot<KnownLabels>();
  if (!known.read) {
    for (size_t i = 0; i < ctx.file.instructions.size(); ++i) {
      const auto& ins = ctx.file.instructions[i];
      if (ins.keyword != "LABEL") continue;
      for (auto& [k, v] : key_value_pairs(ins, ctx.file.escape)) known.pairs.push_back({k, v, i});
    }
    known.read = true;
  }
  return known.pairs;
}

bool valid_url(std::string_view v) {
  static const std::regex re(R"(^[A-Za-z][A-Za-z0-9+.-]*:[^\s]+$)");
  return std::regex_match(v.begin(), v.end(), re);
}

bool valid_semver(std::string_view v) {
  static const std::regex re(
      R"(^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-((0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*)(\.(0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*))*))?(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$)");
  return std::regex_match(v.begin(), v.end(), re);
}

bool valid_rfc3339(std::string_view v) {
  static const std::regex re(R"(^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])[Tt ]([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?([Zz]|[+-]([01]\d|2[0-3]):[0-5]\d)$)");
  return std::regex_match(v.begin(), v.end(), re);
}

bool valid_git_hash(std::string_view v) {
  return (v.size() == 7 || v.size() == 40) &&
         std::all_of(v.begin(), v.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

bool valid_email(std::string_view v) {
  static const std::regex re(R"(^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$)");
  return std::regex_match(v.begin(), v.end(), re);
}

std::vector<Finding> bad_labels(const Context& ctx, std::string_view id, std::string_view type, bool (*valid)(std::string_view),
                                std::string_view what) {
  std::vector<Finding> out;
  const auto& schema = ctx.options.label_schema;
  if (schema.empty()) return out;  // no label has a type
  for (const auto& l : labels(ctx)) {
    auto it = schema.find(l.key);
    if (it == schema.end() || it->second != type || l.value.empty() || valid(l.value)) continue;
    const auto& ins = ctx.file.instructions[l.instruction];
    out.push_back(make_finding(ctx.file, id, "label " + l.key + " is not " + std::string(what) + ": " + l.value, ins.arguments_span));
  }
  return out;
}

}  // namespace dockerfix::fix
