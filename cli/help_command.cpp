// `dockerfix help [COMMAND]`: what `dockerfix [COMMAND] --help` prints, for
// users who type it the way git and cargo taught them.
#include <memory>
#include <string>
#include <vector>

#include <fmt/core.h>

#include "cli/commands.h"
#include "cli/help_text.h"
#include "cli/suggest.h"

namespace dockerfix::cli {

std::vector<std::string> command_names(const CLI::App& app) {
  std::vector<std::string> names;
  for (const CLI::App* sub : app.get_subcommands({})) names.push_back(sub->get_name());
  return names;
}

int unknown_command(const CLI::App& app, const std::string& typed) {
  auto guess = closest(typed, command_names(app));
  fmt::print(stderr, "dockerfix: unknown command '{}'{}\n", typed,
             guess ? fmt::format("; did you mean '{}'?", *guess) : "");
  fmt::print(stderr, "run 'dockerfix help' for the list of commands\n");
  return kExitUsage;
}

Command add_help_command(CLI::App& app) {
  auto topic = std::make_shared<std::vector<std::string>>();
  const HelpText& help = help_text("help");
  CLI::App* sub = app.add_subcommand("help", help.brief());
  sub->footer(help.footer());
  sub->add_option("COMMAND", *topic, "The command to describe (a nested one too: help doctor socket)");
  return {sub, [&app, topic] {
            const CLI::App* at = &app;
            std::string usage = "dockerfix";
            for (const auto& word : *topic) {
              const CLI::App* next = nullptr;
              try {
                next = at->get_subcommand(word);
              } catch (const CLI::OptionNotFound&) {
              }
              if (!next) return unknown_command(*at, word);
              at = next;
              usage += " " + word;
            }
            // App::help() would describe the selected subcommand, `help` itself.
            fmt::print("{}", at->get_formatter()->make_help(at, usage, CLI::AppFormatMode::Normal));
            return kExitOk;
          }};
}

}  // namespace dockerfix::cli
