// The lists of rules kept outside the rule table, made from it: the JSON
// schema's rule enum and README's rule table (between `<!-- rules:begin -->`
// and `<!-- rules:end -->`). `dockerfix rules --format markdown --write
// docs/rules` rewrites both in place; tests/rule_table_test.cpp keeps the
// committed ones current.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace dockerfix::cli {

inline constexpr std::string_view kRulesBegin = "<!-- rules:begin -->";
inline constexpr std::string_view kRulesEnd = "<!-- rules:end -->";

// README's region between the markers (markers excluded).
std::string readme_rules_region();

// `readme` with its region replaced; nullopt when the markers are missing.
std::optional<std::string> with_readme_rules(std::string_view readme);

// `schema` (docs/check-json.schema.json) with the finding's rule enum set to
// the table's ids, the rest of the text untouched; nullopt when it has no
// `"rule": {... "enum": [...]}` property.
std::optional<std::string> with_schema_rule_enum(std::string_view schema);

}  // namespace dockerfix::cli
