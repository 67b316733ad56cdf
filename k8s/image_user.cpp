#include "k8s/image_user.h"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace dockerfix::k8s {

namespace {

std::optional<uint32_t> to_id(std::string_view s) {
  uint32_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

}  // namespace

ImageUser image_user_of(const Dockerfile& file, const model::BuildModel& model) {
  ImageUser u;
  if (!model.final_stage || *model.final_stage >= model.stages.size()) return u;
  const model::Stage& stage = model.stages[*model.final_stage];
  const model::EffectiveUser& eu = stage.final_user;
  u.name = eu.name.empty() ? "root" : eu.name;
  u.uid = eu.uid;
  if (eu.is_root()) u.uid = 0;
  // The last USER instruction of the final stage.
  for (auto it = stage.steps.rbegin(); it != stage.steps.rend(); ++it) {
    const model::Step& step = model.steps[*it];
    const Instruction& ins = file.instructions[step.instruction];
    if (ins.keyword != "USER") continue;
    u.user_line = ins.start_line;
    std::string spec = ins.arguments;
    std::string user = spec.substr(0, spec.find(':'));
    u.numeric_in_user_instruction = to_id(user).has_value();
    if (auto colon = spec.find(':'); colon != std::string::npos) u.gid = to_id(spec.substr(colon + 1));
    break;
  }
  // Ids the stage (or its base image) gives the user or its group.
  auto match = [&](const model::KnownUser& k) { return k.name == eu.name || (eu.uid && k.uid == eu.uid); };
  const model::KnownUser* known = nullptr;
  for (auto it = stage.created_users.rbegin(); it != stage.created_users.rend() && !known; ++it)
    if (match(*it)) known = &*it;
  if (!known && stage.facts)
    for (const auto& k : stage.facts->users)
      if (match(k)) known = &k;
  if (known) {
    if (!u.uid) u.uid = known->uid;
    if (!u.gid) u.gid = known->gid;
  }
  if (!u.gid && !eu.group.empty()) {
    u.gid = to_id(eu.group);
    if (!u.gid) {
      for (const auto& g : stage.created_groups)
        if (g.name == eu.group) u.gid = g.gid;
    }
  }
  // useradd (and adduser) give a new user a group of its own name.
  if (!u.gid)
    for (const auto& g : stage.created_groups)
      if (g.name == u.name) u.gid = g.gid;
  if (u.uid == 0u && !u.gid) u.gid = 0;
  return u;
}

}  // namespace dockerfix::k8s
