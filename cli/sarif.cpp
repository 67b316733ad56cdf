#include "cli/sarif.h"
#include "cli/json_stream.h"
#include "cli/version.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <string_view>

#include <fmt/format.h>

#include "dockerfix/rule_info.h"
#include "git/commit_message.h"


namespace dockerfix::cli {

namespace {

std::string uri_of(const std::string& path) {
  std::string p = path == "-" ? "stdin" : path;
  if (p.rfind("./", 0) == 0) p = p.substr(2);
  std::string out;
  // RFC 3986 path characters stay; everything else (spaces, '#', '?', '%',
  // non-ASCII bytes) is percent-encoded.
  static constexpr std::string_view kKeep = "-._~/!$&'()*+,;=:@";
  for (char c : p) {
    auto b = static_cast<unsigned char>(c);
    if (std::isalnum(b) && b < 0x80) out += c;
    else if (kKeep.find(c) != std::string_view::npos) out += c;
    else out += fmt::format("%{:02X}", b);
  }
  return out;
}

// "copy-chown" -> "CopyChown": SARIF wants a readable name distinct from the id.
std::string pascal(const std::string& id) {
  std::string out;
  bool up = true;
  for (char c : id) {
    if (c == '-') {
      up = true;
      continue;
    }
    out += up ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
    up = false;
  }
  return out;
}

std::string_view level_of(fix::Severity s) {
  switch (s) {
    case fix::Severity::Error: return "error";
    case fix::Severity::Warning: return "warning";
    default: return "note";
  }
}

}  // namespace

// The layout: the log's members, then the one run's: tool, base ids and
// column kind, then the results as they come, then the invocation, which
// needs to know whether any file was refused.
std::string SarifWriter::begin() {
  auto rules = nlohmann::json::array();
  for (const fix::RuleInfo* r : fix::rule_table()) {
    std::string id(r->id), title(r->title);
    nlohmann::json rule{{"id", id},
                        {"name", pascal(id)},
                        {"shortDescription", {{"text", title}}},
                        {"fullDescription", {{"text", title}}},
                        {"help", {{"text", "dockerfix rule " + id + ": " + title +
                                               ". Run `dockerfix apply` to fix, or add `# dockerfix ignore=" + id +
                                               "` on the line before the instruction."}}},
                        {"helpUri", gitlayer::rule_docs_url(id)},
                        {"defaultConfiguration", {{"level", level_of(r->severity)}, {"enabled", r->enabled_by_default}}}};
    nlohmann::json props{{"tags", nlohmann::json::array()}};
    if (r->security) {
      props["tags"].push_back("security");
      props["security-severity"] = std::string(r->security_severity);
    }
    if (!r->aliases.empty()) {
      auto aliases = nlohmann::json::array();
      for (auto a : r->aliases) aliases.push_back(std::string(a));
      props["aliases"] = aliases;
    }
    rule["properties"] = props;
    rules.push_back(std::move(rule));
  }
  nlohmann::json driver{{"name", "dockerfix"},
                        {"informationUri", gitlayer::project_url()},
                        {"version", kVersion},
                        {"semanticVersion", kVersion},
                        {"rules", rules}};
  std::string out = "{\n";
  out += json_member("$schema", "https://json.schemastore.org/sarif-2.1.0.json", 1);
  out += json_member("version", "2.1.0", 1);
  out += "  \"runs\": [\n    {\n";
  out += json_member("tool", {{"driver", driver}}, 3);
  out += json_member("originalUriBaseIds", {{"SRCROOT", {{"description", {{"text", "The directory dockerfix ran in."}}}}}}, 3);
  out += json_member("columnKind", "unicodeCodePoints", 3);
  out += results_.open("results");
  return out;
}

SarifWriter::Artifact SarifWriter::artifact(const std::string& path) {
  // A path that leaves the directory dockerfix ran in cannot be relative to
  // SRCROOT, and '..' in a URI is unsafe (SARIF1002): make it absolute.
  std::filesystem::path p = std::filesystem::path(path).lexically_normal();
  std::error_code ec;
  if (path != "-" && (p.is_absolute() || p.generic_string().starts_with("..")))
    p = std::filesystem::weakly_canonical(std::filesystem::absolute(p, ec), ec);
  Artifact a;
  a.absolute = p.is_absolute();
  a.uri = a.absolute ? "file://" + uri_of(p.generic_string()) : uri_of(path == "-" ? path : p.generic_string());
  return a;
}

namespace {

// The byte column (1-based) of `offset` in `text` counted in code points,
// the run's columnKind. Input is valid UTF-8 (the CLI refuses any other), so
// a code point is a byte that is not a continuation byte. Without the text
// (or with a position it does not hold) the column stays as it is.
int code_point_column(std::string_view text, size_t offset, int column) {
  if (column < 1 || offset > text.size() || static_cast<size_t>(column - 1) > offset) return column;
  int points = 1;
  for (size_t i = offset - static_cast<size_t>(column - 1); i < offset; ++i)
    points += (static_cast<unsigned char>(text[i]) & 0xC0) != 0x80;
  return points;
}

}  // namespace

std::string SarifWriter::results(const Dockerfile& file, const std::string& path, const std::vector<fix::Finding>& findings) {
  std::string out;
  if (findings.empty()) return out;
  const Artifact where = artifact(path);
  for (const auto& f : findings) {
    if (!out.empty()) out += ",\n";
    const uint32_t end = f.span.end > f.span.begin ? f.span.end : f.span.begin;
    auto [end_line, end_column] = file.position(end);
    int start_column = f.column;
    if (f.line >= 1 && static_cast<size_t>(f.line) <= file.line_starts.size())
      start_column = code_point_column(file.source, file.line_starts[f.line - 1] + std::max(f.column - 1, 0), f.column);
    write_result(out, where, f, start_column, end_line, code_point_column(file.source, end, end_column));
  }
  return out;
}

std::string SarifWriter::result(const std::string& path, const fix::Finding& f, int end_line, int end_column,
                                std::string_view text) {
  std::string out;
  const uint32_t end = f.span.end > f.span.begin ? f.span.end : f.span.begin;
  write_result(out, artifact(path), f, code_point_column(text, f.span.begin, f.column), end_line,
               code_point_column(text, end, end_column));
  return out;
}

// The members in nlohmann's order (by key), as the result was once built.
void SarifWriter::write_result(std::string& out, const Artifact& where, const fix::Finding& f, int start_column,
                               int end_line, int end_column) {
  size_t index = 0;
  const auto table = fix::rule_table();
  for (; index < table.size(); ++index)
    if (table[index]->id == f.rule) break;
  auto location = [&](JsonWriter& j) {
    j.key("artifactLocation").object().key("uri").string(where.uri);
    if (!where.absolute) j.key("uriBaseId").string("SRCROOT");
    j.end();
  };
  out.append(8, ' ');
  JsonWriter j(out, 4);
  j.object();
  if (!f.fix.empty()) {
    j.key("fixes").array().object().key("artifactChanges").array().object();
    location(j);
    j.key("replacements").array();
    for (const auto& e : f.fix) {
      j.object().key("deletedRegion").object().key("byteLength").number(e.range.size()).key("byteOffset").number(e.range.begin);
      j.end().key("insertedContent").object().key("text").string(e.text).end().end();
    }
    j.end().end().end();  // replacements, the change, artifactChanges
    j.key("description").object().key("text").string("dockerfix " + f.rule).end();
    j.end().end();  // the fix, fixes
  }
  j.key("level").string(level_of(f.severity));
  j.key("locations").array().object().key("physicalLocation").object();
  location(j);
  j.key("region").object().key("endColumn").number(end_column).key("endLine").number(end_line);
  j.key("startColumn").number(start_column).key("startLine").number(f.line).end();
  j.end().end().end();  // physicalLocation, the location, locations
  j.key("message").object().key("text");
  if (f.no_fix_reason.empty()) j.string(f.message);
  else j.string(f.message + " (no fix: " + f.no_fix_reason + ")");
  j.end();
  j.key("properties").object();
  if (f.after_other_fixes) j.key("afterOtherFixes").boolean(true);
  j.key("applicability");
  if (f.fix.empty() && !f.after_other_fixes) j.null();
  else j.string(fix::to_string(f.applicability));
  j.end();
  j.key("ruleId").string(f.rule);
  if (index < table.size()) j.key("ruleIndex").number(index);  // shellcheck's SCxxxx are not in the table
  j.end();
}

std::string SarifWriter::add(const std::string& rendered) { return results_.item(rendered); }

void SarifWriter::add_error(const std::string& message) {
  notifications_.push_back({{"level", "error"}, {"message", {{"text", message}}}});
}

std::string SarifWriter::end() {
  std::string out = results_.close(false);
  nlohmann::json invocation{{"executionSuccessful", notifications_.empty()}, {"toolExecutionNotifications", notifications_}};
  out += json_member("invocations", nlohmann::json::array({invocation}), 3, true);
  out += "    }\n  ]\n}";
  return out;
}

}  // namespace dockerfix::cli
