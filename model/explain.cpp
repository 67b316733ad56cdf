#include "dockerfix/explain.h"

#include <fmt/format.h>

namespace dockerfix::model {

namespace {

const char* state_name(EffectiveUser::State s) {
  switch (s) {
    case EffectiveUser::State::Root: return "root";
    case EffectiveUser::State::NonRoot: return "non-root";
    case EffectiveUser::State::Unknown: return "unknown";
  }
  return "unknown";
}

nlohmann::json user_json(const EffectiveUser& u) {
  nlohmann::json j{{"state", state_name(u.state)}, {"name", u.name}, {"origin", u.origin}};
  j["uid"] = u.uid ? nlohmann::json(*u.uid) : nlohmann::json();
  if (!u.group.empty()) j["group"] = u.group;
  return j;
}

nlohmann::json known_user_json(const KnownUser& k) {
  nlohmann::json j{{"name", k.name}, {"home", k.home}};
  j["uid"] = k.uid ? nlohmann::json(*k.uid) : nlohmann::json();
  j["gid"] = k.gid ? nlohmann::json(*k.gid) : nlohmann::json();
  if (!k.shell.empty()) j["shell"] = k.shell;
  return j;
}

std::string user_text(const EffectiveUser& u) {
  if (u.state == EffectiveUser::State::Unknown) return fmt::format("unknown ({})", u.origin);
  std::string uid = u.uid ? fmt::format(" uid {}", *u.uid) : std::string(" uid ?");
  return fmt::format("{}{}{} ({})", u.name, uid, u.group.empty() ? "" : " group " + u.group, u.origin);
}

}  // namespace

nlohmann::json explain_json(const Dockerfile& file, const BuildModel& model) {
  nlohmann::json j;
  j["file"] = file.path;
  j["global_args"] = model.global_args;
  j["final_stage"] = model.final_stage ? nlohmann::json(*model.final_stage) : nlohmann::json();
  auto stages = nlohmann::json::array();
  for (const auto& s : model.stages) {
    nlohmann::json js;
    js["index"] = s.index;
    js["name"] = s.name;
    js["line"] = file.instructions[s.from_instruction].start_line;
    js["base"] = s.base_text;
    js["image"] = s.base.valid ? nlohmann::json(s.base.familiar()) : nlohmann::json();
    if (!s.platform.empty()) js["platform"] = s.platform;
    js["parent_stage"] = s.parent_stage ? nlohmann::json(*s.parent_stage) : nlohmann::json();
    if (s.facts) {
      js["knowledge"] = {{"entry", s.facts->id},
                         {"family", s.facts->family},
                         {"package_managers", s.facts->package_managers},
                         {"shell", s.facts->shell ? nlohmann::json(*s.facts->shell) : nlohmann::json()},
                         {"source", s.facts->source}};
    } else {
      js["knowledge"] = nullptr;
    }
    js["copies_from_stages"] = s.copies_from_stages;
    auto users = nlohmann::json::array();
    for (const auto& u : s.created_users) users.push_back(known_user_json(u));
    js["created_users"] = users;
    js["final_user"] = user_json(s.final_user);
    auto steps = nlohmann::json::array();
    for (size_t si : s.steps) {
      const Step& st = model.steps[si];
      const Instruction& ins = file.instructions[st.instruction];
      nlohmann::json jst{{"keyword", ins.keyword}, {"line", ins.start_line}, {"end_line", ins.end_line},
                         {"user", user_json(st.user)}, {"workdir", st.workdir}};
      if (ins.keyword == "RUN") {
        auto cmds = nlohmann::json::array();
        for (const auto& c : st.commands) {
          if (c.nested) continue;  // the sh -c string is shown as the word it is
          auto words = nlohmann::json::array();
          for (const auto& w : c.words) words.push_back({{"text", w.raw}, {"start", w.span.begin}, {"end", w.span.end}});
          cmds.push_back({{"argv", words}});
        }
        jst["commands"] = cmds;
        auto needs = nlohmann::json::array();
        for (const auto& n : st.needs_root) {
          nlohmann::json jn{{"reason", n.reason}, {"detail", n.detail}, {"command", n.command},
                            {"line", file.position(n.span.begin).first}};
          if (!n.script.empty()) {
            jn["script"] = n.script;
            jn["script_line"] = n.script_line;
          }
          needs.push_back(jn);
        }
        jst["needs_root"] = needs;
      }
      steps.push_back(jst);
    }
    js["steps"] = steps;
    stages.push_back(js);
  }
  j["stages"] = stages;
  j["notes"] = model.notes;
  return j;
}

std::string explain_text(const Dockerfile& file, const BuildModel& model) {
  std::string out;
  for (const auto& s : model.stages) {
    out += fmt::format("stage {}{}: FROM {}", s.index, s.name.empty() ? "" : " (" + s.name + ")", s.base_text);
    if (s.base.valid && s.base.raw != s.base_text) out += fmt::format(" = {}", s.base.familiar());
    if (model.final_stage == s.index) out += "  [final]";
    out += "\n";
    if (s.parent_stage) out += fmt::format("  inherits stage {}\n", *s.parent_stage);
    else if (s.facts) out += fmt::format("  image: {} ({}, {})\n", s.facts->id, s.facts->family,
                                         s.facts->package_managers.empty() ? "no package manager" : s.facts->package_managers.front());
    else out += "  image: unknown to the knowledge base\n";
    if (!s.parent_stage && !s.base.match_reason.empty()) out += fmt::format("  matched as {}: {}\n", s.base.match_repository, s.base.match_reason);
    for (size_t si : s.steps) {
      const Step& st = model.steps[si];
      const Instruction& ins = file.instructions[st.instruction];
      out += fmt::format("  {:>4}  {:<11} user {}  workdir {}\n", ins.start_line, ins.keyword, user_text(st.user), st.workdir);
      for (const auto& n : st.needs_root) {
        out += fmt::format("        needs root: {} — {}", n.reason, n.detail);
        if (!n.script.empty()) out += fmt::format(" ({}:{})", n.script, n.script_line);
        out += fmt::format(": {}\n", n.command);
      }
    }
    out += fmt::format("  final user: {}\n", user_text(s.final_user));
  }
  for (const auto& n : model.notes) out += "note: " + n + "\n";
  return out;
}

}  // namespace dockerfix::model
