#include "dockerfix/json.h"

namespace dockerfix {

namespace {

const char* severity_name(Severity s) { return s == Severity::Error ? "error" : "warning"; }

nlohmann::json instruction_json(const Dockerfile& file, const Instruction& ins) {
  nlohmann::json j;
  j["keyword"] = ins.keyword;
  j["spelling"] = std::string(file.text(ins.keyword_span));
  j["start_line"] = ins.start_line;
  j["end_line"] = ins.end_line;
  j["start_offset"] = ins.span.begin;
  j["end_offset"] = ins.span.end;
  j["known"] = ins.known;
  auto flags = nlohmann::json::array();
  for (const auto& f : ins.flags) {
    nlohmann::json jf{{"name", f.name}, {"start", f.span.begin}, {"end", f.span.end}};
    if (f.value) jf["value"] = *f.value;
    flags.push_back(std::move(jf));
  }
  j["flags"] = std::move(flags);
  j["arguments"] = ins.arguments;
  j["arguments_start"] = ins.arguments_span.begin;
  j["arguments_end"] = ins.arguments_span.end;
  j["exec_form"] = ins.exec_form;
  if (ins.exec_form) j["exec"] = ins.exec;
  auto heredocs = nlohmann::json::array();
  for (const auto& h : ins.heredocs) {
    heredocs.push_back({{"name", h.name},
                        {"fd", h.fd},
                        {"expand", h.expand},
                        {"chomp", h.chomp},
                        {"body", h.body},
                        {"terminated", !h.terminator.empty()},
                        {"body_start", h.body_span.begin},
                        {"body_end", h.body_span.end}});
  }
  j["heredocs"] = std::move(heredocs);
  if (ins.onbuild) j["onbuild"] = instruction_json(file, *ins.onbuild);
  return j;
}

}  // namespace

nlohmann::json to_json(const Dockerfile& file) {
  nlohmann::json j;
  j["file"] = file.path;
  j["escape"] = std::string(1, file.escape);
  auto directives = nlohmann::json::array();
  for (const auto& d : file.directives) directives.push_back({{"name", d.name}, {"value", d.value}, {"line", d.line}});
  j["directives"] = std::move(directives);
  auto instructions = nlohmann::json::array();
  for (const auto& ins : file.instructions) instructions.push_back(instruction_json(file, ins));
  j["instructions"] = std::move(instructions);
  auto diagnostics = nlohmann::json::array();
  for (const auto& d : file.diagnostics) {
    diagnostics.push_back({{"severity", severity_name(d.severity)},
                           {"code", d.code},
                           {"message", d.message},
                           {"line", d.line},
                           {"column", d.column},
                           {"offset", d.offset}});
  }
  j["diagnostics"] = std::move(diagnostics);
  return j;
}

}  // namespace dockerfix
