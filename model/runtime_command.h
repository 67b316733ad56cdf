// What an ENTRYPOINT/CMD runs: the foreground process and what kind of
// program it is, the user switches and capabilities in it and in the scripts
// it runs (read from the build context), and the ports its arguments name.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "dockerfix/runtime_facts.h"
#include "model/context_files.h"

namespace dockerfix::model {

struct CommandContext {
  const std::map<std::string, std::string>* copied = nullptr;  // container path -> context path
  std::string workdir = "/";
  std::optional<std::filesystem::path> context;
  const std::map<std::string, std::pair<std::string, size_t>>* env = nullptr;  // for $PORT in arguments
  // The CMD and where it comes from: an ENTRYPOINT script runs it as its arguments.
  std::vector<std::string> cmd;
  std::optional<Evidence> cmd_evidence;
  ContextFiles* files = nullptr;  // the review's, when there is one: scripts are read through it
};

struct CommandAnalysis {
  std::string process;
  std::string wrapper;
  std::string interpreted;
  std::vector<std::string> exits_first;
  EffectiveCommand::Kind kind = EffectiveCommand::Kind::Unknown;
  std::string kind_reason;
  std::vector<PrivilegeDrop> drops;
  std::vector<CapabilityNeed> capabilities;
  std::vector<PortFact> ports;  // from --port/-p/--bind/host:port arguments
};

// `where` is the ENTRYPOINT/CMD the argv comes from (its reason is extended).
CommandAnalysis analyze_command(const std::vector<std::string>& argv, const Evidence& where, const CommandContext& ctx);

// Ports named by one command's arguments: `--port 80`, `--port=80`, `-p 80`,
// `--bind 0.0.0.0:80`, `-b :80`, `--listen 80`, `-Dserver.port=80`,
// `python -m http.server 80`.
std::vector<uint32_t> argument_ports(const std::vector<std::string>& argv,
                                     const std::map<std::string, std::pair<std::string, size_t>>* env);

}  // namespace dockerfix::model
