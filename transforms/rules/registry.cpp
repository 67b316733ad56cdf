// The one place rules are registered: one line per rule folder, in the order
// fixes are applied (an earlier rule's fix may give a later one work, never
// the other way round).
#include <algorithm>
#include <memory>

#include "dockerfix/fix.h"
#include "dockerfix/rule_info.h"

#define DOCKERFIX_RULES(X)               \
  X(explicit_uid)                        \
  X(root_for_privileged_steps)           \
  X(nonroot_final_user)                  \
  X(copy_not_add)                        \
  X(copy_then_chown)                     \
  X(copy_chown)                          \
  X(workdir_owner)                       \
  X(docker_socket_group)                 \
  X(healthcheck)                         \
  X(network_retry)                       \
  X(pin_base_digest)                     \
  X(no_empty_continuation)               \
  X(maintainer_deprecated)               \
  X(legacy_key_value_format)             \
  X(json_args_recommended)               \
  X(redundant_target_platform)           \
  X(multiple_instructions_disallowed)    \
  X(expose_proto_casing)                 \
  X(consistent_instruction_casing)       \
  X(stage_name_casing)                   \
  X(from_as_casing)                      \
  X(duplicate_stage_name)                \
  X(reserved_stage_name)                 \
  X(undefined_arg_in_from)               \
  X(workdir_relative_path)               \
  X(undefined_var)                       \
  X(invalid_base_image_platform)         \
  X(secrets_used_in_arg_or_env)          \
  X(invalid_default_arg_in_from)         \
  X(from_platform_flag_const_disallowed) \
  X(copy_ignored_file)                   \
  X(invalid_definition_description)      \
  X(expose_invalid_format)               \
  X(workdir_not_cd)                      \
  X(apt_get_yes)                         \
  X(apt_no_install_recommends)           \
  X(apt_get_not_apt)                     \
  X(apt_lists_removed)                   \
  X(apt_pin_versions)                    \
  X(apk_no_cache)                        \
  X(apk_pin_versions)                    \
  X(pip_no_cache_dir)                    \
  X(pip_pin_versions)                    \
  X(npm_pin_versions)                    \
  X(gem_pin_versions)                    \
  X(go_pin_versions)                     \
  X(yum_yes)                             \
  X(yum_clean)                           \
  X(yum_pin_versions)                    \
  X(dnf_yes)                             \
  X(dnf_clean)                           \
  X(dnf_pin_versions)                    \
  X(zypper_non_interactive)              \
  X(zypper_clean)                        \
  X(zypper_pin_versions)                 \
  X(zypper_no_dist_upgrade)              \
  X(yarn_cache_clean)                    \
  X(useradd_no_log_init)                 \
  X(wget_progress)                       \
  X(wget_or_curl)                        \
  X(pipefail)                            \
  X(copy_multiple_sources_dir)           \
  X(copy_from_known_stage)               \
  X(copy_from_own_stage)                 \
  X(copy_relative_without_workdir)       \
  X(copy_whole_filesystem)               \
  X(add_to_extract)                      \
  X(unfit_container_commands)            \
  X(no_sudo)                             \
  X(image_tag)                           \
  X(no_latest_tag)                       \
  X(trusted_registries)                  \
  X(expose_port_range)                   \
  X(onbuild_forbidden_trigger)           \
  X(env_self_reference)                  \
  X(instruction_order)                   \
  X(consecutive_run)                     \
  X(user_non_numeric)                    \
  X(shell_instruction_not_ln)            \
  X(label_key_format)                    \
  X(label_missing)                       \
  X(label_superfluous)                   \
  X(label_empty)                         \
  X(label_url)                           \
  X(label_rfc3339)                       \
  X(label_git_hash)                      \
  X(label_semver)                        \
  X(label_email)                         \
  X(k8s_nonroot_verifiable)              \
  X(k8s_ids_match_image)                 \
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
