// copy-ignored-file (BuildKit's CopyIgnoredFile): COPY or ADD names a file .dockerignore excludes.
#include <array>
#include <fmt/format.h>
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <regex>
#include "model/context_files.h"
#include "transforms/buildkit_support.h"
#include "transforms/rule_support.h"
#include "transforms/rules/rule_registration.h"

namespace dockerfix::fix {

namespace pages {
std::string_view copy_ignored_file();  // README.md beside this file, compiled in
}

namespace {

using namespace buildkit;

// Go's path.Clean.
std::string clean(std::string_view p) {
  const bool rooted = p.starts_with("/");
  std::vector<std::string> parts;
  for (size_t i = 0; i <= p.size();) {
    size_t at = p.find('/', i);
    if (at == std::string_view::npos) at = p.size();
    std::string_view part = p.substr(i, at - i);
    if (part == "..") {
      if (!parts.empty() && parts.back() != "..") parts.pop_back();
      else if (!rooted) parts.emplace_back("..");
    } else if (!part.empty() && part != ".") {
      parts.emplace_back(part);
    }
    i = at + 1;
  }
  std::string out = rooted ? "/" : "";
  for (size_t i = 0; i < parts.size(); ++i) out += (i ? "/" : "") + parts[i];
  return out.empty() ? "." : out;
}

// A .dockerignore as moby/patternmatcher reads it: patterns (cleaned, a
// leading `/` dropped) and whether any is an exclusion (`!`).
struct Ignore {
  std::vector<std::string> patterns;
  std::vector<std::regex> compiled;
  bool exclusions = false;
  std::string name;  // which file, for the page's sake in messages
};

// patternmatcher's pattern: `**` any number of directories, `*` and `?`
// within one, `[...]` classes, `\` escapes.
std::regex compile(const std::string& pattern) {
  std::string re = "^";
  for (size_t i = 0; i < pattern.size(); ++i) {
    char c = pattern[i];
    if (c == '*') {
      if (i + 1 < pattern.size() && pattern[i + 1] == '*') {
        ++i;
        if (i + 1 < pattern.size() && pattern[i + 1] == '/') {
          ++i;
          re += "(.*/)?";
        } else {
          re += ".*";
        }
      } else {
        re += "[^/]*";
      }
    } else if (c == '?') {
      re += "[^/]";
    } else if (c == '[') {
      size_t close = pattern.find(']', i + 1);
      if (close == std::string::npos) {
        re += "\\[";
        continue;
      }
      std::string cls = pattern.substr(i + 1, close - i - 1);
      if (!cls.empty() && cls[0] == '!') cls[0] = '^';
      re += "[" + cls + "]";
      i = close;
    } else if (c == '\\' && i + 1 < pattern.size()) {
      re += "\\";
      re += pattern[++i];
    } else if (std::isalnum(static_cast<unsigned char>(c)) || c == '/' || c == '_' || c == '-') {
      re += c;
    } else {
      re += "\\";
      re += c;
    }
  }
  return std::regex(re + "$");
}

std::optional<Ignore> read_ignore(const std::filesystem::path& p) {
  // Mostly there is none: a stat is cheaper than opening a stream.
  std::error_code ec;
  if (!std::filesystem::exists(p, ec)) return std::nullopt;
  std::ifstream in(p, std::ios::binary);
  if (!in) return std::nullopt;
  Ignore out;
  out.name = p.filename().string();
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line[0] == '#') continue;
    auto b = line.find_first_not_of(" \t\r\n\f\v");
    if (b == std::string::npos) continue;
    line = line.substr(b, line.find_last_not_of(" \t\r\n\f\v") - b + 1);
    bool invert = line[0] == '!';
    if (invert) {
      out.exclusions = true;
      continue;  // the check is off then anyway
    }
    std::string pattern = clean(line);
    if (pattern.size() > 1 && pattern[0] == '/') pattern.erase(0, 1);
    try {
      out.compiled.push_back(compile(pattern));
      out.patterns.push_back(pattern);
    } catch (const std::regex_error&) {
      return std::nullopt;  // BuildKit fails on a bad pattern
    }
  }
  return out;
}

// BuildKit reads <Dockerfile>.dockerignore beside the Dockerfile when there
// is one, else .dockerignore at the root of the build context.
std::optional<Ignore> ignore_of(const Context& ctx) {
  const std::string& path = ctx.file.path;
  const auto& context = ctx.options.model.context;
  if (!path.empty() && path != "-") {
    std::filesystem::path df(path);
    std::error_code ec;
    std::filesystem::path beside = df;
    beside += ".dockerignore";
    if (std::filesystem::is_regular_file(beside, ec)) return read_ignore(beside);
    if (context && std::filesystem::is_regular_file(*context / (df.filename().string() + ".dockerignore"), ec))
      return read_ignore(*context / (df.filename().string() + ".dockerignore"));
  }
  if (!context) return std::nullopt;
  return read_ignore(*context / ".dockerignore");
}

// ignore_of(), once per review: every version of the file reads the same
// .dockerignore (the files do not change while one file is reviewed).
struct KeptIgnores {
  std::map<std::pair<std::string, std::optional<std::string>>, std::optional<Ignore>> by_file;  // (path, context)
};

const std::optional<Ignore>& ignore_for(const Context& ctx, std::optional<Ignore>& unkept) {
  auto files = model::review_context_files(ctx.model);
  if (!files) return unkept = ignore_of(ctx);
  const auto& context = ctx.options.model.context;
  auto& by_file = files->kept<KeptIgnores>().by_file;
  auto key = std::make_pair(ctx.file.path, context ? std::optional(context->native()) : std::nullopt);
  auto it = by_file.find(key);
  if (it == by_file.end()) it = by_file.emplace(std::move(key), ignore_of(ctx)).first;
  return it->second;  // lives as long as the review's ContextFiles, which outlive this check
}

bool ignored(const Ignore& ig, const std::string& file) {
  std::vector<std::string> candidates{file};
  // MatchesOrParentMatches: the file, or one of its parent directories.
  for (size_t at = file.find('/'); at != std::string::npos; at = file.find('/', at + 1))
    if (at > 0) candidates.push_back(file.substr(0, at));
  for (const auto& re : ig.compiled)
    for (const auto& c : candidates)
      if (std::regex_match(c, re)) return true;
  return false;
}

bool remote(const std::string& src) {
  return src.starts_with("http://") || src.starts_with("https://") || src.starts_with("git@") ||
         src.starts_with("git://") || src.find(".git#") != std::string::npos || src.ends_with(".git");
}

class CopyIgnoredFile : public Rule {
 public:
  const RuleInfo& info() const override;
  std::vector<Finding> check(const Context& ctx) const override {
    const auto& f = ctx.file;
    std::vector<Finding> out;
    // Without a COPY or ADD there is no need to look for a .dockerignore.
    if (std::none_of(f.instructions.begin(), f.instructions.end(),
                     [](const Instruction& ins) { return ins.keyword == "COPY" || ins.keyword == "ADD"; }))
      return out;
    std::optional<Ignore> unkept;
    const std::optional<Ignore>& ig = ignore_for(ctx, unkept);
    // As BuildKit: exclusions make it too hard to tell statically.
    if (!ig || ig->exclusions || ig->patterns.empty()) return out;
    const bool root_ignored = std::any_of(ig->patterns.begin(), ig->patterns.end(),
                                          [](const std::string& p) { return p == "*" || p == "**" || p == "**/*"; });
    const StageStates* states = nullptr;
    for (size_t i = 0; i < f.instructions.size(); ++i) {
      const auto& ins = f.instructions[i];
      if (ins.keyword != "COPY" && ins.keyword != "ADD") continue;
      if (std::any_of(ins.flags.begin(), ins.flags.end(), [](const Flag& fl) { return fl.name == "from"; })) continue;
      auto paths = copy_paths(ins);
      if (paths.size() < 2) continue;
      paths.pop_back();  // the destination
      for (const auto& raw : paths) {
        std::string src = raw;
        if (raw.find('$') != std::string::npos || raw.find_first_of("\"'") != std::string::npos) {
          if (!states) states = &stage_states(ctx);
          if (!(*states)[i] || !(*states)[i]->env_known) continue;
          src = process_word(raw, (*states)[i]->env, f.escape).result;
        }
        if (remote(src)) continue;
        src = clean(src);
        if ((src == "." || src == "/") && !root_ignored) continue;
        if (!ignored(*ig, src)) continue;
        Finding fd = make_finding(f, id(),
                                  fmt::format("Attempting to {} file {} that is excluded by .dockerignore",
                                              ins.keyword == "ADD" ? "Add" : "Copy", go_quote(src)),
                                  find_on_first_line(f, ins, raw));
        fd.check_comments_of = i;
        fd.no_fix_reason = "whether " + ig->name + " or the " + ins.keyword + " is wrong is the author's choice";
        out.push_back(std::move(fd));
      }
    }
    return out;
  }
};

constexpr std::array<std::string_view, 1> kAliases{"CopyIgnoredFile"};
constexpr RuleInfo kInfo{
    .id = "copy-ignored-file",
    .title = "COPY or ADD names a file .dockerignore excludes",
    .aliases = kAliases,
    .severity = Severity::Warning,
    .fix = FixAvailability::Never,
    .applicability = Applicability::Safe,
    .run_shells = RunShells::None,
    .security_severity = {},
    .commit_phrase = "stop copying files .dockerignore excludes",
    .why = "The file is excluded from the build context by .dockerignore, so COPY or ADD fails or copies nothing.",
    .options = {},
    .make = []() -> std::unique_ptr<Rule> { return std::make_unique<CopyIgnoredFile>(); },
    .page = pages::copy_ignored_file,
};

}  // namespace

DOCKERFIX_RULE_CLASS(CopyIgnoredFile, copy_ignored_file)

}  // namespace dockerfix::fix
