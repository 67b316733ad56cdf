#include "transforms/rules/runtime_reasons.h"

#include <algorithm>
#include <array>
#include <string_view>

namespace dockerfix::fix {

namespace {

using Kind = model::EffectiveCommand::Kind;

// Services that run as any user: application and development servers that
// listen on high ports and write only their own files. Servers that start
// as root to bind low ports, drop privileges or manage the system (nginx,
// sshd, dockerd, named, smbd, ...) are not here.
bool unprivileged_service(const model::EffectiveCommand& c) {
  static constexpr std::array<std::string_view, 22> k{
      "gunicorn", "uvicorn",  "hypercorn",  "daphne",     "waitress-serve", "uwsgi",         "puma",     "unicorn",
      "streamlit", "jupyter", "code-server", "node-red",  "flask",          "rails",         "hugo",     "mkdocs",
      "jekyll",   "prometheus", "alertmanager", "node_exporter", "grafana-server", "grafana"};
  if (std::find(k.begin(), k.end(), c.process) != k.end()) return true;
  // python manage.py runserver, python -m http.server: the facts call them services.
  return !c.interpreted.empty() && (c.process.rfind("python", 0) == 0);
}

}  // namespace

std::string cited(const model::Evidence& e) {
  return e.source.empty() ? e.reason : e.reason + " (" + e.source + ")";
}

std::optional<std::string> needs_root(const std::optional<model::Evidence>& generated,
                                      const model::EffectiveCommand& command,
                                      const std::vector<model::PrivilegeDrop>& privilege_drops) {
  if (generated) return generated->reason;
  if (command.base_or_builder())
    return "the image has no command of its own (" + command.kind_reason + "); images built on it choose the user";
  if (!privilege_drops.empty()) return cited(privilege_drops.front().evidence) + " — it must start as root";
  return std::nullopt;
}

std::optional<std::string> needs_root(const model::RuntimeFacts& rf) {
  if (auto why = needs_root(rf.generated, rf.command, rf.privilege_drops)) return why;
  if (auto low = rf.privileged_ports(); !low.empty())
    return "it listens on port " + std::to_string(low.front()->port) + " (" + cited(low.front()->evidence) +
           ") — a non-root user cannot bind a port below 1024";
  if (!rf.capabilities.empty()) {
    const auto& c = rf.capabilities.front();
    return c.program + " needs " + c.capability + " (" + cited(c.evidence) + ") — a non-root user has no " + c.capability;
  }
  if (!rf.root_state.empty()) {
    const auto& s = rf.root_state.front();
    return s.path + " is written at run time and owned by root (" + cited(s.evidence) + ")";
  }
  if (rf.shell.state == model::ShellFact::State::Unknown && !rf.shell.evidence.reason.empty())
    return rf.shell.evidence.reason;
  return std::nullopt;
}

std::optional<std::string> not_known_harmless(const model::RuntimeFacts& rf) {
  const auto& c = rf.command;
  if (rf.family.inferred) return "base inferred as " + rf.family.family + ": " + rf.family.evidence.reason;
  if (c.kind != Kind::Service)
    return c.kind_reason.empty() ? std::string("what the command does is not known") : c.kind_reason;
  if (!unprivileged_service(c)) return c.kind_reason + ", and whether it needs root is not known";
  return std::nullopt;
}

}  // namespace dockerfix::fix

namespace dockerfix::fix {

namespace {
bool under(const std::string& path, const std::string& dir) {
  return !dir.empty() && dir != "/" && (path == dir || path.rfind(dir + "/", 0) == 0);
}
}  // namespace

std::string read_only_place(const model::Stage& stage, const std::string& path) {
  if (under(path, "/root")) return "/root is root's home";
  if (under(path, "/opt")) return "/opt holds installed software the program reads";
  // The tomcat images set CATALINA_HOME=/usr/local/tomcat; a WORKDIR of
  // $CATALINA_HOME is not expanded when the base image sets it.
  std::string home = "/usr/local/tomcat";
  if (auto it = stage.env.find("CATALINA_HOME"); it != stage.env.end()) home = it->second.first;
  if (under(path, home) || path.find("$CATALINA_HOME") != std::string::npos || path.find("${CATALINA_HOME}") != std::string::npos)
    return "CATALINA_HOME (" + home + ") holds the servlet container the program reads";
  return {};
}

std::string user_as_written(const Dockerfile& f, const model::BuildModel& m, const model::Stage& stage) {
  std::string out;
  for (size_t si : stage.steps) {
    const auto& ins = f.instructions[m.steps[si].instruction];
    if (ins.keyword == "USER") out = ins.arguments;
  }
  while (!out.empty() && (out.back() == ' ' || out.back() == '\t' || out.back() == '\r' || out.back() == '\n')) out.pop_back();
  return out.find('$') == std::string::npos ? std::string() : out;
}

}  // namespace dockerfix::fix

namespace dockerfix::fix {

std::optional<Chown> chown_of(const model::RunCommand& c) {
  if (c.name() != "chown") return std::nullopt;
  const std::vector<std::string> a = c.argv();
  Chown out;
  std::vector<std::string> ops;
  for (size_t i = 1; i < a.size(); ++i) {
    if (a[i] == "-R" || a[i] == "--recursive") out.recursive = true;
    else if (!a[i].empty() && a[i][0] != '-') ops.push_back(a[i]);
  }
  if (ops.size() < 2) return std::nullopt;
  out.who = ops[0].substr(0, ops[0].find_first_of(":."));
  out.paths.assign(ops.begin() + 1, ops.end());
  return out;
}

}  // namespace dockerfix::fix
