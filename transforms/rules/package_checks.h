// The package-manager rules that differ only in names: a missing "yes"
// switch (yum -y, dnf -y, zypper -n), a missing cache clean in the same RUN
// (yum/dnf/zypper clean), unpinned rpm packages (yum, dnf), and the word
// lists of pin findings.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dockerfix/fix.h"

namespace dockerfix::fix {

using Names = std::vector<std::string_view>;

struct YesSwitch {
  Names programs, subcommands;  // `yum install`, `yum localinstall` ...
  Names given;                  // any of these answers already (-y, --assumeyes)
  std::string_view add;         // what the fix inserts after the program
};
std::vector<Finding> missing_yes(const Context& ctx, std::string_view id, const YesSwitch& s);

struct CacheClean {
  Names programs, installs;  // the commands that fill the cache
  Names clean_args;          // `PROGRAM clean` counts when it has one of these arguments
  Names removed_paths;       // `rm -rf PATH...` of these counts too
  Names mounts;              // a cache or tmpfs mount on one of these: nothing to clean
  bool all = false;          // the clean command is `PROGRAM clean all`
};
std::vector<Finding> missing_clean(const Context& ctx, std::string_view id, const CacheClean& c);

// `name-1.2.3`, `name-1.2-3.el9`, `x.rpm`: what follows the first dash looks like a version.
bool rpm_pinned(const std::string& package);
std::vector<Finding> unpinned_rpms(const Context& ctx, std::string_view id, const Names& programs);

// "curl, git": the values of words, for pin findings.
std::string join_values(const std::vector<const model::ShellWord*>& words);

// pip, pip3, pip3.12, or python -m pip: the word index of the pip program.
std::optional<size_t> pip_at(const model::RunCommand& c);

}  // namespace dockerfix::fix
