#include "git/commit_message.h"

#include <git2.h>

#include <algorithm>
#include <string_view>

#include <fmt/format.h>

#include "dockerfix/rule_info.h"
#include "git/handles.h"

namespace dockerfix::gitlayer {

namespace {

// Phrases and rationales come from the rule table (dockerfix/rule_info.h).
std::string phrase(const MessageInput& in, const std::string& rule) {
  const fix::RuleInfo* t = fix::find_rule(rule);
  if (!t || t->commit_phrase.empty()) return "apply " + rule;
  return fmt::format(fmt::runtime(t->commit_phrase), fmt::arg("user", in.user), fmt::arg("uid", in.uid));
}

std::ptrdiff_t rank(const std::string& rule) {
  const auto table = fix::rule_table();
  for (size_t i = 0; i < table.size(); ++i)
    if (table[i]->id == rule) return static_cast<std::ptrdiff_t>(i);
  return static_cast<std::ptrdiff_t>(table.size());
}

}  // namespace

std::vector<std::string> rules_of(const std::vector<FileChange>& changes) {
  std::vector<std::string> rules;
  for (const auto& c : changes)
    for (const auto& f : c.fixes)
      if (std::find(rules.begin(), rules.end(), f.rule) == rules.end()) rules.push_back(f.rule);
  // Registry order, not discovery order, so the same fixes give the same text.
  std::stable_sort(rules.begin(), rules.end(),
                   [](const std::string& a, const std::string& b) { return rank(a) < rank(b); });
  return rules;
}

std::string subject(const MessageInput& in) {
  const auto rules = rules_of(in.changes);
  const std::string head = in.prefix + ": ";
  if (rules.empty()) return head + "fix Dockerfiles";
  // As many phrases as fit, then "and N more".
  for (size_t n = rules.size(); n >= 1; --n) {
    std::string s = head;
    for (size_t i = 0; i < n; ++i) s += (i == 0 ? "" : i + 1 == n && n == rules.size() ? " and " : ", ") + phrase(in, rules[i]);
    if (n < rules.size()) s += fmt::format(" and {} more", rules.size() - n);
    if (s.size() <= kMaxSubject) return s;
  }
  std::string best = head + phrase(in, rules[0]);
  if (best.size() > kMaxSubject) best = best.substr(0, kMaxSubject - 3) + "...";
  return best;
}

std::vector<std::string> proof_lines(const FileProof& p) {
  std::vector<std::string> out;
  if (!p.error.empty()) {
    out.push_back("not verified, left as it is: " + p.error);
    return out;
  }
  const bool unproven_only = std::all_of(p.kept.begin(), p.kept.end(), [](const RuleProof& r) {
    return r.verdict != "proven";
  });
  if (!p.summary.empty()) out.push_back(p.summary + (p.original.empty() ? "" : " (" + p.original + ")"));
  else if (p.kept.empty()) out.push_back("no fix proven: left as it is");
  else if (unproven_only && p.dropped.empty()) out.push_back("not built: its fixes are safe and need no proof");
  else out.push_back("only the fixes that need no proof are kept");
  for (const auto& r : p.kept) out.push_back(fmt::format("kept {}: {}", r.rule, r.verdict));
  for (const auto& r : p.dropped) out.push_back(fmt::format("dropped {}: {}: {}", r.rule, r.verdict, r.reason));
  return out;
}

std::string commit_message(const MessageInput& in) {
  size_t fixes = 0;
  for (const auto& c : in.changes) fixes += c.fixes.size();
  std::string body = fmt::format("dockerfix applied {} fix{} to {} file{}:\n", fixes, fixes == 1 ? "" : "es",
                                 in.changes.size(), in.changes.size() == 1 ? "" : "s");
  for (const auto& c : in.changes) {
    body += fmt::format("\n{}\n", c.path);
    for (const auto& f : c.fixes) body += fmt::format("- line {}: {}: {}\n", f.line, f.rule, f.message);
  }
  if (!in.proofs.empty()) {
    body += "\nProven by building and running the images (dockerfix --verify):\n";
    for (const auto& p : in.proofs) {
      auto lines = proof_lines(p);
      body += fmt::format("\n{}: {}\n", p.path, lines.front());
      for (size_t i = 1; i < lines.size(); ++i) body += "- " + lines[i] + "\n";
    }
  }
  if (!in.notes.empty() || !in.also_written.empty()) {
    body += "\nBase images:\n";
    for (const auto& n : in.notes) body += "- " + n + "\n";
    for (const auto& f : in.also_written) body += "- " + f + " updated\n";
  }
  const auto rules = rules_of(in.changes);
  return fmt::format("{}\n\n{}\n{}: {}\n", subject(in), body, kRulesTrailer, fmt::join(rules, ", "));
}

std::string default_branch(const std::vector<std::string>& rules) {
  if (rules.empty()) return "dockerfix/fixes";
  std::string name = "dockerfix/" + fmt::format("{}", fmt::join(rules, "+"));
  if (name.size() <= 80) return name;
  // Too many rules for a readable ref: a short stable hash of the list.
  git_oid oid;
  Library lib;
  std::string joined = fmt::format("{}", fmt::join(rules, ","));
  git_odb_hash(&oid, joined.data(), joined.size(), GIT_OBJECT_BLOB);
  return fmt::format("dockerfix/{}-and-{}-more-{}", rules[0], rules.size() - 1, oid_str(oid, 8));
}

std::vector<std::string> dockerfix_rules(const std::string& message) {
  Library lib;
  git_message_trailer_array arr{};
  std::vector<std::string> rules;
  if (git_message_trailers(&arr, message.c_str()) != 0) return rules;
  for (size_t i = 0; i < arr.count; ++i) {
    if (std::string_view(arr.trailers[i].key) != kRulesTrailer) continue;
    std::string_view v = arr.trailers[i].value;
    while (!v.empty()) {
      size_t comma = v.find(',');
      std::string_view item = v.substr(0, comma);
      while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
      while (!item.empty() && (item.back() == ' ' || item.back() == '\n')) item.remove_suffix(1);
      if (!item.empty()) rules.emplace_back(item);
      if (comma == std::string_view::npos) break;
      v.remove_prefix(comma + 1);
    }
  }
  git_message_trailer_array_free(&arr);
  return rules;
}

std::string rule_rationale(const std::string& rule) {
  const fix::RuleInfo* t = fix::find_rule(rule);
  return t ? std::string(t->why) : std::string();
}

std::string project_url() { return "https://github.com/dockerfix/dockerfix"; }

std::string rule_docs_url(const std::string& rule) { return project_url() + "/blob/main/docs/rules/" + rule + ".md"; }

}  // namespace dockerfix::gitlayer
