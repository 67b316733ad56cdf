#include "git/clone_cache.h"

#include <fcntl.h>
#include <git2.h>
#include <sys/file.h>
#include <unistd.h>

#include <cctype>

#include "git/handles.h"
#include "git/token_policy.h"

namespace dockerfix::gitlayer {
namespace fs = std::filesystem;

namespace {

std::string strip_repo_suffix(std::string path) {
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  if (path.ends_with(".git")) path.resize(path.size() - 4);
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  return path;
}

std::string default_port(const std::string& scheme) {
  if (scheme == "https") return "443";
  if (scheme == "http") return "80";
  if (scheme == "ssh" || scheme == "git+ssh" || scheme == "ssh+git") return "22";
  if (scheme == "git") return "9418";
  return "";
}

std::string local_path(const std::string& path) {
  std::error_code ec;
  fs::path p = fs::weakly_canonical(fs::absolute(path, ec), ec);
  if (ec) p = fs::absolute(path, ec).lexically_normal();
  return "file://" + strip_repo_suffix(p.generic_string());
}

}  // namespace

std::string normalise_source(const std::string& source) {
  if (auto u = parse_url(source)) {
    if (u->scheme == "file") return local_path(u->path);
    std::string scheme = u->scheme == "git+ssh" || u->scheme == "ssh+git" ? "ssh" : u->scheme;
    std::string host = u->host.find(':') != std::string::npos ? "[" + u->host + "]" : u->host;
    if (!u->port.empty() && u->port != default_port(u->scheme)) host += ":" + u->port;
    std::string path = strip_repo_suffix(u->path);
    if (path == "/") path.clear();
    return scheme + "://" + host + path;
  }
  // scp-like: [user@]host:path, with no '/' before the ':'.
  auto colon = source.find(':');
  if (colon != std::string::npos && colon > 0 && source.find('/') > colon) {
    std::string host = source.substr(0, colon);
    if (auto at = host.rfind('@'); at != std::string::npos) host = host.substr(at + 1);
    for (char& c : host) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string path = source.substr(colon + 1);
    if (!path.starts_with("/")) path = "/" + path;
    return "ssh://" + host + strip_repo_suffix(path);
  }
  return local_path(source);
}

std::string cache_name(const std::string& source, const std::string& slug) {
  std::string readable;
  for (char c : slug) readable += (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.') ? c : '_';
  if (readable.size() > 60) readable.resize(60);
  if (readable.empty() || readable.front() == '.') readable.insert(0, "repo");
  const std::string key = normalise_source(source);
  git_oid oid;
  {
    Library lib;
    check(git_odb_hash(&oid, key.data(), key.size(), GIT_OBJECT_BLOB), "cannot hash " + redact_url(source));
  }
  return readable + "-" + oid_str(oid, 16);
}

CacheLock::CacheLock(const fs::path& dir) {
  const std::string path = dir.string() + ".lock";
  fd_ = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd_ >= 0 && flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    close(fd_);
    fd_ = -1;
  }
}

CacheLock::~CacheLock() {
  if (fd_ >= 0) close(fd_);
}

void remove_stale_locks(const fs::path& dir) {
  std::error_code ec;
  fs::remove_all(dir.string() + ".cloning", ec);
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec))
    if (it->is_regular_file(ec) && it->path().extension() == ".lock") fs::remove(it->path(), ec);
}

}  // namespace dockerfix::gitlayer
