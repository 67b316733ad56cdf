// Facts about one simple shell command, from its argv after quote removal:
// does it need root (and why), does it create a user or group, does it run
// a script file.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "dockerfix/model.h"

namespace dockerfix::model {

// Views of the words of a command being analysed (they live in its lexed script).
struct SimpleCommand {
  std::vector<std::string_view> argv;           // values, quotes removed
  std::vector<std::string_view> write_targets;  // `>`, `>>`, `&>`, `>|` redirect targets
};

struct RootReason {
  std::string reason;  // package-install, user-management, system-config, ownership-change, system-write
  std::string detail;
};

// `workdir` resolves relative paths. sudo/doas commands elevate themselves
// and are not reported.
std::optional<RootReason> needs_root(const SimpleCommand& cmd, std::string_view workdir);

// useradd/adduser/groupadd/addgroup: the user or group they create.
std::optional<KnownUser> created_user(const std::vector<std::string>& argv);
std::optional<KnownGroup> created_group(const std::vector<std::string>& argv);
std::optional<KnownUser> created_user(std::span<const std::string_view> argv);
std::optional<KnownGroup> created_group(std::span<const std::string_view> argv);

// Where the argv starts once wrappers (env, nice, nohup, time, exec,
// command) are removed; argv.size() when only wrappers.
size_t unwrapped(std::span<const std::string> argv);
size_t unwrapped(std::span<const std::string_view> argv);
// The argv with those wrappers removed.
std::vector<std::string> unwrap(const std::vector<std::string>& argv);

// Whether `path` (absolute, normalised) is owned by root in every image.
bool is_system_path(std::string_view path);

}  // namespace dockerfix::model
