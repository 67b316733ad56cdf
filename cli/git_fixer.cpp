#include "cli/git_fixer.h"

#include <filesystem>

#include "cli/file_io.h"
#include "cli/file_pipeline.h"

namespace dockerfix::cli {

gitlayer::FileFixer make_fixer(const Settings& s, std::string context_root) {
  return [&s, root = std::move(context_root)](const std::string& path, const std::string& bytes) {
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
    FileOutcome result = FilePipeline(s).fix(path, bytes, context);
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
