// copy-not-add (hadolint DL3020): ADD of local files or directories that COPY would copy
#include <algorithm>
#include <array>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "model/context_files.h"
#include "model/words.h"
#include "transforms/rule_support.h"
#include "transforms/rules/rule_queries.h"
#include "transforms/rules/rule_registration.h"

namespace dockerfix::fix {

namespace pages {
std::string_view copy_not_add();  // README.md beside this file, compiled in
}
namespace rules {
const RuleInfo& copy_not_add();
}

namespace {

namespace fs = std::filesystem;

// A tar header: POSIX and GNU ones say "ustar"; V7 ones only have their checksum.
bool tar_header(std::string_view h) {
  if (h.size() < 512) return false;
  if (h.substr(257, 5) == "ustar") return true;
  std::string field(h.substr(148, 8));
  char* end = nullptr;
  const long want = std::strtol(field.c_str(), &end, 8);
  if (end == field.c_str()) return false;
  long sum = 0;
  for (size_t i = 0; i < 512; ++i) sum += i >= 148 && i < 156 ? ' ' : static_cast<unsigned char>(h[i]);
  return sum == want;
}

// What ADD does with a local source. BuildKit unpacks a file whose content
// is a tar archive, plain or gzip, bzip2, xz or zstd compressed, whatever
// the file is called: only reading it in the build context tells.
enum class Content { Plain, MayUnpack, Unknown };

// The build context's real path; nullopt without one or when it cannot be resolved.
std::optional<fs::path> real_context(const std::optional<fs::path>& context) {
  if (!context) return std::nullopt;
  std::error_code ec;
  fs::path root = fs::canonical(*context, ec);
  if (ec) return std::nullopt;
  return root;
}

Content content_of(const std::optional<fs::path>& real_root, const std::string& source) {
  if (!real_root) return Content::Unknown;
  const fs::path& root = *real_root;
  std::error_code ec;
  const fs::path p = fs::weakly_canonical(root / fs::path(source).relative_path(), ec);
  const std::string rel = p.lexically_relative(root).generic_string();
  if (ec || rel.empty() || rel.starts_with("..")) return Content::Unknown;
  if (fs::is_directory(p, ec)) return Content::Plain;  // its files are copied, never unpacked
  if (!fs::is_regular_file(p, ec)) return Content::Unknown;
  std::ifstream in(p, std::ios::binary);
  std::string head(512, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  if (in.bad()) return Content::Unknown;
  head.resize(static_cast<size_t>(in.gcount()));
  auto magic = [&](std::string_view m) { return head.size() >= m.size() && std::string_view(head).substr(0, m.size()) == m; };
  if (magic("\x1f\x8b") || magic("BZh") || magic(std::string_view("\xfd" "7zXZ\0", 6)) || magic("\x28\xb5\x2f\xfd"))
    return Content::MayUnpack;  // compressed: a tar inside is unpacked
  return tar_header(head) ? Content::MayUnpack : Content::Plain;
}

// content_of() of each source, once per review: every version of the file
// reads the same build context (it does not change while one file is reviewed).
struct KeptContents {
  std::map<std::pair<std::optional<std::string>, std::string>, Content> by_source;  // (context, source)
};

// content_of(), through the review's memo when there is one; `root` is the
// real context, resolved the first time a source is read.
Content content_for(const Context& ctx, std::optional<std::optional<fs::path>>& root, const std::string& source) {
  auto read = [&] {
    if (!root) root = real_context(ctx.options.model.context);
    return content_of(*root, source);
  };
  auto files = model::review_context_files(ctx.model);
  if (!files) return read();
  const auto& context = ctx.options.model.context;
  auto& by_source = files->kept<KeptContents>().by_source;
  auto key = std::make_pair(context ? std::optional(context->native()) : std::nullopt, source);
  auto it = by_source.find(key);
  if (it == by_source.end()) it = by_source.emplace(std::move(key), read()).first;
  return it->second;
}

bool copy_flags_only(const Instruction& ins) {
  return std::all_of(ins.flags.begin(), ins.flags.end(), [](const Flag& fl) {
    return fl.name == "chown" || fl.name == "chmod" || fl.name == "link" || fl.name == "exclude";
  });
}

std::vector<Finding> check(const Context& ctx, std::string_view id) {
  std::vector<Finding> out;
  const auto& f = ctx.file;
  std::optional<std::optional<fs::path>> root;
  for (size_t i = 0; i < f.instructions.size(); ++i) {
    const auto& ins = f.instructions[i];
    if (ins.keyword != "ADD") continue;
    auto a = copy_args(ins, f.escape);
    if (!a) continue;
    bool plain = true, known = true;
    for (const auto& s : a->sources) {
      if (is_url(s) || is_archive_name(s)) plain = false;
      if (contains(s, "$") || contains(s, "*") || contains(s, "?") || contains(s, "[")) known = false;
    }
    if (!plain) continue;
    // Sources read in the build context; one that holds an archive is ADD's business.
    std::vector<std::string> unread;
    bool unpacks = false;
    if (known)
      for (const auto& s : a->sources) {
        Content c = content_for(ctx, root, s);  // the real context resolved once per check, at the first source read
        unpacks = unpacks || c == Content::MayUnpack;
        if (c == Content::Unknown) unread.push_back(s);
      }
    if (unpacks) continue;
    std::string message = "ADD of local files: use COPY";
    if (!unread.empty() && copy_flags_only(ins))
      message += "; unsafe: ADD unpacks a file that holds a tar archive whatever its name, and " + unread.front() +
                 (ctx.options.model.context ? " was not read in the build context" : " was not read: no build context (give --context DIR)");
    Finding fd = make_finding(f, id, message, ins.keyword_span);
    if (!known) {
      fd.no_fix_reason = "a source names a variable or a pattern that may match an archive";
    } else if (!copy_flags_only(ins)) {
      fd.no_fix_reason = "ADD has a flag COPY does not take";
    } else {
      std::string kw = f.text(ins.keyword_span) == "add" ? "copy" : f.text(ins.keyword_span) == "Add" ? "Copy" : "COPY";
      fd.fix.push_back({ins.keyword_span, kw});
      fd.changes.push_back({i, "COPY"});
      if (!unread.empty()) fd.applicability = Applicability::Unsafe;
    }
    out.push_back(std::move(fd));
  }
  return out;
}

constexpr std::array<std::string_view, 1> kAliases{"DL3020"};
constexpr RuleInfo kInfo{
    .id = "copy-not-add",
    .title = "ADD of local files or directories that COPY would copy",
    .aliases = kAliases,
    .severity = Severity::Error,
    .fix = FixAvailability::Sometimes,
    .applicability = Applicability::Safe,
    .run_shells = RunShells::None,  // it reads no RUN commands
    .commit_phrase = "copy local files with COPY",
    .why = "ADD also downloads URLs and unpacks archives; for plain files COPY says what happens.",
    .make = make_rule<rules::copy_not_add, check>,
    .page = pages::copy_not_add,
};

}  // namespace

DOCKERFIX_RULE_INFO(copy_not_add)

}  // namespace dockerfix::fix
