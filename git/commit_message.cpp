#include "git/commit_message.h"

#include <git2.h>

#include <algorithm>
#include <array>
#include <string_view>

#include <fmt/format.h>

#include "git/handles.h"

namespace dockerfix::gitlayer {

namespace {

struct RuleText {
  std::string_view rule;
  std::string_view phrase;     // completes "fix(docker): ..."
  std::string_view rationale;  // one sentence for the PR body
};

constexpr std::array<RuleText, 8> kRules{{
    {"nonroot-final-user", "run as non-root user {user} (uid {uid})",
     "The image ran as root: a compromised process would own the container. It now runs as a non-root user."},
    {"root-for-privileged-steps", "run privileged build steps as root",
     "These RUN steps need root (package installs, user management, system writes) but the stage runs as a "
     "non-root user, so the build failed with Permission denied. USER root is set around them and the user "
     "restored after."},
    {"explicit-uid", "create users with explicit ids",
     "useradd/adduser without an id picks whatever id is free in the base image; an explicit id keeps file "
     "ownership and Kubernetes securityContext stable."},
    {"copy-chown", "copy files owned by the runtime user",
     "COPY/ADD left files owned by root in a directory the runtime user must write; --chown gives them to it."},
    {"workdir-owner", "let the runtime user write its WORKDIR",
     "WORKDIR created the directory as root, so the non-root runtime user could not write it."},
    {"docker-socket-group", "add the user to the docker socket group",
     "The non-root user talks to the Docker socket but is not in its group; the group id is a build argument "
     "(dockerfix doctor socket prints the host's)."},
    {"healthcheck", "add a HEALTHCHECK",
     "The image runs a service but had no HEALTHCHECK, so orchestrators could not tell a hung container from a "
     "healthy one."},
    {"network-retry", "retry network downloads",
     "Downloads without retries fail the whole build on one network blip; curl, wget, apt-get, npm and pip now "
     "retry."},
}};

const RuleText* find(std::string_view rule) {
  for (const auto& r : kRules)
    if (r.rule == rule) return &r;
  return nullptr;
}

std::string phrase(const MessageInput& in, const std::string& rule) {
  const RuleText* t = find(rule);
  if (!t) return "apply " + rule;
  return fmt::format(fmt::runtime(t->phrase), fmt::arg("user", in.user), fmt::arg("uid", in.uid));
}

}  // namespace

std::vector<std::string> rules_of(const std::vector<FileChange>& changes) {
  std::vector<std::string> rules;
  for (const auto& c : changes)
    for (const auto& f : c.fixes)
      if (std::find(rules.begin(), rules.end(), f.rule) == rules.end()) rules.push_back(f.rule);
  // Registry order, not discovery order, so the same fixes give the same text.
  std::stable_sort(rules.begin(), rules.end(), [](const std::string& a, const std::string& b) {
    auto rank = [](const std::string& r) {
      const RuleText* t = find(r);
      return t ? t - kRules.data() : static_cast<std::ptrdiff_t>(kRules.size());
    };
    return rank(a) < rank(b);
  });
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

std::string commit_message(const MessageInput& in) {
  size_t fixes = 0;
  for (const auto& c : in.changes) fixes += c.fixes.size();
  std::string body = fmt::format("dockerfix applied {} fix{} to {} file{}:\n", fixes, fixes == 1 ? "" : "es",
                                 in.changes.size(), in.changes.size() == 1 ? "" : "s");
  for (const auto& c : in.changes) {
    body += fmt::format("\n{}\n", c.path);
    for (const auto& f : c.fixes) body += fmt::format("- line {}: {}: {}\n", f.line, f.rule, f.message);
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
  const RuleText* t = find(rule);
  return t ? std::string(t->rationale) : std::string();
}

std::string project_url() { return "https://github.com/dockerfix/dockerfix"; }

std::string rule_docs_url(const std::string& rule) { return project_url() + "/blob/main/docs/rules.md#" + rule; }

}  // namespace dockerfix::gitlayer
