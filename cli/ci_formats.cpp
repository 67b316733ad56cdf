#include "cli/ci_formats.h"

#include <openssl/evp.h>

#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace dockerfix::cli {

namespace {

// Text for an XML attribute: markup characters escaped, and bytes XML 1.0
// cannot hold at all (control characters) replaced.
std::string xml_attr(std::string_view s) {
  std::string out;
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
  return out;
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

std::string sha256_hex(const std::string& text) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(text.data(), text.size(), digest, &size, EVP_sha256(), nullptr);
  std::string out;
  for (unsigned int i = 0; i < size; ++i) out += fmt::format("{:02x}", digest[i]);
  return out;
}

struct Item {
  std::string path, rule, message;
  int line = 0, column = 0;
  fix::Severity severity = fix::Severity::Warning;
};

std::vector<std::string> render_items(const std::string& format, const std::vector<Item>& items) {
  std::vector<std::string> out;
  if (items.empty()) return out;
  if (format == "checkstyle") {
    std::string file = fmt::format("  <file name=\"{}\">\n", xml_attr(items.front().path));
    for (const Item& i : items)
      file += fmt::format("    <error line=\"{}\" column=\"{}\" severity=\"{}\" message=\"{}\" source=\"{}\"/>\n", i.line,
                          i.column, checkstyle_severity(i.severity), xml_attr(i.message), xml_attr(i.rule));
    out.push_back(file + "  </file>\n");
    return out;
  }
  const bool gitlab = format == "gitlab_codeclimate";
  for (const Item& i : items) {
    nlohmann::json issue{{"type", "issue"},
                         {"check_name", i.rule},
                         {"description", i.message},
                         {"categories", {"Bug Risk"}},
                         {"location", {{"path", i.path}, {"lines", {{"begin", i.line}, {"end", i.line}}}}},
                         {"severity", climate_severity(i.severity)}};
    if (gitlab) {
      issue["fingerprint"] = sha256_hex(fmt::format("{}\n{}\n{}\n{}\n{}", i.path, i.rule, i.line, i.column, i.message));
      out.push_back(json_at(issue, 1));
    } else {
      out.push_back(issue.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + '\0');
    }
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

std::vector<std::string> CiWriter::render(const std::string& format, const std::string& path,
                                          const std::vector<fix::Finding>& findings) {
  std::vector<Item> items;
  for (const auto& f : findings) {
    std::string message = f.message;
    if (!f.no_fix_reason.empty() && f.fix.empty() && !f.after_other_fixes) message += " (no fix: " + f.no_fix_reason + ")";
    items.push_back({path, f.rule, message, f.line, f.column, f.severity});
  }
  return render_items(format, items);
}

std::string CiWriter::add(const std::vector<std::string>& rendered) {
  std::string out;
  for (const auto& r : rendered) out += format_ == "gitlab_codeclimate" ? gitlab_.item(r) : r;
  return out;
}

std::string CiWriter::add_error(const std::string& path, const std::string& message) {
  return add(render_items(format_, {{path, "dockerfix", message, 1, 1, fix::Severity::Error}}));
}

std::string CiWriter::end() {
  if (format_ == "checkstyle") return "</checkstyle>\n";
  if (format_ == "gitlab_codeclimate") return gitlab_.close(true);
  return {};
}

}  // namespace dockerfix::cli
