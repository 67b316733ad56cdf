#include "cli/ci_formats.h"

#include <openssl/evp.h>

#include <map>

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

}  // namespace

bool is_ci_format(const std::string& format) {
  return format == "checkstyle" || format == "codeclimate" || format == "gitlab_codeclimate";
}

void CiReport::add(const std::string& path, const fix::Finding& f) {
  std::string message = f.message;
  if (!f.no_fix_reason.empty() && f.fix.empty() && !f.after_other_fixes) message += " (no fix: " + f.no_fix_reason + ")";
  items_.push_back({path, f.rule, message, f.line, f.column, fix::severity_of(f)});
}

void CiReport::add_error(const std::string& path, const std::string& message) {
  items_.push_back({path, "dockerfix", message, 1, 1, fix::Severity::Error});
}

std::string CiReport::dump() const {
  if (format_ == "checkstyle") {
    std::map<std::string, std::vector<const Item*>> by_file;  // every file once, in name order
    for (const auto& i : items_) by_file[i.path].push_back(&i);
    std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<checkstyle version=\"4.3\">\n";
    for (const auto& [path, items] : by_file) {
      out += fmt::format("  <file name=\"{}\">\n", xml_attr(path));
      for (const Item* i : items)
        out += fmt::format("    <error line=\"{}\" column=\"{}\" severity=\"{}\" message=\"{}\" source=\"{}\"/>\n", i->line,
                           i->column, checkstyle_severity(i->severity), xml_attr(i->message), xml_attr(i->rule));
      out += "  </file>\n";
    }
    return out + "</checkstyle>\n";
  }
  const bool gitlab = format_ == "gitlab_codeclimate";
  auto all = nlohmann::json::array();
  std::string stream;
  for (const auto& i : items_) {
    nlohmann::json issue{{"type", "issue"},
                         {"check_name", i.rule},
                         {"description", i.message},
                         {"categories", {"Bug Risk"}},
                         {"location", {{"path", i.path}, {"lines", {{"begin", i.line}, {"end", i.line}}}}},
                         {"severity", climate_severity(i.severity)}};
    if (gitlab) {
      issue["fingerprint"] = sha256_hex(fmt::format("{}\n{}\n{}\n{}\n{}", i.path, i.rule, i.line, i.column, i.message));
      all.push_back(std::move(issue));
    } else {
      stream += issue.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
      stream += '\0';
    }
  }
  return gitlab ? all.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n" : stream;
}

}  // namespace dockerfix::cli
