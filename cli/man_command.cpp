// `dockerfix man`: the manual page in roff, built from the registered
// subcommands, their options and help_text(), the same text --help shows.
#include <string>

#include <fmt/core.h>

#include "cli/commands.h"
#include "cli/help_text.h"
#include "dockerfix/fix.h"

namespace dockerfix::cli {
namespace {

std::string roff(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '\\') out += "\\e";
    else if (c == '-') out += "\\-";
    else out += c;
  }
  // A line starting with . or ' would be read as a request.
  if (!out.empty() && (out[0] == '.' || out[0] == '\'')) out.insert(0, "\\&");
  return out;
}

void describe_options(const CLI::App& sub, std::string& out) {
  for (const CLI::Option* opt : sub.get_options()) {
    if (opt->get_name() == "--help" || opt->get_name().empty()) continue;
    std::string names = opt->get_name(false, true);
    if (!opt->get_type_name().empty() && !opt->get_positional()) names += " " + opt->get_type_name();
    out += fmt::format(".TP\n.B {}\n{}\n", roff(names), roff(opt->get_description()));
  }
}

std::string man_page(const CLI::App& app, const std::string& version) {
  std::string out = fmt::format(".TH DOCKERFIX 1 \"\" \"dockerfix {}\" \"User Commands\"\n", version);
  std::string what = app.get_description();
  if (what.starts_with("dockerfix: ")) what.erase(0, 11);
  out += ".SH NAME\ndockerfix \\- " + roff(what) + "\n";
  out += ".SH SYNOPSIS\n.B dockerfix\n.I COMMAND\n[\\fIOPTIONS\\fR] [\\fIPATH\\fR...]\n";
  out += ".SH DESCRIPTION\nPATH is a Dockerfile, a directory (searched for Dockerfile, Dockerfile.*, *.Dockerfile, "
         "*.dockerfile and Containerfile, honouring .gitignore, never following a symlink out of the tree) or "
         "\\- for standard input.\n";
  out += ".SH COMMANDS\n";
  for (const CLI::App* sub : app.get_subcommands({})) {
    const std::string name = sub->get_name();
    out += fmt::format(".SS {}\n", roff("dockerfix " + name));
    try {
      const HelpText& help = help_text(name);
      out += roff(help.summary) + "\n";
      describe_options(*sub, out);
      for (const CLI::App* nested : sub->get_subcommands({})) {
        out += fmt::format(".TP\n.B {}\n{}\n", roff(nested->get_name()), roff(nested->get_description()));
        describe_options(*nested, out);
      }
      if (name == "check") {
        out += ".PP\nRules:\n";
        for (const fix::RuleInfo* rule : fix::rule_table())
          out += fmt::format(".TP\n.B {}\n{}\n", roff(std::string(rule->id)), roff(std::string(rule->title)));
      }
      out += ".PP\nExamples:\n";
      for (const auto& [command, what] : help.examples)
        out += fmt::format(".TP\n.B {}\n{}\n", roff(command), roff(what));
    } catch (const std::out_of_range&) {
      out += roff(sub->get_description()) + "\n";
      describe_options(*sub, out);
    }
  }
  for (const auto& section : man_sections()) {
    out += ".SH " + section.title + "\n";
    for (const auto& [term, text] : section.items) out += fmt::format(".TP\n.B {}\n{}\n", roff(term), roff(text));
  }
  out += ".SH SEE ALSO\n.BR docker (1),\n.BR hadolint (1)\n";
  return out;
}

}  // namespace

Command add_man_command(CLI::App& app, const std::string& version) {
  CLI::App* sub = app.add_subcommand("man", help_text("man").brief());
  sub->footer(help_text("man").footer());
  return {sub, [&app, version] {
            fmt::print("{}", man_page(app, version));
            return kExitOk;
          }};
}

}  // namespace dockerfix::cli
