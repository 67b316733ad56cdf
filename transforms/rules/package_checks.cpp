#include "transforms/rules/package_checks.h"

#include <algorithm>

#include "transforms/rule_support.h"
#include "transforms/rules/rule_queries.h"

namespace dockerfix::fix {

namespace {

bool named(std::string_view s, const Names& names) { return std::find(names.begin(), names.end(), s) != names.end(); }

bool has_any_arg(const model::RunCommand& c, const Names& words) {
  for (size_t i = c.program + 1; i < c.words.size(); ++i)
    if (named(c.words[i].value, words)) return true;
  return false;
}

bool runs_any(const model::RunCommand& c, const Names& programs, const Names& subcommands) {
  return named(c.name(), programs) && has_any_arg(c, subcommands);
}

}  // namespace

std::vector<Finding> missing_yes(const Context& ctx, std::string_view id, const YesSwitch& s) {
  std::vector<Finding> out;
  for (const auto& run : run_steps(ctx))
    for (const auto& c : run.step.commands) {
      if (!runs_any(c, s.programs, s.subcommands) ||
          std::any_of(s.given.begin(), s.given.end(), [&](std::string_view f) { return c.has_flag(f); }))
        continue;
      const std::string add(s.add);
      Finding fd = make_finding(ctx.file, id, std::string(c.name()) + " without " + add + " waits for an answer: add " + add, c.program_word()->span);
      fd.fix.push_back({c.insert_after(0), " " + add});
      out.push_back(std::move(fd));
    }
  return out;
}

std::vector<Finding> missing_clean(const Context& ctx, std::string_view id, const CacheClean& spec) {
  auto cleans = [&](const model::RunCommand& c, const std::string& program) {
    if (c.name() == program && has_any_arg(c, spec.clean_args)) return true;
    if (c.name() != "rm") return false;
    for (size_t i = c.program + 1; i < c.words.size(); ++i)
      for (std::string_view p : spec.removed_paths)
        if (c.words[i].value.starts_with(p)) return true;
    return false;
  };
  std::vector<Finding> out;
  for (const auto& run : run_steps(ctx)) {
    if (std::any_of(spec.mounts.begin(), spec.mounts.end(), [&](std::string_view m) { return cache_mount(run.ins, m); }))
      continue;
    const auto& cmds = run.step.commands;
    for (size_t k = 0; k < cmds.size(); ++k) {
      const auto& c = cmds[k];
      if (!runs_any(c, spec.programs, spec.installs)) continue;
      const std::string program(c.name());
      bool cleaned = false;
      for (size_t j = k + 1; j < cmds.size(); ++j) cleaned = cleaned || cleans(cmds[j], program);
      if (cleaned) continue;
      const std::string clean = program + (spec.all ? " clean all" : " clean");
      Finding fd = make_finding(ctx.file, id, program + " install leaves its cache in the layer: add && " + clean, c.program_word()->span);
      if (auto at = run_append_point(ctx.file, run)) fd.fix.push_back({{*at, *at}, " && " + clean});
      else fd.no_fix_reason = "the RUN does not end in a command text can follow";
      out.push_back(std::move(fd));
      break;  // one clean at the end covers every install of the RUN
    }
  }
  return out;
}

bool rpm_pinned(const std::string& p) {
  if (p.ends_with(".rpm")) return true;
  auto dash = p.find('-');
  if (dash == std::string::npos) return false;
  bool digit = false;
  size_t start = dash + 1;
  while (start <= p.size()) {
    size_t next = p.find('-', start);
    std::string_view part = std::string_view(p).substr(start, next == std::string::npos ? std::string::npos : next - start);
    if (part.empty()) return false;
    for (char ch : part)
      if (!std::isalnum(static_cast<unsigned char>(ch)) && std::string_view(".~^_:+").find(ch) == std::string_view::npos) return false;
    digit = digit || std::isdigit(static_cast<unsigned char>(part.front()));
    if (next == std::string::npos) break;
    start = next + 1;
  }
  return digit;
}

std::vector<Finding> unpinned_rpms(const Context& ctx, std::string_view id, const Names& programs) {
  std::vector<Finding> out;
  for (const auto& run : run_steps(ctx))
    for (const auto& c : run.step.commands) {
      if (!runs_any(c, programs, {"install"}) || has_arg(c, {"group", "groupinstall"})) continue;
      const bool module = has_arg(c, {"module"});
      std::vector<const model::ShellWord*> loose;
      for (const auto* w : operands_after(c, {"install"}, {"--releasever", "--repo", "--enablerepo", "--disablerepo", "--setopt", "--installroot", "-c", "--config", "--exclude", "-x"})) {
        if (!w->literal || w->value == "module") continue;
        if (module ? !contains(w->value, ":") : !rpm_pinned(w->value)) loose.push_back(w);
      }
      if (loose.empty()) continue;
      out.push_back(make_finding(ctx.file, id,
                                 std::string(c.name()) + " install without versions: pin " + join_values(loose) +
                                     (module ? " (module:stream)" : " (package-version)"),
                                 c.program_word()->span));
    }
  return out;
}

std::string join_values(const std::vector<const model::ShellWord*>& ws) {
  std::string out;
  for (const auto* w : ws) out += (out.empty() ? "" : ", ") + w->value;
  return out;
}

std::optional<size_t> pip_at(const model::RunCommand& c) {
  const std::string name(c.name());
  if (name.starts_with("pip") && name != "pipx" && name != "pipenv") return c.program;
  if (!name.starts_with("python")) return std::nullopt;
  for (size_t i = c.program + 1; i + 1 < c.words.size(); ++i)
    if (c.words[i].value == "-m") {
      const std::string& m = c.words[i + 1].value;
      if (m == "pip" || m == "pip3") return i + 1;
      return std::nullopt;
    }
  return std::nullopt;
}

}  // namespace dockerfix::fix
