#include "verify/prove.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <sstream>
#include <regex>

#include <fmt/format.h>

#include "model/words.h"
#include "verify/build.h"
#include "verify/build_context.h"
#include "verify/interrupt.h"
#include "verify/judge.h"

namespace dockerfix::verify {

namespace fs = std::filesystem;

std::string_view verdict_id(Verdict v) {
  switch (v) {
    case Verdict::Proven: return "proven";
    case Verdict::BrokeBuild: return "broke-build";
    case Verdict::BrokeRuntime: return "broke-runtime";
    case Verdict::NotProvable: return "not-provable";
    case Verdict::KeptUnproven: return "kept-unproven";
  }
  return "not-provable";
}

std::string_view verdict_text(Verdict v) {
  switch (v) {
    case Verdict::Proven: return "proven";
    case Verdict::BrokeBuild: return "broke the build";
    case Verdict::BrokeRuntime: return "broke the runtime";
    case Verdict::NotProvable: return "not provable";
    case Verdict::KeptUnproven: return "kept (needs no proof)";
  }
  return "not provable";
}

bool Proof::proven() const {
  return error.empty() && std::all_of(rules.begin(), rules.end(), [](const RuleVerdict& r) {
           return r.verdict == Verdict::Proven || r.verdict == Verdict::KeptUnproven;
         });
}

std::vector<std::string> Proof::kept_rules() const {
  std::vector<std::string> out;
  for (const auto& r : rules)
    if (r.verdict == Verdict::Proven || r.verdict == Verdict::KeptUnproven) out.push_back(r.rule);
  return out;
}

std::vector<std::string> Proof::dropped_rules() const {
  std::vector<std::string> out;
  for (const auto& r : rules)
    if (r.verdict != Verdict::Proven && r.verdict != Verdict::KeptUnproven) out.push_back(r.rule);
  return out;
}

std::string Proof::summary() const {
  if (!fixed || !fixed->built || kept_rules().empty()) return {};
  const RunOutcome& r = fixed->run;
  std::string s = "built and ran";
  if (r.uid) s += fmt::format(" as uid {}", *r.uid);
  if (r.still_running) s += fmt::format("; still running after {:.0f} s", r.seconds);
  else s += fmt::format("; exited with code {} after {:.1f} s", r.exit_code, r.seconds);
  // The probe ran every second, not at the image's interval.
  if (r.has_healthcheck && r.health == "healthy")
    s += fmt::format("; healthy after {:.0f} s (probed every second)", std::ceil(r.healthy_after));
  return s;
}

std::string Proof::original_summary() const {
  if (!original || !original->built || !original->ran || !original->run.started) return {};
  const RunOutcome& r = original->run;
  std::string s = "the original ran";
  if (r.uid) s += fmt::format(" as uid {}", *r.uid);
  if (r.still_running) s += fmt::format("; still running after {:.0f} s", r.seconds);
  else s += fmt::format("; exited with code {} after {:.1f} s", r.exit_code, r.seconds);
  return s;
}

namespace {

// Secrets and SSH agents are handed to a build by the client; the Engine
// API's builder gets neither.
bool needs_secrets(const Dockerfile& file) {
  static const std::regex re(R"(type=(secret|ssh)\b)");
  for (const auto& ins : file.instructions)
    for (const auto& f : ins.flags)
      if (f.name == "mount" && f.value && std::regex_search(*f.value, re)) return true;
  return false;
}

std::string hint_for(const std::string& error, const std::vector<std::string>& log, const std::string& network) {
  std::string all = error;
  for (const auto& l : log) all += "\n" + l;
  static const std::regex offline(R"(Temporary failure resolving|Could not resolve|getaddrinfo|ENOTFOUND|EAI_AGAIN|Network is unreachable|Failed to fetch)");
  if (network == "none" && std::regex_search(all, offline))
    return " (the build ran with --network none; RUNs that download need --network host)";
  static const std::regex buildkit(R"(unknown flag: (mount|chmod|link|parents|exclude)|unknown instruction: .*<<|heredoc)");
  if (std::regex_search(all, buildkit)) return " (this needs BuildKit; the engine's API builder is the classic one)";
  return {};
}

class Prover {
 public:
  Prover(const std::string& path, const std::string& source, const model::KnowledgeBase& kb,
         const fix::Options& options, const fix::Selection& selection, const Settings& settings)
      : path_(path), source_(source), kb_(kb), options_(options), selection_(selection), settings_(settings),
        engine_(settings.docker_host.empty() ? Engine::from_environment() : Engine(settings.docker_host)),
        janitor_(engine_) {
    if (!settings_.build_args.empty()) options_.model.build_args = settings_.build_args;
    if (!settings_.target.empty()) options_.model.target = settings_.target;
  }

  Proof run() {
    Proof proof;
    proof.path = path_;
    try {
      prove(proof);
    } catch (const Interrupted&) {
      janitor_.clean();
      remove_tar();
      throw;
    } catch (const std::exception& e) {
      proof.error = e.what();
      proof.kept = unchanged();
      for (auto& r : proof.rules)
        if (r.verdict != Verdict::KeptUnproven) r = {r.rule, Verdict::NotProvable, "cannot verify: " + proof.error, {}, r.fixes};
    }
    proof.left_behind = janitor_.clean();
    remove_tar();
    return proof;
  }

 private:
  void prove(Proof& proof) {
    Dockerfile file = parse(source_, path_);
    const fix::FixResult full = fix::fix(file, kb_, options_, selection_, settings_.scope);
    // The rules with a fix, in the order they are applied.
    std::vector<std::string> rules;
    for (const auto& rule : fix::registry()) {
      RuleVerdict v;
      v.rule = std::string(rule->id());
      for (const auto& f : full.applied)
        if (f.rule == v.rule) v.fixes.push_back(f);
      if (!v.fixes.empty()) {
        rules.push_back(v.rule);
        proof.rules.push_back(std::move(v));
      }
    }
    proof.kept = full;
    if (rules.empty()) return;  // nothing to prove
    auto verdict = [&](const std::string& rule) -> RuleVerdict& {
      return *std::find_if(proof.rules.begin(), proof.rules.end(), [&](const RuleVerdict& r) { return r.rule == rule; });
    };
    std::vector<std::string> base, unproven;  // fixes kept without proof, and those to prove
    for (const auto& r : rules) (needs_proof(full, r) ? unproven : base).push_back(r);
    for (const auto& r : base) verdict(r).verdict = Verdict::KeptUnproven;
    if (unproven.empty()) return;

    if (needs_secrets(file)) {
      proof.not_provable = "a build needs secrets or an SSH agent, which the Engine API cannot hand it";
      for (const auto& r : unproven) verdict(r) = {r, Verdict::NotProvable, proof.not_provable, {}, verdict(r).fixes};
      proof.kept = variant(base);
      add_rejections(proof, full);
      return;
    }
    if (context_dir().empty()) throw std::runtime_error("give --context DIR: a Dockerfile from standard input has no directory");

    engine_.ping();
    proof.original = image_for(source_, "original");
    if (!proof.original->built) {
      const auto& o = *proof.original;
      proof.not_provable = "the original does not build" + (o.failing_step.empty() ? "" : " (" + o.failing_step + ")") +
                           ": " + o.build_error + hint_for(o.build_error, o.build_log, settings_.network);
    }

    // All fixes at once first: the usual case is that they all prove.
    auto attempt = [&](const fix::FixResult& candidate, const std::string& label) {
      const ImageReport& image = image_for(candidate.text, label);
      Expectation e = expect_user(final_user(source_), final_user(candidate.text), proof.original);
      return std::make_pair(judge(proof.original, image, e), &image);
    };
    auto [all, all_image] = attempt(full, "fixed");
    if (all.verdict == Verdict::Proven) {
      for (const auto& r : unproven) verdict(r).verdict = Verdict::Proven, verdict(r).reason = all.reason;
      proof.fixed = *all_image;
      proof.kept = full;
      add_checks(*proof.fixed, full.text);
      return;
    }
    // Leave one out, last rule first: the first set that proves without one
    // rule names the fix that broke (and keeps the fixes that only work
    // together, like a USER and the chown of its WORKDIR).
    for (const auto& suspect : suspects(unproven, all)) {
      std::vector<std::string> without = base;
      for (const auto& r : unproven)
        if (r != suspect) without.push_back(r);
      fix::FixResult candidate = variant(without);
      if (candidate.text == source_ || candidate.text == full.text) continue;
      auto [j, image] = attempt(candidate, "without " + suspect);
      if (j.verdict != Verdict::Proven) continue;
      RuleVerdict& culprit = verdict(suspect);
      culprit.verdict = all.verdict;
      culprit.reason = all.reason;
      culprit.log = all.log;
      keep(proof, candidate, *image, j, unproven, {suspect});
      add_rejections(proof, full);
      return;
    }
    // More than one fix breaks: one rule at a time, in the order they
    // apply, each on top of the ones that proved.
    std::vector<std::string> kept = base;
    fix::FixResult last = variant(kept);
    const ImageReport* last_image = nullptr;
    std::vector<std::string> dropped;
    for (const auto& r : unproven) {
      std::vector<std::string> with = kept;
      with.push_back(r);
      fix::FixResult candidate = variant(with);
      RuleVerdict& v = verdict(r);
      if (candidate.text == last.text) {
        v.verdict = Verdict::NotProvable;
        v.reason = dropped.empty() ? "on its own it has nothing to change"
                                   : fmt::format("without {} it has nothing to change", fmt::join(dropped, ", "));
        dropped.push_back(r);
        continue;
      }
      auto [j, image] = attempt(candidate, "with " + r);
      v.verdict = j.verdict;
      v.reason = j.reason;
      v.log = j.log;
      if (j.verdict == Verdict::Proven) {
        kept = with;
        last = candidate;
        last_image = image;
      } else {
        dropped.push_back(r);
      }
    }
    proof.kept = last;
    add_rejections(proof, full);
    if (last_image) {
      proof.fixed = *last_image;
      add_checks(*proof.fixed, last.text);
    }
  }

  // A rule whose fixes are all safe is kept without proof unless every fix
  // is to be proven (`dockerfix verify`).
  bool needs_proof(const fix::FixResult& full, const std::string& rule) const {
    if (settings_.prove_safe_fixes) return true;
    return std::any_of(full.applied.begin(), full.applied.end(), [&](const fix::Finding& f) {
      return f.rule == rule && f.applicability == fix::Applicability::Unsafe;
    });
  }

  // The order to leave rules out in: the one the failure points at first
  // (a HEALTHCHECK that never became healthy, a USER when the container
  // misbehaves), then the rest from the last applied; retries last, as they
  // only change how downloads are tried.
  static std::vector<std::string> suspects(const std::vector<std::string>& rules, const Judgement& failure) {
    std::vector<std::string> order(rules.rbegin(), rules.rend());
    auto front = [&](const std::string& id) {
      auto it = std::find(order.begin(), order.end(), id);
      if (it != order.end()) std::rotate(order.begin(), it, it + 1);
    };
    auto back = [&](const std::string& id) {
      auto it = std::find(order.begin(), order.end(), id);
      if (it != order.end()) std::rotate(it, it + 1, order.end());
    };
    back("network-retry");
    if (failure.verdict == Verdict::BrokeRuntime && !failure.health) front("nonroot-final-user");
    if (failure.health) front("healthcheck");
    return order;
  }

  // `candidate` proved with every rule but `dropped`: the rules whose fix
  // is in it are proven, those whose fix vanished with the dropped ones are not.
  void keep(Proof& proof, const fix::FixResult& candidate, const ImageReport& image, const Judgement& j,
            const std::vector<std::string>& unproven, const std::vector<std::string>& dropped) {
    for (const auto& r : unproven) {
      if (std::find(dropped.begin(), dropped.end(), r) != dropped.end()) continue;
      RuleVerdict& v = *std::find_if(proof.rules.begin(), proof.rules.end(), [&](const RuleVerdict& x) { return x.rule == r; });
      bool present = std::any_of(candidate.applied.begin(), candidate.applied.end(),
                                 [&](const fix::Finding& f) { return f.rule == r; });
      if (present) {
        v.verdict = Verdict::Proven;
        v.reason = j.reason;
      } else {
        v.verdict = Verdict::NotProvable;
        v.reason = fmt::format("without {} it has nothing to change", fmt::join(dropped, ", "));
      }
    }
    proof.kept = candidate;
    proof.fixed = image;
    add_checks(*proof.fixed, candidate.text);
  }

  // The kept result lists every dropped fix with its reason, after the
  // ones the textual verification refused.
  void add_rejections(Proof& proof, const fix::FixResult& full) {
    std::vector<std::string> rejected = full.rejected;
    for (const auto& v : proof.rules)
      if (v.verdict != Verdict::Proven && v.verdict != Verdict::KeptUnproven)
        rejected.push_back(fmt::format("{}: {}: {}", v.rule, verdict_text(v.verdict), v.reason));
    proof.kept.rejected = std::move(rejected);
  }

  fix::FixResult unchanged() const {
    fix::FixResult r;
    r.text = source_;
    return r;
  }

  // The file with only these rules' fixes.
  fix::FixResult variant(const std::vector<std::string>& rules) {
    if (rules.empty()) return unchanged();
    fix::Selection s = selection_;
    s.only.clear();
    for (const auto& r : rules)
      if (selection_.selected(r)) s.only.push_back(r);
    if (s.only.empty()) return unchanged();
    return fix::fix(source_, path_, kb_, options_, s, settings_.scope);
  }

  model::EffectiveUser final_user(const std::string& text) {
    Dockerfile f = parse(text, path_);
    auto m = model::analyze(f, kb_, options_.model);
    if (!m.final_stage) return {};
    return m.stages[*m.final_stage].final_user;
  }

  fs::path context_dir() const {
    if (!settings_.context.empty()) return settings_.context;
    if (path_.empty() || path_ == "-") return {};
    return fs::absolute(on_disk()).parent_path();
  }

  fs::path on_disk() const {
    if (!settings_.dockerfile.empty()) return settings_.dockerfile;
    return path_ == "-" ? fs::path() : fs::path(path_);
  }

  void note(const std::string& line) {
    if (settings_.progress) settings_.progress(line);
  }

  const ImageReport& image_for(const std::string& text, const std::string& label) {
    if (auto it = cache_.find(text); it != cache_.end()) return it->second;
    ImageReport report;
    static std::atomic<int> counter{0};
    const std::string tag = fmt::format("dockerfix-verify:{}-{}", ::getpid(), ++counter);
    tar_ = fs::temp_directory_path() / fmt::format("dockerfix-verify-{}-{}.tar", ::getpid(), counter.load());
    ContextTar ctx = write_context(context_dir(), on_disk(), text, tar_);
    note(fmt::format("{}: building the {} image ({} files, {} bytes of context)", path_, label, ctx.files, ctx.bytes));
    BuildRequest req;
    req.tag = tag;
    req.dockerfile = ctx.dockerfile;
    req.build_args = settings_.build_args;
    req.target = settings_.target;
    req.network = settings_.network;
    req.timeout = settings_.build_timeout;
    req.on_layer = [this](const std::string& id) { janitor_.layers({id}); };
    janitor_.tag(tag);
    BuildResult b = build_image(engine_, tar_, req);
    remove_tar();
    ++builds_;
    report.built = b.ok;
    report.build_seconds = b.seconds;
    if (!b.ok) {
      report.build_error = b.error;
      report.failing_step = b.failing_step;
      report.build_log = b.log;
      note(fmt::format("{}: the {} image does not build: {}", path_, label, b.error));
      return cache_.emplace(text, std::move(report)).first->second;
    }
    ImageConfig cfg = inspect_image(engine_, b.image_id);
    report.configured_user = cfg.user;
    note(fmt::format("{}: running the {} image for {} s", path_, label, settings_.run.window.count()));
    report.run = run_image(engine_, janitor_, cfg, settings_.run);
    report.ran = true;
    configs_[text] = cfg;
    return cache_.emplace(text, std::move(report)).first->second;
  }

  // What the user can check by hand: the WORKDIR is writable, and the
  // files COPY put in the final stage belong to the user it runs as.
  void add_checks(ImageReport& report, const std::string& text) {
    auto it = configs_.find(text);
    if (it == configs_.end() || !report.run.started) return;
    const ImageConfig& cfg = it->second;
    std::string who = report.run.uid ? fmt::format("uid {}", *report.run.uid) : "its user";
    if (!cfg.workdir.empty()) {
      ProbeResult p = probe(engine_, janitor_, cfg.id, {"test", "-w", cfg.workdir}, settings_.run);
      if (p.ran) report.checks.push_back(fmt::format("WORKDIR {} is {}writable by {}", cfg.workdir,
                                                     p.exit_code == 0 ? "" : "not ", who));
    }
    std::vector<std::string> paths = copied_paths(text);
    if (paths.empty()) return;
    std::vector<std::string> argv{"stat", "-c", "%u:%g %n"};
    argv.insert(argv.end(), paths.begin(), paths.end());
    ProbeResult p = probe(engine_, janitor_, cfg.id, argv, settings_.run);
    if (!p.ran) return;
    std::istringstream lines(p.output);
    static const std::regex owner(R"(^(\d+:\d+) (/.*)$)");
    for (std::string line; std::getline(lines, line);) {
      std::smatch m;
      if (std::regex_match(line, m, owner)) report.checks.push_back(fmt::format("{} is owned by {}", m[2].str(), m[1].str()));
    }
  }

  // Where the final stage's COPY/ADD put a single named source.
  std::vector<std::string> copied_paths(const std::string& text) {
    Dockerfile f = parse(text, path_);
    auto m = model::analyze(f, kb_, options_.model);
    std::vector<std::string> out;
    if (!m.final_stage) return out;
    for (size_t si : m.stages[*m.final_stage].steps) {
      const auto& step = m.steps[si];
      const auto& ins = f.instructions[step.instruction];
      if (ins.keyword != "COPY" && ins.keyword != "ADD") continue;
      std::vector<std::string> words = ins.exec_form ? ins.exec : model::split_words(ins.arguments);
      if (words.size() != 2 || !ins.heredocs.empty()) continue;
      std::string src = model::unquote(words[0]), dest = model::unquote(words[1]);
      if (src.find_first_of("*?[$") != std::string::npos || dest.find('$') != std::string::npos) continue;
      if (src.find("://") != std::string::npos) continue;
      while (src.size() > 1 && src.back() == '/') src.pop_back();
      if (dest.front() != '/') dest = (step.workdir == "/" ? "" : step.workdir) + "/" + dest;
      if (dest.back() == '/') dest += fs::path(src).filename().string();
      if (std::find(out.begin(), out.end(), dest) == out.end()) out.push_back(dest);
    }
    return out;
  }

  void remove_tar() {
    if (!tar_.empty()) {
      std::error_code ec;
      fs::remove(tar_, ec);
      tar_.clear();
    }
  }

  const std::string path_, source_;
  const model::KnowledgeBase& kb_;
  fix::Options options_;
  const fix::Selection selection_;
  const Settings& settings_;
  Engine engine_;
  Janitor janitor_;
  std::map<std::string, ImageReport> cache_;
  std::map<std::string, ImageConfig> configs_;
  fs::path tar_;
  int builds_ = 0;

 public:
  int builds() const { return builds_; }
};

}  // namespace

Proof prove(const std::string& path, const std::string& source, const model::KnowledgeBase& kb,
            const fix::Options& options, const fix::Selection& selection, const Settings& settings) {
  Prover p(path, source, kb, options, selection, settings);
  Proof proof = p.run();
  proof.builds = p.builds();
  return proof;
}

}  // namespace dockerfix::verify
