// dockerfix command line: dispatches to one subcommand (see commands.h).
#include <exception>
#include <vector>

#include <fmt/core.h>

#include "cli/commands.h"

#ifndef DOCKERFIX_VERSION
#define DOCKERFIX_VERSION "0.1.0"
#endif

int main(int argc, char** argv) {
  using namespace dockerfix::cli;
  CLI::App app{"dockerfix: reads Dockerfiles exactly as BuildKit does, and fixes them",
               "dockerfix"};
  app.set_version_flag("--version", "dockerfix " DOCKERFIX_VERSION);
  app.require_subcommand(1);
  app.footer("Run dockerfix COMMAND --help for a command's options and examples; dockerfix man for the manual.");

  std::vector<Command> commands;
  commands.push_back(add_parse_command(app));
  commands.push_back(add_explain_command(app));
  commands.push_back(add_check_command(app));
  commands.push_back(add_diff_command(app));
  commands.push_back(add_apply_command(app));
  commands.push_back(add_verify_command(app));
  commands.push_back(add_bot_command(app));
  commands.push_back(add_doctor_command(app));
  commands.push_back(add_man_command(app, DOCKERFIX_VERSION));

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);  // prints help, the version, or the error
    return code == 0 ? kExitOk : kExitUsage;
  }
  try {
    for (const Command& command : commands) {
      if (command.app->parsed()) return command.run();
    }
  } catch (const std::exception& e) {
    fmt::print(stderr, "dockerfix: internal error: {}\n", e.what());
    return kExitUsage;
  }
  return kExitUsage;
}
