// What one RUN does: its simple commands (through the shell lexer), the
// users and groups it creates, and which commands need root.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>

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

// analyze_run() of RUNs already met in another version of the same file:
// the fixed-point loop analyses the file again after every accepted fix, and
// most of its RUNs are unchanged, only moved. A RUN's facts depend on its
// bytes (with the file's escape character) and the WORKDIR, and its spans
// move with it; one that reads a script from the build context also depends
// on the COPYs before it, and is analysed afresh each time. Valid for one
// build context (one set of model::Options).
class RunMemo {
 public:
  RunFacts analyze(const Dockerfile& file, const Instruction& run, const RunContext& ctx);

 private:
  std::unordered_map<std::string, RunFacts> facts_;  // spans relative to the RUN's first byte
};

}  // namespace dockerfix::model
