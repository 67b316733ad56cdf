#include "cli/git_fixer.h"

#include <filesystem>

#include <fmt/core.h>

#include "cli/file_io.h"
#include "cli/input_check.h"

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
    if (auto refused = refuse_input(path, bytes, s.max_size)) {
      out.error = *refused;
      return out;
    }
    Dockerfile file = parse(bytes, path);
    for (const auto& d : file.diagnostics)
      if (d.severity == Severity::Error) {
        out.error = fmt::format("{}:{}:{}: {} ({})", path, d.line, d.column, d.message, d.code);
        return out;
      }
    fix::Options po = s.options;
    if (!root.empty()) po.model.context = (std::filesystem::path(root) / path).parent_path();
    auto result = fix::fix(std::move(file), s.kb, po, s.selection);
    out.text = std::move(result.text);
    for (const auto& f : result.applied) out.fixes.push_back({f.rule, f.message, f.line});
    return out;
  };
}

gitlayer::NameFilter dockerfile_names() {
  return [](const std::string& name) { return is_dockerfile_name(name); };
}

}  // namespace dockerfix::cli
