// The one place rules are registered: one line per rule folder, in the order
// fixes are applied (an earlier rule's fix may give a later one work, never
// the other way round).
#include <algorithm>
#include <memory>

#include "dockerfix/fix.h"
#include "dockerfix/rule_info.h"

#define DOCKERFIX_RULES(X)     \
  X(explicit_uid)              \
  X(root_for_privileged_steps) \
  X(nonroot_final_user)        \
  X(copy_chown)                \
  X(workdir_owner)             \
  X(docker_socket_group)       \
  X(healthcheck)               \
  X(network_retry)             \
  X(pin_base_digest)             \
  X(k8s_nonroot_verifiable)    \
  X(k8s_ids_match_image)       \
  X(k8s_container_hardening)

namespace dockerfix::fix {

namespace rules {
#define DOCKERFIX_DECLARE(name) const RuleInfo& name();
DOCKERFIX_RULES(DOCKERFIX_DECLARE)
#undef DOCKERFIX_DECLARE
}  // namespace rules

std::span<const RuleInfo* const> rule_table() {
#define DOCKERFIX_LIST(name) &rules::name(),
  static const RuleInfo* const table[] = {DOCKERFIX_RULES(DOCKERFIX_LIST)};
#undef DOCKERFIX_LIST
  return table;
}

const std::vector<std::unique_ptr<Rule>>& registry() {
  static const std::vector<std::unique_ptr<Rule>> rules = [] {
    std::vector<std::unique_ptr<Rule>> r;
    // Repository rules (Kubernetes manifests) are run by the CLI, not per Dockerfile.
    for (const RuleInfo* info : rule_table())
      if (info->scope == Scope::Dockerfile) r.push_back(info->make());
    return r;
  }();
  return rules;
}

}  // namespace dockerfix::fix
