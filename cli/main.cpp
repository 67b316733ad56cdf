// dockerfix command line: dispatches to one subcommand (see commands.h).
#include <algorithm>
#include <exception>
#include <string>
#include <vector>

#include <fmt/core.h>

#include "cli/allocator.h"
#include "cli/commands.h"
#include "cli/test_hook.h"
#include "cli/version.h"

int main(int argc, char** argv) {
  using namespace dockerfix::cli;
  tune_allocator();
  CLI::App app{"dockerfix: reads Dockerfiles exactly as BuildKit does, and fixes them",
               "dockerfix"};
  app.set_version_flag("-V,--version", std::string("dockerfix ") + kVersion);
  app.require_subcommand(1);
  app.footer("Run dockerfix help COMMAND (or dockerfix COMMAND --help) for a command's options and examples; dockerfix man for the manual.");

  std::vector<Command> commands;
  commands.push_back(add_parse_command(app));
  commands.push_back(add_explain_command(app));
  commands.push_back(add_check_command(app));
  commands.push_back(add_diff_command(app));
  commands.push_back(add_apply_command(app));
  commands.push_back(add_rules_command(app));
  commands.push_back(add_verify_command(app));
  commands.push_back(add_bot_command(app));
  commands.push_back(add_images_command(app));
  commands.push_back(add_doctor_command(app));
  commands.push_back(add_help_command(app));
  commands.push_back(add_completion_command(app));
  commands.push_back(add_man_command(app, kVersion));

  // Before CLI11 sees them: no command at all gets the overview, and a
  // mistyped one a suggestion, instead of "A subcommand is required".
  if (argc < 2) {
    fmt::print(stderr, "{}", app.help());
    return kExitUsage;
  }
  std::string first = argv[1];
  auto names = command_names(app);
  if (!first.starts_with('-') && std::find(names.begin(), names.end(), first) == names.end())
    return unknown_command(app, first);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);  // prints help, the version, or the error
    return code == 0 ? kExitOk : kExitUsage;
  }
  try {
    for (const Command& command : commands) {
      if (!command.app->parsed()) continue;
      const int code = command.run();
      test_report_at_exit();
      return code;
    }
  } catch (const std::exception& e) {
    fmt::print(stderr, "dockerfix: internal error: {}\n", e.what());
    return kExitUsage;
  }
  return kExitUsage;
}
