#include "cli/kubernetes_checks.h"

#include <stdlib.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <memory>
#include <set>

#include <fmt/format.h>

#include "cli/config.h"
#include "cli/discovery.h"
#include "cli/file_io.h"
#include "cli/file_pipeline.h"
#include "cli/finding_text.h"
#include "cli/input_file.h"
#include "cli/atomic_write.h"
#include "cli/terminal.h"
#include "cli/unified_diff.h"
#include "dockerfix/syntax.h"
#include "k8s/k8s.h"

namespace dockerfix::cli {
namespace fs = std::filesystem;

namespace {

// A file the Kubernetes pass reads for workloads (a manifest, a chart's
// values or templates): without one in a tree the pass has nothing to do.
bool manifest_name(std::string_view name) { return name.ends_with(".yaml") || name.ends_with(".yml"); }

// The config's kubernetes.images name Dockerfiles relative to the config's
// directory; the pass's paths are relative to the directory it scans.
k8s::Config rebased(const Config& c, const fs::path& root) {
  k8s::Config out = c.kubernetes;
  if (c.root.empty()) return out;
  std::error_code ec;
  const fs::path base = fs::weakly_canonical(fs::absolute(root, ec), ec);
  for (auto& [image, dockerfile] : out.images) {
    std::string rel = (c.root / dockerfile).lexically_normal().lexically_relative(base).generic_string();
    if (!rel.empty() && !rel.starts_with("..")) dockerfile = rel;
  }
  return out;
}

// `USER agent[:group]` -> `USER <uid>[:group]` at the finding's USER line:
// the same account, written so the kubelet can verify it. Empty when the
// line is not such a USER or the result is not the numeric user intended.
std::optional<std::string> numeric_user(const std::string& text, const std::string& path, const k8s::DockerfileFix& df,
                                        const Settings& s) {
  if (!df.uid || df.line <= 0) return std::nullopt;
  Dockerfile parsed = parse(text, path);
  for (const auto& ins : parsed.instructions) {
    if (ins.keyword != "USER" || ins.start_line != df.line) continue;
    const std::string& args = ins.arguments;
    if (args.empty() || args.find_first_of("$ \t\\") != std::string::npos) return std::nullopt;
    size_t colon = args.find(':');
    std::string fixed = text;
    fixed.replace(ins.arguments_span.begin, colon == std::string::npos ? args.size() : colon, std::to_string(*df.uid));
    Dockerfile again = parse(fixed, path);
    for (const auto& d : again.diagnostics)
      if (d.severity == Severity::Error) return std::nullopt;
    k8s::ImageUser u = k8s::image_user_of(again, model::analyze(again, s.kb, s.options.model));
    if (!u.numeric_in_user_instruction || u.uid != df.uid) return std::nullopt;
    return fixed;
  }
  return std::nullopt;
}

}  // namespace

bool kubernetes_input_name(const std::string& name) {
  return manifest_name(name) || k8s::is_dockerfile_name(name);
}

KubeResult check_repository(const Settings& s, const fs::path& root, const std::vector<std::string>& files,
                            const DockerfileSource& dockerfile) {
  KubeResult out;
  if (std::none_of(files.begin(), files.end(), [](const std::string& f) { return manifest_name(f); })) return out;
  const char* helm = std::getenv("DOCKERFIX_HELM");  // a path, or "none"; default: helm on PATH
  k8s::Inventory inv = k8s::scan(root, {.helm = {helm ? helm : ""}, .files = files});
  for (const auto& p : inv.problems) out.problems.push_back(fmt::format("{}:{}:{}: {}", p.file, p.line, p.column, p.message));
  out.notes = inv.notes;
  if (inv.workloads.empty()) return out;
  auto maps = k8s::map_images(inv, rebased(s.config, root));

  // The images' users as the Dockerfile fixes leave them: the manifests are
  // compared with the image apply makes.
  std::map<std::string, std::string> texts;
  k8s::ImageUsers users;
  for (const auto& m : maps) {
    const auto& w = inv.workloads[m.workload];
    if (m.dockerfile.empty()) {
      if (!m.public_image)
        out.notes.push_back(fmt::format("{}: container {} of {} not checked: {}", w.file,
                                        w.containers[m.container].name, w.label(), m.reason));
      continue;
    }
    if (users.count(m.dockerfile) || texts.count(m.dockerfile)) continue;
    auto text = dockerfile(m.dockerfile);
    if (!text) continue;
    Dockerfile parsed = parse(*text, m.dockerfile);
    model::Options mo = s.options.model;
    mo.context = (root / m.dockerfile).parent_path();
    users[m.dockerfile] = k8s::image_user_of(parsed, model::analyze(parsed, s.kb, mo));
    texts[m.dockerfile] = std::move(*text);
  }
  std::vector<k8s::Finding> found;
  for (auto& f : k8s::check(inv, maps, users))
    if (s.selection.selected(f.rule)) found.push_back(std::move(f));

  std::vector<k8s::Finding> yaml_fixes;       // made by k8s::apply
  std::vector<size_t> yaml_index;             // into out.findings
  std::map<std::string, std::string> fixed_dockerfiles;
  std::map<std::string, std::vector<fix::Finding>> dockerfile_applied;
  for (auto& f : found) {
    KubeFinding kf;
    kf.path = f.where.file;
    kf.related = f.related;
    fix::Finding& x = kf.finding;
    x.rule = f.rule;
    x.message = f.message;
    x.span = {f.where.begin, f.where.end};
    x.line = f.where.line;
    x.column = f.where.column;
    x.no_fix_reason = f.no_fix_reason;
    // SARIF and JSON print a finding's own severity (BuildKit's error=true
    // sets it for Dockerfiles); a manifest's finding has its rule's.
    const fix::RuleInfo* info = fix::find_rule(f.rule);
    x.severity = info ? info->severity : fix::Severity::Warning;
    x.applicability = f.fix_safe ? fix::Applicability::Safe : fix::Applicability::Unsafe;
    kf.end_line = x.line;
    kf.end_column = x.column;
    if (int i = inv.file_index(f.where.file); i >= 0 && !out.sources.count(f.where.file))
      out.sources[f.where.file] = inv.files[static_cast<size_t>(i)].text;
    if (int i = inv.file_index(f.where.file); i >= 0 && f.where.end > f.where.begin) {
      auto [l, c] = inv.files[static_cast<size_t>(i)].position(f.where.end);
      kf.end_line = l;
      kf.end_column = c;
    }
    const auto& df = f.dockerfile_fix;
    const bool dockerfile_side = df && (f.preferred == k8s::Side::Dockerfile || f.fix.empty());
    if (dockerfile_side && df->kind == k8s::DockerfileFix::Kind::NumericUser && df->uid && texts.count(df->dockerfile)) {
      // The Dockerfile side: safe, the image runs as the uid it already had.
      const std::string& base = fixed_dockerfiles.count(df->dockerfile) ? fixed_dockerfiles[df->dockerfile]
                                                                          : texts[df->dockerfile];
      if (auto fixed = numeric_user(base, df->dockerfile, *df, s)) {
        fixed_dockerfiles[df->dockerfile] = *fixed;
        x.applicability = fix::Applicability::Safe;
        x.no_fix_reason.clear();
        x.will_fix = true;
        x.message += fmt::format(" (fix: USER {} in {}:{})", *df->uid, df->dockerfile, df->line);
        kf.fix_in = df->dockerfile;
        fix::Finding at_user = x;  // commit messages list it at the Dockerfile's USER line
        at_user.line = df->line;
        dockerfile_applied[df->dockerfile].push_back(at_user);
        ++out.fixable;
      } else if (fixed_dockerfiles.count(df->dockerfile)) {
        // Another container of the same image already gets the same USER.
        x.applicability = fix::Applicability::Safe;
        x.no_fix_reason.clear();
        x.will_fix = true;
        x.message += fmt::format(" (fix: USER {} in {}:{})", *df->uid, df->dockerfile, df->line);
        kf.fix_in = df->dockerfile;
        ++out.fixable;
      } else {
        x.no_fix_reason = fmt::format("USER at {}:{} cannot be made numeric; set runAsUser: {} instead", df->dockerfile,
                                      df->line, *df->uid);
      }
    } else if (dockerfile_side && df->kind == k8s::DockerfileFix::Kind::PinUid && df->uid) {
      x.no_fix_reason = fmt::format("{}; dockerfix apply --rule explicit-uid --uid {} {} does it",
                                    x.no_fix_reason.empty() ? "pin the image user's uid" : x.no_fix_reason, *df->uid,
                                    df->dockerfile);
    } else if (!f.fix.empty()) {
      for (const auto& e : f.fix) x.fix.push_back({{e.begin, e.end}, e.text});
      if (s.scope.allows(x.applicability)) {
        x.will_fix = true;
        yaml_fixes.push_back(f);
        yaml_index.push_back(out.findings.size());
        ++out.fixable;
      } else {
        ++out.more_with_unsafe;
      }
    }
    out.findings.push_back(std::move(kf));
  }

  k8s::ApplyResult applied = k8s::apply(inv, yaml_fixes);
  out.rejected = applied.rejected;
  for (const auto& c : applied.files) {
    KubeFileChange change{c.path, c.before, c.after, {}};
    for (size_t i : c.findings) change.applied.push_back(out.findings[yaml_index[i]].finding);
    out.changes.push_back(std::move(change));
  }
  for (const auto& [path, after] : fixed_dockerfiles)
    out.changes.push_back({path, texts[path], after, dockerfile_applied[path]});
  return out;
}

namespace {

nlohmann::json finding_json(const KubeFinding& k) {
  const fix::Finding& f = k.finding;
  const bool has_fix = !f.fix.empty() || !k.fix_in.empty();
  nlohmann::json j{{"rule", f.rule},
                   {"message", f.message},
                   {"line", std::max(f.line, 1)},
                   {"column", std::max(f.column, 1)},
                   {"end_line", std::max(k.end_line, 1)},
                   {"end_column", std::max(k.end_column, 1)},
                   {"severity", fix::to_string(f.severity)},
                   {"fixable", f.will_fix},
                   {"applicability", has_fix ? nlohmann::json(fix::to_string(f.applicability)) : nlohmann::json(nullptr)}};
  if (!f.no_fix_reason.empty()) j["no_fix_reason"] = f.no_fix_reason;
  auto edits = nlohmann::json::array();
  for (const auto& e : f.fix) edits.push_back({{"start", e.range.begin}, {"end", e.range.end}, {"text", e.text}});
  j["fix"] = edits;
  if (!k.fix_in.empty()) j["fix_in"] = k.fix_in;
  if (!k.related.empty()) {
    auto rel = nlohmann::json::array();
    for (const auto& l : k.related)
      if (!l.file.empty()) rel.push_back({{"path", l.file}, {"line", std::max(l.line, 1)}});
    j["related"] = rel;
  }
  return j;
}

// A directory argument's repository-relative path as the user spelled it.
std::string shown(const std::string& dir, const std::string& rel) {
  return (fs::path(dir) / rel).lexically_normal().string();
}

void pass_for_directory(const std::string& dir, const Settings& s, KubeSinks& k) {
  Discovered found = discover_in(dir, s.config, kubernetes_input_name);
  // check_repository has nothing to do without a YAML file: a tree of
  // Dockerfiles alone is not copied into the map below, one entry a file.
  bool any_manifest = false;
  for (size_t i = 0; i < found.files.size() && !any_manifest; ++i) any_manifest = manifest_name(found.files.path(i));
  if (!any_manifest) return;
  std::map<std::string, Input> inputs;  // repository-relative
  std::vector<std::string> files;
  for (size_t i = 0; i < found.files.size(); ++i) {
    Input in = found.files[i];
    std::string rel = fs::path(in.path).lexically_relative(dir).generic_string();
    if (rel.empty() || rel.starts_with("..")) continue;
    files.push_back(rel);
    inputs.emplace(rel, std::move(in));
  }
  const FilePipeline pipeline(s);
  // The Dockerfiles as the Dockerfile loop leaves them (apply has written them).
  DockerfileSource source = [&](const std::string& rel) -> std::optional<std::string> {
    auto it = inputs.find(rel);
    if (it == inputs.end()) return std::nullopt;
    InputFile opened;
    std::string bytes, error;
    if (open_input(it->second, s.max_size, opened, bytes, error) != ReadStatus::Ok) return std::nullopt;
    FileOutcome fixed = pipeline.fix(it->second.path, bytes, fs::absolute(it->second.path).parent_path());
    if (!fixed.error.empty()) return std::nullopt;
    return fixed.fixed.text;
  };
  KubeResult r = check_repository(s, dir, files, source);
  for (const auto& p : r.problems) k.input_error(shown(dir, p.substr(0, p.find(':'))) + p.substr(p.find(':')));
  if (!k.quiet)
    for (const auto& n : r.notes) fmt::print(stderr, "dockerfix: note: {}\n", shown(dir, n.substr(0, n.find(':'))) + n.substr(n.find(':')));

  if (k.mode == KubeMode::Check) {
    std::map<std::string, nlohmann::json> by_file;
    std::map<std::string, SourceLines> lines;
    std::set<std::string> with_findings;
    std::map<std::string, std::vector<fix::Finding>> ci_by_file;
    for (auto f : r.findings) {
      const std::string path = shown(dir, f.path);
      s.set_severity(f.finding);
      if (k.failing && s.fails(f.finding)) *k.failing = true;
      k.any = true;
      ++k.findings;
      if (with_findings.insert(f.path).second && k.files) ++*k.files;
      if (k.ci_file) ci_by_file[path].push_back(f.finding);
      else if (k.sarif) {
        auto t = r.sources.find(f.path);
        k.sarif_result(SarifWriter::result(path, f.finding, f.end_line, f.end_column,
                                           t == r.sources.end() ? std::string_view() : std::string_view(t->second)));
      }
      else if (k.json) by_file[path].push_back(finding_json(f));
      else if (!k.quiet) {
        const SourceLines* source = nullptr;
        if (auto t = r.sources.find(f.path); k.layout.full && t != r.sources.end())
          source = &lines.try_emplace(f.path, t->second).first->second;
        k.out(finding_text(path, f.finding, k.layout, source));
      }
    }
    for (auto& [path, list] : by_file) k.json_file(path, list);
    for (auto& [path, list] : ci_by_file) k.ci_file(path, list);
    k.fixable += r.fixable;
    k.more += r.more_with_unsafe;
    return;
  }
  for (const auto& why : r.rejected) fmt::print(stderr, "dockerfix: {}: fix dropped: {}\n", dir, why);
  for (const auto& c : r.changes) {
    const std::string path = shown(dir, c.path);
    k.any = true;
    if (k.mode == KubeMode::Diff) {
      if (!k.quiet) k.out(unified_diff(path, c.before, c.after, k.color));
      continue;
    }
    auto it = inputs.find(c.path);
    if (it == inputs.end()) {
      k.input_error(path + ": not among the files read; not written");
      continue;
    }
    // Written as Dockerfiles are: only if it is still the file that was
    // read (for a Dockerfile, as the Dockerfile loop left it).
    InputFile opened;
    std::string bytes, error, note;
    if (open_input(it->second, s.max_size, opened, bytes, error) != ReadStatus::Ok) {
      k.input_error(error);
      continue;
    }
    if (bytes != c.before) {
      k.input_error(path + ": not as dockerfix read it (changed meanwhile, or its Dockerfile fixes were not written); "
                           "not written");
      continue;
    }
    if (!write_atomically(opened, c.after, error, note)) {
      k.input_error(error);
      continue;
    }
    if (!note.empty()) fmt::print(stderr, "dockerfix: note: {}\n", note);
    std::vector<std::string> rules;
    for (const auto& f : c.applied)
      if (std::find(rules.begin(), rules.end(), f.rule) == rules.end()) rules.push_back(f.rule);
    if (!k.quiet)
      k.out(fmt::format("{} {} ({} fix{}: {})\n", paint(k.color, Paint::Added, "fixed"), paint(k.color, Paint::Path, path),
                        c.applied.size(), c.applied.size() == 1 ? "" : "es", fmt::join(rules, ", ")));
  }
}

}  // namespace

void run_kubernetes_pass(const std::vector<std::string>& directories, const Settings& s, KubeSinks& sinks) {
  for (const auto& dir : directories) pass_for_directory(dir, s, sinks);
}

gitlayer::TreeFixer make_tree_fixer(const Settings& settings) {
  auto s = std::make_shared<Settings>(settings);
  gitlayer::TreeFixer t;
  t.wants = kubernetes_input_name;
  // check_repository has nothing to do without a YAML file.
  t.needs = manifest_name;
  t.fix = [s](const std::map<std::string, std::string>& head, const std::map<std::string, std::string>& fixed,
              std::vector<std::string>& errors) {
    std::vector<gitlayer::TreeFile> out;
    // The library reads files from disk: HEAD's, in a private directory.
    std::string templ = (fs::temp_directory_path() / "dockerfix-k8s-XXXXXX").string();
    if (!mkdtemp(templ.data())) {
      errors.push_back("cannot make a temporary directory for the Kubernetes manifests");
      return out;
    }
    const fs::path dir = templ;
    std::vector<std::string> files;
    for (const auto& [path, bytes] : head) {
      if (is_ignored_relative(s->config, path)) continue;
      fs::path p = dir / path;
      std::error_code ec;
      fs::create_directories(p.parent_path(), ec);
      std::ofstream(p, std::ios::binary) << bytes;
      files.push_back(path);
    }
    KubeResult r = check_repository(*s, dir, files, [&](const std::string& path) -> std::optional<std::string> {
      auto it = fixed.find(path);
      if (it == fixed.end()) return std::nullopt;
      return it->second;
    });
    std::error_code ec;
    fs::remove_all(dir, ec);
    errors.insert(errors.end(), r.problems.begin(), r.problems.end());
    for (const auto& c : r.changes) {
      gitlayer::TreeFile t{c.path, c.after, {}};
      for (const auto& f : c.applied) t.fixes.push_back({f.rule, f.message, f.line});
      out.push_back(std::move(t));
    }
    return out;
  };
  return t;
}

}  // namespace dockerfix::cli
