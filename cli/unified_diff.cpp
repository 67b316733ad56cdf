#include "cli/unified_diff.h"

#include <git2.h>

#include <string_view>

#include "cli/terminal.h"
#include "git/handles.h"

namespace dockerfix::cli {

std::string unified_diff(const std::string& path, const std::string& before, const std::string& after, bool color) {
  const gitlayer::Library git;
  git_patch* patch = nullptr;
  std::string name = path == "-" ? "stdin" : path;
  std::string out;
  // libgit2 adds the a/ and b/ prefixes itself.
  if (git_patch_from_buffers(&patch, before.data(), before.size(), name.c_str(), after.data(), after.size(),
                             name.c_str(), nullptr) == 0) {
    git_buf buf = GIT_BUF_INIT;
    if (git_patch_to_buf(&buf, patch) == 0) out.assign(buf.ptr, buf.size);
    git_buf_dispose(&buf);
    git_patch_free(patch);
  }
  if (!color) return out;
  std::string painted;
  for (size_t pos = 0; pos < out.size();) {
    size_t nl = out.find('\n', pos);
    size_t end = nl == std::string::npos ? out.size() : nl;
    std::string_view line(out.data() + pos, end - pos);
    Paint p = line.starts_with("+++") || line.starts_with("---") ? Paint::Path
              : line.starts_with("@@")                          ? Paint::Hunk
              : line.starts_with('+')                           ? Paint::Added
              : line.starts_with('-')                           ? Paint::Removed
                                                                : Paint::Note;
    painted += p == Paint::Note ? std::string(line) : paint(true, p, line);
    if (nl != std::string::npos) painted += '\n';
    pos = end + 1;
  }
  return painted;
}

}  // namespace dockerfix::cli
