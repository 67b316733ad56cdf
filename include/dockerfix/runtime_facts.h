// What a stage's image does when it runs, for the rules that must know
// whether a fix is safe (issue 13): its command and whether that is a
// service, whether it drops privileges itself, the ports it listens on, the
// root-owned state it writes, the volumes, the capabilities it needs, whether
// the file is generated, the users that exist, the tools removed again, the
// OS release (apt's retry default) and, for unknown bases, the family the
// file itself proves. Every fact says why and where, so a rule can write
// "no fix, because ...".
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dockerfix/model.h"

namespace dockerfix::model {

// Where a fact comes from.
struct Evidence {
  std::string reason;                 // "ENTRYPOINT at line 9 runs docker-entrypoint.sh, which runs gosu (line 12)"
  std::optional<size_t> instruction;  // index into Dockerfile::instructions; none: the base image
  int line = 0;                       // Dockerfile line (1-based); 0 when not from the Dockerfile
  std::string script;                 // build-context path of the script it was read in, if any
  int script_line = 0;
  std::string source;                 // knowledge entry (and its citation) when it comes from there
};

// The effective ENTRYPOINT + CMD and what keeps running.
struct EffectiveCommand {
  enum class Origin { Dockerfile, ParentStage, BaseImage, None, Unknown };
  enum class Kind {
    Service,      // a long-running program (a server, an init system)
    OneShot,      // exits when done: CLI tools, builds, test runners, `docker ps`
    Interactive,  // a shell or REPL (bash, node, python3 with no script): a base or builder image
    Idle,         // keeps the container up without serving anything (sleep infinity, tail -f /dev/null)
    NoCommand,    // neither the stage nor its base has one
    Unknown,
  };
  Origin origin = Origin::Unknown;
  std::vector<std::string> entrypoint;  // as the image holds them: shell form is {"/bin/sh", "-c", text}
  std::vector<std::string> cmd;
  std::vector<std::string> argv;        // entrypoint + cmd
  bool own = false;  // the stage itself (or a parent stage of this file) sets ENTRYPOINT or CMD
  Evidence evidence;
  // The foreground process after init wrappers, `exec`, `sh -c` lists (the
  // last command of `a && b`) and interpreters are looked through:
  std::string process;      // what `pgrep -x` sees: "nginx", "node", "java"
  std::string wrapper;      // init wrapper in front of it: "tini", "dumb-init", ...
  std::string interpreted;  // the script an interpreter runs: "server.js" (process "node")
  std::vector<std::string> exits_first;  // commands that run (and exit) before it: "iptables"
  Kind kind = Kind::Unknown;
  std::string kind_reason;
  // True when this is a base or builder image: the file sets no command and
  // the base's is not known to be a service (a shell, a REPL, none, unknown).
  bool base_or_builder() const;
};

// The process starts as root and switches user itself: changing USER breaks it.
struct PrivilegeDrop {
  std::string tool;  // gosu, su-exec, setpriv, runuser, su, chroot, s6-setuidgid, chpst, setuser,
                     // s6-overlay, supervisord, my_init, knowledge (an official image's entrypoint)
  std::string user;  // the user it switches to, when written
  Evidence evidence;
};

struct PortFact {
  enum class Source { Expose, Env, Argument, BaseImage };
  uint32_t port = 0;
  std::string protocol = "tcp";
  Source source = Source::Expose;
  Evidence evidence;
};

// A path the program writes that root owns (or a package's own user owns),
// so a new non-root user cannot write it.
struct StatePath {
  std::string path;
  std::string created_by;  // "mkdir", "package nginx", "base image nginx", "redirect"
  Evidence evidence;
};

struct VolumeFact {
  std::string path;
  std::optional<size_t> instruction;  // the VOLUME instruction; none: declared by the base image
  Evidence evidence;
};

struct CapabilityNeed {
  std::string program;     // iptables, tcpdump, ...
  std::string capability;  // CAP_NET_ADMIN, CAP_NET_RAW, CAP_SYS_ADMIN, root
  Evidence evidence;
};

struct UserFact {
  std::string name;
  std::optional<uint32_t> uid;
  std::string origin;  // "base image" or "created"
  bool deleted = false;
  Evidence evidence;   // where it was created, renamed, re-numbered or deleted
};

struct PackageFact {
  std::string name;
  std::string manager;  // apt-get, apk, dnf, yum, microdnf, tdnf, zypper, pacman
  size_t instruction = 0;
  std::optional<size_t> removed_at;  // a later apk del / apt-get purge / remove
  Evidence evidence;
};

struct ToolRemoval {
  std::string tool;  // "curl"
  Evidence evidence;
};

// useradd/adduser that a package installed in the stage provides
// (ubi-minimal has no useradd until `microdnf install shadow-utils`).
struct UserToolFact {
  std::string tool;     // useradd | adduser-busybox | adduser
  std::string package;  // shadow-utils, shadow, passwd, adduser
  Evidence evidence;
};

struct FamilyFact {
  std::string family;  // from the knowledge base, or inferred: debian, alpine, rhel, arch, suse
  bool inferred = false;
  std::string package_manager;
  Evidence evidence;
};

struct ShellFact {
  enum class State { Yes, No, Unknown };
  State state = State::Unknown;
  bool inferred = false;
  Evidence evidence;
};

struct AptFact {
  std::string release;               // bookworm, jammy; empty when only the retry default is known
  std::string apt_version;
  std::optional<int> retries_default;  // 3 (apt >= 2.3.2), 0, or unknown
  Evidence evidence;
};

struct RuntimeFacts {
  size_t stage = 0;
  EffectiveCommand command;
  std::vector<PrivilegeDrop> privilege_drops;  // non-empty: the image drops privileges itself
  std::vector<PortFact> ports;                 // listening ports as far as known
  std::optional<PortFact> probe_port;          // the port a health probe should try
  std::vector<StatePath> root_state;
  std::vector<VolumeFact> volumes;             // base image's first, then in file order
  std::vector<CapabilityNeed> capabilities;
  std::optional<Evidence> generated;           // "DO NOT EDIT" and friends near the top
  std::vector<UserFact> users;                 // base image users and users the file creates
  std::vector<PackageFact> packages;
  std::vector<ToolRemoval> removed_tools;
  std::vector<UserToolFact> user_tools;
  FamilyFact family;
  ShellFact shell;
  AptFact apt;

  std::vector<const PortFact*> privileged_ports() const;  // below 1024
  // A user that exists at the end of the stage (not deleted), by name.
  const UserFact* user(std::string_view name) const;
  // The removal of `tool` (a package or a binary) later in the stage, if any.
  const ToolRemoval* removal(std::string_view tool) const;
  // The VOLUME covering `path` declared before instruction `before`
  // (changes to a volume path after its VOLUME are discarded); nullptr if none.
  const VolumeFact* volume_before(std::string_view path, size_t before) const;
};

// How often a download tool retries without being told (for network-retry:
// no flag that changes nothing). apt's default depends on the release: see
// RuntimeFacts::apt.
struct RetryDefault {
  std::string option;  // the flag that sets it: "--retry", "--tries", "--retries", "fetch-retries"
  int retries = 0;     // retries by default
  std::string source;  // the tool's documentation
};
std::optional<RetryDefault> download_retry_default(std::string_view tool);

// Facts for `stage` (default: the model's final stage) of `file`, the file
// `model` was built from. Scripts the command runs are read from `context`
// when they were COPY'd from it. Computed once per model, stage and context
// (BuildModel::derived); the reference is valid as long as the model is.
const RuntimeFacts& runtime_facts(const Dockerfile& file, const BuildModel& model, std::optional<size_t> stage = {},
                           const std::optional<std::filesystem::path>& context = {});

// runtime_facts(...).command, .privilege_drops, .apt and .generated, the
// same to the byte, for a rule that needs only that: computed on their own
// (none depends on the other facts) unless the whole facts are already
// known, and reused by runtime_facts() when asked for later. Kept like them;
// the reference is valid as long as the model is.
const EffectiveCommand& runtime_command(const Dockerfile& file, const BuildModel& model, std::optional<size_t> stage = {},
                                        const std::optional<std::filesystem::path>& context = {});
// Found with the command (computing one computes the other).
const std::vector<PrivilegeDrop>& runtime_privilege_drops(const Dockerfile& file, const BuildModel& model,
                                                          std::optional<size_t> stage = {},
                                                          const std::optional<std::filesystem::path>& context = {});
const std::optional<Evidence>& runtime_generated(const Dockerfile& file, const BuildModel& model,
                                                 std::optional<size_t> stage = {},
                                                 const std::optional<std::filesystem::path>& context = {});
const AptFact& runtime_apt(const Dockerfile& file, const BuildModel& model, std::optional<size_t> stage = {},
                           const std::optional<std::filesystem::path>& context = {});

}  // namespace dockerfix::model
