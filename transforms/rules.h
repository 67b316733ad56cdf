// Factories of the rules, one per file in transforms/.
#pragma once

#include <memory>

#include "dockerfix/fix.h"

namespace dockerfix::fix {

std::unique_ptr<Rule> make_explicit_uid();
std::unique_ptr<Rule> make_root_for_privileged_steps();
std::unique_ptr<Rule> make_nonroot_final_user();
std::unique_ptr<Rule> make_copy_chown();
std::unique_ptr<Rule> make_healthcheck();
std::unique_ptr<Rule> make_network_retry();
std::unique_ptr<Rule> make_workdir_owner();
std::unique_ptr<Rule> make_docker_socket_group();

}  // namespace dockerfix::fix
