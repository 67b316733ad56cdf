#include "git/pr_body.h"

#include <set>

#include <fmt/format.h>

#include "git/commit_message.h"

namespace dockerfix::gitlayer {

namespace {

// Markdown for a line of text that may hold backticks or tags of its own (a
// reason quoting a log line): shown as written, never as code or HTML.
std::string plain(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '`' || c == '<') out += '\\';
    out += c;
  }
  return out;
}

// One list item per file: the headline, then what was kept and dropped.
std::string proof_item(const FileProof& p) {
  auto lines = proof_lines(p);
  std::string item = fmt::format("- `{}`: {}\n", p.path, plain(lines.front()));
  for (size_t i = 1; i < lines.size(); ++i) item += "  - " + plain(lines[i]) + "\n";
  return item;
}

}  // namespace

std::string pull_request_body(const std::vector<FileChange>& changes, size_t limit, const BodyNotes& notes) {
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
  // Before the rules: what the build proved and what the lock says, each
  // file or image one item, as many as fit.
  std::vector<Section> extras;
  if (!notes.proofs.empty()) {
    Section s{"\n### Proven by building and running the images\n\n"
              "Each Dockerfile was built with its fixes and run beside the original (`dockerfix verify`); a fix that "
              "broke the build or the container is not in this pull request.\n\n",
              {}, 0};
    for (const auto& p : notes.proofs) s.lines.push_back(proof_item(p));
    extras.push_back(std::move(s));
  }
  if (!notes.images.empty() || !notes.also_written.empty()) {
    Section s{"\n### Base images\n\n", {}, 0};
    for (const auto& n : notes.images) s.lines.push_back("- " + plain(n) + "\n");
    for (const auto& f : notes.also_written)
      s.lines.push_back(fmt::format("- `{}` is updated in this commit (`dockerfix images learn`).\n", f));
    extras.push_back(std::move(s));
  }
  for (const auto& e : extras) fixed_size += e.title.size();
  // Room for the notes that say what was left out (their numbers are not
  // known yet; these sizes bound them).
  constexpr size_t kNote = 200, kSectionNote = 80;
  const size_t reserve = kNote + kSectionNote * (sections.size() + extras.size());
  size_t budget = limit > fixed_size + reserve ? limit - fixed_size - reserve : 0;
  std::string extra_text;
  for (auto& e : extras) {
    extra_text += e.title;
    size_t kept = 0;
    for (const auto& l : e.lines) {
      if (l.size() > budget) break;
      budget -= l.size();
      extra_text += l;
      ++kept;
    }
    if (kept < e.lines.size())
      extra_text += fmt::format("- ... and {} more (see the commit message)\n", e.lines.size() - kept);
  }

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

  std::string body = head + extra_text;
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
