#include "cli/git_fixer.h"

#include <filesystem>

#include "cli/file_io.h"

namespace dockerfix::cli {

namespace {

// A proof in the git layer's words (git/fixer.h).
gitlayer::FileProof file_proof(const verify::Proof& p) {
  gitlayer::FileProof out;
  out.error = p.error;
  out.summary = p.summary();
  if (!out.summary.empty()) out.original = p.original_summary();
  for (const auto& r : p.rules) {
    const bool kept = r.verdict == verify::Verdict::Proven || r.verdict == verify::Verdict::KeptUnproven;
    const std::string verdict =
        r.verdict == verify::Verdict::KeptUnproven ? "safe, needs no proof" : std::string(verify::verdict_text(r.verdict));
    (kept ? out.kept : out.dropped).push_back({r.rule, verdict, r.reason});
  }
  return out;
}

}  // namespace

gitlayer::FileFixer make_fixer(const Settings& s, std::string context_root, Verifier verify) {
  // One pipeline for every file: it refers to the settings, not a copy.
  auto pipeline = std::make_shared<const FilePipeline>(s, std::move(verify));
  return [&s, pipeline, root = std::move(context_root)](const std::string& path, const std::string& bytes) {
    gitlayer::FileFix out;
    // The config's ignore list covers the files a tree walk finds, as it does
    // for directory discovery.
    if (s.config.root.empty() ? is_ignored_relative(s.config, path)
                              : is_ignored(s.config, std::filesystem::path(root) / path)) {
      out.ignored = true;
      return out;
    }
    std::optional<std::filesystem::path> context;
    if (!root.empty()) context = (std::filesystem::path(root) / path).parent_path();
    FileOutcome result = pipeline->fix(path, bytes, context);
    // What a verification found, also when it could not run or kept nothing.
    if (result.proof && (!result.proof->error.empty() || !result.proof->rules.empty()))
      out.proof = file_proof(*result.proof);
    if (!result.error.empty()) {
      out.error = std::move(result.error);
      return out;
    }
    out.text = std::move(result.fixed.text);
    for (const auto& f : result.fixed.applied) out.fixes.push_back({f.rule, f.message, f.line});
    return out;
  };
}

gitlayer::NameFilter dockerfile_names() {
  return [](const std::string& name) { return is_dockerfile_name(name); };
}

}  // namespace dockerfix::cli
