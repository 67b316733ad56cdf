#include "git/pr_body.h"

#include <set>

#include <fmt/format.h>

#include "git/commit_message.h"

namespace dockerfix::gitlayer {

std::string pull_request_body(const std::vector<FileChange>& changes, size_t limit) {
  size_t fixes = 0;
  for (const auto& c : changes) fixes += c.fixes.size();
  size_t manifests = 0;  // Kubernetes manifests and Helm values changed with the Dockerfiles
  for (const auto& c : changes) manifests += c.path.ends_with(".yaml") || c.path.ends_with(".yml");
  const size_t dockerfiles = changes.size() - manifests;
  std::string files = fmt::format("{} Dockerfile{}", dockerfiles, dockerfiles == 1 ? "" : "s");
  if (manifests) files += fmt::format(" and {} Kubernetes file{}", manifests, manifests == 1 ? "" : "s");
  const std::string head = fmt::format("dockerfix fixed {} problem{} in {}.\n", fixes, fixes == 1 ? "" : "s", files);
  const std::string foot =
      "\n---\nOpened by the dockerfix bot. Pushing to this branch yourself stops the bot from updating it; closing "
      "this pull request without merging stops it from opening these fixes again.\n";

  struct Section {
    std::string title;
    std::vector<std::string> lines;
    size_t left_out = 0;
  };
  std::vector<Section> sections;
  size_t fixed_size = head.size() + foot.size();
  for (const auto& rule : rules_of(changes)) {
    Section s{fmt::format("\n### `{}` ([docs]({}))\n\n{}\n\n", rule, rule_docs_url(rule), rule_rationale(rule)), {}, 0};
    fixed_size += s.title.size();
    sections.push_back(std::move(s));
  }
  // Room for the notes that say what was left out (their numbers are not
  // known yet; these sizes bound them).
  constexpr size_t kNote = 200, kSectionNote = 80;
  const size_t reserve = kNote + kSectionNote * sections.size();
  size_t budget = limit > fixed_size + reserve ? limit - fixed_size - reserve : 0;

  size_t listed = 0;
  std::set<std::string> files_left_out;
  bool full = false;
  const auto rules = rules_of(changes);
  for (size_t i = 0; i < rules.size(); ++i)
    for (const auto& c : changes)
      for (const auto& f : c.fixes) {
        if (f.rule != rules[i]) continue;
        std::string line = fmt::format("- `{}` line {}: {}\n", c.path, f.line, f.message);
        // In order until the first that does not fit: what is listed reads
        // as a prefix of the commit message's list.
        if (!full && line.size() <= budget) {
          budget -= line.size();
          sections[i].lines.push_back(std::move(line));
          ++listed;
        } else {
          full = true;
          ++sections[i].left_out;
          files_left_out.insert(c.path);
        }
      }

  std::string body = head;
  if (listed < fixes)
    body += fmt::format(
        "\n{} of the {} fixes (in {} file{}) are not listed here: a pull request body is limited to {} characters. "
        "The commit message lists every one.\n",
        fixes - listed, fixes, files_left_out.size(), files_left_out.size() == 1 ? "" : "s", limit);
  for (const auto& s : sections) {
    body += s.title;
    for (const auto& l : s.lines) body += l;
    if (s.left_out) body += fmt::format("- ... and {} more (see the commit message)\n", s.left_out);
  }
  body += foot;
  return body;
}

}  // namespace dockerfix::gitlayer
