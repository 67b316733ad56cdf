// What each subcommand is for, with examples: one text for `--help` and for
// the man page (`dockerfix man`), so the two never drift apart.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace dockerfix::cli {

struct HelpText {
  std::string name;
  std::string summary;  // one paragraph
  std::vector<std::pair<std::string, std::string>> examples;  // command, what it does
  std::string brief() const;   // the first sentence: the line in `dockerfix --help`
  std::string footer() const;  // the rest of the summary and the examples, under COMMAND --help
};

// The text for subcommand `name`; throws std::out_of_range for an unknown one.
const HelpText& help_text(const std::string& name);

// The exit-status, environment and files paragraphs of the man page.
struct ManSection {
  std::string title;
  std::vector<std::pair<std::string, std::string>> items;  // term, description
};
const std::vector<ManSection>& man_sections();

}  // namespace dockerfix::cli
