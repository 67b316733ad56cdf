#include "cli/rule_docs.h"

#include <fmt/format.h>

#include "dockerfix/rule_info.h"

namespace dockerfix::cli {

namespace {

std::string fix_cell(const fix::RuleInfo& r) {
  if (r.fix == fix::FixAvailability::Never) return "none";
  return fmt::format("{} ({})", fix::to_string(r.fix), fix::to_string(r.applicability));
}

}  // namespace

std::string readme_rules_region() {
  std::string out = "\n| rule | severity | fix | aliases | what it finds |\n|---|---|---|---|---|\n";
  for (const fix::RuleInfo* r : fix::rule_table()) {
    std::string aliases;
    for (auto a : r->aliases) aliases += (aliases.empty() ? "" : ", ") + fmt::format("`{}`", a);
    out += fmt::format("| [`{}`](docs/rules/{}.md) | {} | {} | {} | {} |\n", r->id, r->id, fix::to_string(r->severity),
                       fix_cell(*r), aliases, r->title);
  }
  out += "\n<!-- Generated from the rule table by `dockerfix rules --format markdown --write docs/rules`. -->\n";
  return out;
}

std::optional<std::string> with_readme_rules(std::string_view readme) {
  auto begin = readme.find(kRulesBegin);
  if (begin == std::string_view::npos) return std::nullopt;
  auto from = begin + kRulesBegin.size();
  auto end = readme.find(kRulesEnd, from);
  if (end == std::string_view::npos) return std::nullopt;
  return std::string(readme.substr(0, from)) + readme_rules_region() + std::string(readme.substr(end));
}

std::optional<std::string> with_schema_rule_enum(std::string_view schema) {
  auto prop = schema.find("\"rule\": {");
  if (prop == std::string_view::npos) return std::nullopt;
  auto close = schema.find('}', prop);
  auto key = schema.find("\"enum\":", prop);
  if (key == std::string_view::npos || key > close) return std::nullopt;
  auto open = schema.find('[', key);
  auto end = schema.find(']', open);
  if (open == std::string_view::npos || end == std::string_view::npos || end > close) return std::nullopt;
  // Continuation lines line up after the bracket, wrapped before column 110,
  // as the file is written by hand elsewhere.
  auto line_start = schema.rfind('\n', open);
  size_t column = open - (line_start == std::string_view::npos ? 0 : line_start + 1) + 1;
  std::string list, line;
  for (const fix::RuleInfo* r : fix::rule_table()) {
    std::string item = fmt::format("\"{}\"", r->id);
    if (!line.empty() && column + line.size() + item.size() + 2 > 110) {
      list += line + ",\n" + std::string(column, ' ');
      line.clear();
    } else if (!line.empty()) {
      line += ", ";
    }
    line += item;
  }
  list += line;
  return std::string(schema.substr(0, open + 1)) + list + std::string(schema.substr(end));
}

}  // namespace dockerfix::cli
