// The options of every rule that creates or names the non-root user: they
// share one value (a uid set under two rules must agree).
#pragma once

#include <array>

#include "dockerfix/rule_info.h"
#include "dockerfix/values.h"

namespace dockerfix::fix {

inline constexpr std::array<RuleOption, 4> kUserOptions{{
    {"user", "user", OptionType::UserName, 0, 0, "a user name", "agent",
     "name of the non-root user to create (a-z, then a-z 0-9 _ -)"},
    {"uid", "uid", OptionType::Id, kMinId, kMaxId, "a number", "1000", "uid for created users (1-2147483646)"},
    {"gid", "gid", OptionType::Id, kMinId, kMaxId, "a number", "1000", "gid for created groups (1-2147483646)"},
    {"numeric-user", "numeric-user", OptionType::Bool, 0, 0, "true or false", "false",
     "write USER uid:gid (Kubernetes runAsNonRoot can verify it)"},
}};

}  // namespace dockerfix::fix
