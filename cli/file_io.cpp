#include "cli/file_io.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>

#include <fmt/core.h>

namespace dockerfix::cli {
namespace fs = std::filesystem;

namespace {

bool read_fd(int fd, std::string& out) {
  struct stat st {};
  if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
    out.reserve(static_cast<size_t>(st.st_size));
  }
  char buffer[1 << 16];
  for (;;) {
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n == 0) return true;
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    out.append(buffer, static_cast<size_t>(n));
  }
}

}  // namespace

bool read_input(const std::string& path, std::string& out, std::string& error) {
  out.clear();
  if (path == "-") {
    if (!read_fd(STDIN_FILENO, out)) {
      error = fmt::format("cannot read standard input: {}", std::strerror(errno));
      return false;
    }
    return true;
  }
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    error = fmt::format("cannot read '{}': {}", path, std::strerror(errno));
    return false;
  }
  struct stat st {};
  if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
    ::close(fd);
    error = fmt::format("cannot read '{}': {}", path, std::strerror(EISDIR));
    return false;
  }
  bool ok = read_fd(fd, out);
  int saved = errno;
  ::close(fd);
  if (!ok) {
    error = fmt::format("cannot read '{}': {}", path, std::strerror(saved));
    return false;
  }
  return true;
}

bool is_dockerfix_temp(std::string_view name) {
  return name.starts_with('.') && name.find(kTempInfix) != std::string_view::npos;
}

bool is_dockerfile_name(std::string_view name) {
  auto ends_with = [&](std::string_view suffix) {
    return name.size() > suffix.size() && name.ends_with(suffix);
  };
  if (ends_with(".dockerignore") || is_dockerfix_temp(name)) return false;
  return name == "Dockerfile" || name == "Containerfile" ||
         (name.size() > 11 && name.starts_with("Dockerfile.")) || ends_with(".Dockerfile") ||
         ends_with(".dockerfile");
}

bool is_directory(const std::string& path) {
  if (path == "-") return false;
  std::error_code ec;
  return fs::is_directory(path, ec);
}

const std::filesystem::path& working_directory() {
  static const fs::path cwd = [] {
    std::error_code ec;
    fs::path p = fs::current_path(ec);
    return ec ? fs::path() : p;
  }();
  return cwd;
}

std::filesystem::path absolute_path(const std::filesystem::path& path) {
  if (path.is_absolute()) return path;
  const fs::path& cwd = working_directory();
  return cwd.empty() ? fs::absolute(path) : cwd / path;
}

void find_files(const std::string& dir, bool all_files, std::vector<std::string>& files,
                std::vector<std::string>& errors) {
  std::vector<std::string> found;
  std::error_code ec;
  fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec);
  if (ec) {
    errors.push_back(fmt::format("cannot read directory '{}': {}", dir, ec.message()));
    return;
  }
  for (fs::recursive_directory_iterator end; it != end; it.increment(ec)) {
    if (ec) {
      errors.push_back(fmt::format("cannot read directory below '{}': {}", dir, ec.message()));
      ec.clear();
      continue;
    }
    const fs::directory_entry& entry = *it;
    std::string name = entry.path().filename().string();
    std::error_code type_ec;
    if (entry.is_directory(type_ec)) {
      if (name == ".git") it.disable_recursion_pending();
      continue;
    }
    if (!entry.is_regular_file(type_ec)) continue;
    if (all_files ? !is_dockerfix_temp(name) : is_dockerfile_name(name)) found.push_back(entry.path().string());
  }
  std::sort(found.begin(), found.end());
  files.insert(files.end(), found.begin(), found.end());
}

bool read_file_list(const std::string& list, std::vector<std::string>& paths,
                    std::string& error) {
  std::string text;
  if (!read_input(list, text, error)) return false;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string::npos) nl = text.size();
    std::string_view line(text.data() + pos, nl - pos);
    if (line.ends_with('\r')) line.remove_suffix(1);
    if (!line.empty()) paths.emplace_back(line);
    pos = nl + 1;
  }
  return true;
}

}  // namespace dockerfix::cli
