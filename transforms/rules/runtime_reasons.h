// How the rules that must know what an image does at run time (issue 13)
// say why they do not fix, or fix only as unsafe: the runtime facts'
// evidence as one sentence with its citation, and the first fact that
// objects to running the final stage as a non-root user.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "dockerfix/runtime_facts.h"

namespace dockerfix::fix {

// "reason (source)": the evidence's reason with the knowledge entry it cites.
std::string cited(const model::Evidence& e);

// Why the final stage described by `rf` must keep running as root, or
// nullopt when no fact says so: generated file, no command of its own, a
// privilege drop, a privileged port, a capability, root-owned run-time
// state, or a shell that is not known.
std::optional<std::string> needs_root(const model::RuntimeFacts& rf);
// needs_root()'s first reasons, the only ones these facts decide (a rule can
// ask for them alone, model::runtime_generated() and friends, before the
// whole facts): nullopt when none of them holds.
std::optional<std::string> needs_root(const std::optional<model::Evidence>& generated,
                                      const model::EffectiveCommand& command,
                                      const std::vector<model::PrivilegeDrop>& privilege_drops);

// Why running the command as a non-root user is not known to be harmless
// (the fix is then unsafe), or nullopt for a long-running service of a
// kind that runs unprivileged (an application server on a high port).
std::optional<std::string> not_known_harmless(const model::RuntimeFacts& rf);

}  // namespace dockerfix::fix

namespace dockerfix::fix {

// Why dockerfix does not give `path` to the runtime user: /root, /opt and
// the servlet container's CATALINA_HOME hold what the program reads, not
// what it writes. Empty when none of them.
std::string read_only_place(const model::Stage& stage, const std::string& path);

// The text of the stage's last USER instruction when it is written with
// variables (`${UID}:${GID}`), so a --chown or chown keeps them instead of
// hard-coding their defaults; empty otherwise.
std::string user_as_written(const Dockerfile& f, const model::BuildModel& m, const model::Stage& stage);

// A `chown [-R] OWNER PATH...` command: the owner's user part, whether it
// recurses, and the paths as written; nullopt for anything else.
struct Chown {
  std::string who;
  bool recursive = false;
  std::vector<std::string> paths;
};
std::optional<Chown> chown_of(const model::RunCommand& c);

}  // namespace dockerfix::fix
