#include "model/context_files.h"

#include <array>
#include <fstream>
#include <sstream>

#include "model/words.h"

namespace dockerfix::model {

namespace fs = std::filesystem;

constexpr std::uintmax_t kMaxContextFile = 1 << 20;

namespace {

std::optional<fs::path> canonical_root(const fs::path& context) {
  std::error_code ec;
  fs::path root = fs::canonical(context, ec);
  if (ec) return std::nullopt;
  return root;
}

// read_context_file() below the context's canonical path `root`.
std::optional<std::string> read_below(const fs::path& root, const std::string& relative) {
  std::error_code ec;
  fs::path file = fs::weakly_canonical(root / relative, ec);
  if (ec) return std::nullopt;
  auto rel = file.lexically_relative(root).generic_string();
  if (rel.empty() || rel.rfind("..", 0) == 0) return std::nullopt;  // never read outside the context
  if (!fs::is_regular_file(file, ec) || fs::file_size(file, ec) > kMaxContextFile) return std::nullopt;
  std::ifstream in(file, std::ios::binary);
  if (!in) return std::nullopt;
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

std::optional<std::string> read_context_file(const fs::path& context, const std::string& relative) {
  auto root = canonical_root(context);
  if (!root) return std::nullopt;
  return read_below(*root, relative);
}

const std::string* ContextFiles::read(const fs::path& context, const std::string& relative) {
  auto c = contexts_.find(context.native());
  if (c == contexts_.end()) c = contexts_.emplace(context.native(), Context{canonical_root(context), {}}).first;
  auto t = c->second.texts.find(relative);
  if (t == c->second.texts.end())
    t = c->second.texts.emplace(relative, c->second.root ? read_below(*c->second.root, relative) : std::nullopt).first;
  return t->second ? &*t->second : nullptr;
}

std::shared_ptr<ContextFiles> review_context_files(const BuildModel& model) {
  return model.derived.slot<ReviewContextFiles>().files.lock();
}

std::optional<std::string> copied_source(const std::map<std::string, std::string>& copied, const std::string& workdir,
                                         const std::string& name, std::string* container_path) {
  auto found = [&](const std::string& p) -> std::optional<std::string> {
    auto it = is_normal_path(p) ? copied.find(p) : copied.find(normal_path(p));
    if (it == copied.end()) return std::nullopt;
    if (container_path) *container_path = it->first;
    return it->second;
  };
  if (name.empty()) return std::nullopt;
  if (name[0] == '/') return found(name);
  if (name.find('/') != std::string::npos) return found(workdir + "/" + name);
  // A bare name runs from PATH (the images' default PATH directories).
  static constexpr std::array<std::string_view, 6> kPath{"/usr/local/sbin", "/usr/local/bin", "/usr/sbin",
                                                         "/usr/bin", "/sbin", "/bin"};
  for (auto dir : kPath)
    if (auto s = found(std::string(dir) + "/" + name)) return s;
  return std::nullopt;
}

}  // namespace dockerfix::model
