// Facts about one simple shell command, from its argv after quote removal:
// does it need root (and why), does it create a user or group, does it run
// a script file.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "dockerfix/model.h"

namespace dockerfix::model {

struct SimpleCommand {
  std::vector<std::string> argv;           // values, quotes removed
  std::vector<std::string> write_targets;  // `>`, `>>`, `&>`, `>|` redirect targets
};

struct RootReason {
  std::string reason;  // package-install, user-management, system-config, ownership-change, system-write
  std::string detail;
};

// `workdir` resolves relative paths. sudo/doas commands elevate themselves
// and are not reported.
std::optional<RootReason> needs_root(const SimpleCommand& cmd, const std::string& workdir);

// useradd/adduser/groupadd/addgroup: the user or group they create.
std::optional<KnownUser> created_user(const std::vector<std::string>& argv);
std::optional<KnownGroup> created_group(const std::vector<std::string>& argv);

// The argv with wrappers (env, nice, nohup, time, exec, command) removed.
std::vector<std::string> unwrap(const std::vector<std::string>& argv);

// Whether `path` (absolute, normalised) is owned by root in every image.
bool is_system_path(const std::string& path);

}  // namespace dockerfix::model
