#include "cli/ci_formats.h"

#include <openssl/evp.h>

#include <span>
#include <vector>


namespace dockerfix::cli {

namespace {

// Text for an XML attribute, appended to `out`: markup characters escaped,
// and bytes XML 1.0 cannot hold at all (control characters) replaced.
void xml_attr(std::string& out, std::string_view s) {
  for (unsigned char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      case '\n': out += "&#10;"; break;
      case '\t': out += "&#9;"; break;
      default: out += c < 0x20 ? '?' : static_cast<char>(c);
    }
  }
}

std::string_view checkstyle_severity(fix::Severity s) {
  switch (s) {
    case fix::Severity::Error: return "error";
    case fix::Severity::Warning: return "warning";
    default: return "info";
  }
}

// Code Climate's severities, mapped as hadolint maps its levels.
std::string_view climate_severity(fix::Severity s) {
  switch (s) {
    case fix::Severity::Error: return "blocker";
    case fix::Severity::Warning: return "major";
    case fix::Severity::Info: return "info";
    case fix::Severity::Style: return "minor";
  }
  return "major";
}

std::string sha256_hex(std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(text.data(), text.size(), digest, &size, EVP_sha256(), nullptr);
  std::string out;
  for (unsigned int i = 0; i < size; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 0xF];
  }
  return out;
}

struct Item {
  std::string_view path, rule;
  std::string message;
  int line = 0, column = 0;
  fix::Severity severity = fix::Severity::Warning;
};

// Issues as a Code Climate engine or GitLab reads them; the members in
// nlohmann's order (by key), as they were once built.
void climate_issue(std::string& out, const Item& i, bool gitlab) {
  if (gitlab) out.append(2, ' ');
  JsonWriter j = gitlab ? JsonWriter(out, 1) : JsonWriter::compact(out);
  j.object();
  j.key("categories").array().string("Bug Risk").end();
  j.key("check_name").string(i.rule);
  j.key("description").string(i.message);
  if (gitlab) {
    std::string key(i.path);
    key += '\n';
    key += i.rule;
    key += '\n';
    key += std::to_string(i.line);
    key += '\n';
    key += std::to_string(i.column);
    key += '\n';
    key += i.message;
    j.key("fingerprint").string(sha256_hex(key));
  }
  j.key("location").object().key("lines").object().key("begin").number(i.line).key("end").number(i.line).end();
  j.key("path").string(i.path).end();
  j.key("severity").string(climate_severity(i.severity));
  j.key("type").string("issue");
  j.end();
  if (!gitlab) out += '\0';
}

// A file's items: one <file> element, issues each ended with a NUL, or
// GitLab's issues, each an item of the report's array (",\n" between them).
std::string render_items(const std::string& format, std::span<const Item> items) {
  std::string out;
  if (items.empty()) return out;
  if (format == "checkstyle") {
    out += "  <file name=\"";
    xml_attr(out, items.front().path);
    out += "\">\n";
    for (const Item& i : items) {
      out += "    <error line=\"";
      out += std::to_string(i.line);
      out += "\" column=\"";
      out += std::to_string(i.column);
      out += "\" severity=\"";
      out += checkstyle_severity(i.severity);
      out += "\" message=\"";
      xml_attr(out, i.message);
      out += "\" source=\"";
      xml_attr(out, i.rule);
      out += "\"/>\n";
    }
    out += "  </file>\n";
    return out;
  }
  const bool gitlab = format == "gitlab_codeclimate";
  for (const Item& i : items) {
    if (gitlab && !out.empty()) out += ",\n";
    climate_issue(out, i, gitlab);
  }
  return out;
}

}  // namespace

bool is_ci_format(const std::string& format) {
  return format == "checkstyle" || format == "codeclimate" || format == "gitlab_codeclimate";
}

std::string CiWriter::begin() {
  if (format_ == "checkstyle") return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<checkstyle version=\"4.3\">\n";
  if (format_ == "gitlab_codeclimate") return gitlab_.open();
  return {};
}

std::string CiWriter::render(const std::string& format, const std::string& path, const std::vector<fix::Finding>& findings) {
  std::vector<Item> items;
  for (const auto& f : findings) {
    std::string message = f.message;
    if (!f.no_fix_reason.empty() && f.fix.empty() && !f.after_other_fixes) message += " (no fix: " + f.no_fix_reason + ")";
    items.push_back({path, f.rule, std::move(message), f.line, f.column, f.severity});
  }
  return render_items(format, items);
}

std::string CiWriter::add(const std::string& rendered) {
  if (format_ == "gitlab_codeclimate") return rendered.empty() ? std::string() : gitlab_.item(rendered);
  return rendered;
}

std::string CiWriter::add_error(const std::string& path, const std::string& message) {
  const Item error{path, "dockerfix", message, 1, 1, fix::Severity::Error};
  return add(render_items(format_, {&error, 1}));
}

std::string CiWriter::end() {
  if (format_ == "checkstyle") return "</checkstyle>\n";
  if (format_ == "gitlab_codeclimate") return gitlab_.close(true);
  return {};
}

}  // namespace dockerfix::cli
