// The dockerfix subcommands. Each one registers itself on the application and
// returns the function that runs it once the command line has been parsed.
#pragma once

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include <CLI/CLI.hpp>

namespace dockerfix::cli {

// Exit codes shared by all subcommands.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFindings = 1;
inline constexpr int kExitUsage = 2;  // usage error or unreadable input
inline constexpr int kExitInterrupted = 130;  // Ctrl-C or SIGTERM during a verification

struct Command {
  CLI::App* app;
  std::function<int()> run;
};

Command add_parse_command(CLI::App& app);
Command add_explain_command(CLI::App& app);
Command add_check_command(CLI::App& app);
Command add_diff_command(CLI::App& app);
Command add_apply_command(CLI::App& app);
Command add_rules_command(CLI::App& app);
Command add_verify_command(CLI::App& app);
Command add_doctor_command(CLI::App& app);
Command add_bot_command(CLI::App& app);
Command add_help_command(CLI::App& app);
Command add_completion_command(CLI::App& app);

// The subcommands registered on `app`, and the error for one that is not
// (with the closest name as a suggestion); returns kExitUsage.
std::vector<std::string> command_names(const CLI::App& app);
int unknown_command(const CLI::App& app, const std::string& typed);
Command add_images_command(CLI::App& app);
// Registered last: it describes every command registered before it.
Command add_man_command(CLI::App& app, const std::string& version);

}  // namespace dockerfix::cli
