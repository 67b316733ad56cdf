// What one RUN does: its simple commands (through the shell lexer), the
// users and groups it creates, and which commands need root.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>

#include "dockerfix/model.h"

namespace dockerfix::model {

struct RunContext {
  std::string workdir = "/";
  // Container path -> build-context path, from earlier COPY/ADD in the stage.
  const std::map<std::string, std::string>* copied = nullptr;
  std::optional<std::filesystem::path> context;
};

struct RunFacts {
  std::vector<RunCommand> commands;
  std::vector<RootNeed> needs_root;
  std::vector<KnownUser> users;
  std::vector<KnownGroup> groups;
};

RunFacts analyze_run(const Dockerfile& file, const Instruction& run, const RunContext& ctx);

}  // namespace dockerfix::model
