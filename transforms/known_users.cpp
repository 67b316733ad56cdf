#include "transforms/rule_support.h"

namespace dockerfix::fix {

const model::KnownUser* user_with_uid(const model::Stage& s, uint32_t uid) {
  for (const auto& u : s.created_users)
    if (u.uid == uid) return &u;
  if (s.facts)
    for (const auto& u : s.facts->users)
      if (u.uid == uid) return &u;
  return nullptr;
}

}  // namespace dockerfix::fix
