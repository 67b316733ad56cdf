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
  X(pin_base_digest)           \
  X(no_empty_continuation)     \
  X(maintainer_deprecated)     \
  X(legacy_key_value_format)   \
  X(json_args_recommended)     \
  X(redundant_target_platform) \
  X(multiple_instructions_disallowed) \
  X(expose_proto_casing)       \
  X(consistent_instruction_casing) \
  X(stage_name_casing)         \
  X(from_as_casing)            \
  X(duplicate_stage_name)      \
  X(reserved_stage_name)       \
  X(undefined_arg_in_from)     \
  X(workdir_relative_path)     \
  X(undefined_var)             \
  X(invalid_base_image_platform) \
  X(secrets_used_in_arg_or_env) \
  X(invalid_default_arg_in_from) \
  X(from_platform_flag_const_disallowed) \
  X(copy_ignored_file)         \
  X(invalid_definition_description) \
  X(expose_invalid_format)     \
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
