#include "cli/check_json.h"

#include "cli/json_stream.h"
#include "dockerfix/rule_info.h"

namespace dockerfix::cli {

// The members in nlohmann's order (by key), as the entry was once built.
void append_file_json(std::string& out, const Dockerfile& file, const std::string& path,
                      const std::vector<fix::Finding>& findings) {
  out.append(4, ' ');
  JsonWriter j(out, 2);
  j.object().key("findings").array();
  for (const auto& f : findings) {
    auto [end_line, end_column] = file.position(f.span.end);
    const bool has_fix = !f.fix.empty() || f.after_other_fixes;
    j.object();
    if (f.after_other_fixes) j.key("after_other_fixes").boolean(true);
    j.key("applicability");
    if (has_fix) j.string(fix::to_string(f.applicability));
    else j.null();
    j.key("column").number(f.column).key("end_column").number(end_column).key("end_line").number(end_line);
    j.key("fix").array();
    for (const auto& e : f.fix)
      j.object().key("end").number(e.range.end).key("start").number(e.range.begin).key("text").string(e.text).end();
    j.end();
    j.key("fixable").boolean(f.will_fix).key("line").number(f.line).key("message").string(f.message);
    if (!f.no_fix_reason.empty()) j.key("no_fix_reason").string(f.no_fix_reason);
    j.key("rule").string(f.rule).key("severity").string(fix::to_string(f.severity));
    j.end();
  }
  j.end().key("path").string(path).end();
}

}  // namespace dockerfix::cli
