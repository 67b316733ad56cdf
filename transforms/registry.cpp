// The one place rules are registered; fixes run in this order.
#include "dockerfix/fix.h"
#include "transforms/rules.h"

namespace dockerfix::fix {

const std::vector<std::unique_ptr<Rule>>& registry() {
  static const std::vector<std::unique_ptr<Rule>> rules = [] {
    std::vector<std::unique_ptr<Rule>> r;
    r.push_back(make_explicit_uid());
    r.push_back(make_root_for_privileged_steps());
    r.push_back(make_nonroot_final_user());
    r.push_back(make_copy_chown());
    r.push_back(make_workdir_owner());
    r.push_back(make_docker_socket_group());
    r.push_back(make_healthcheck());
    r.push_back(make_network_retry());
    return r;
  }();
  return rules;
}

}  // namespace dockerfix::fix
