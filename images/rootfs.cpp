#include "images/rootfs.h"

#include <sstream>

namespace dockerfix::images {

namespace {

std::string parent_of(const std::string& p) {
  auto slash = p.rfind('/');
  return slash == std::string::npos ? std::string() : p.substr(0, slash);
}

std::string base_of(const std::string& p) {
  auto slash = p.rfind('/');
  return slash == std::string::npos ? p : p.substr(slash + 1);
}

constexpr int kMaxLinks = 40;  // as Linux's ELOOP limit

}  // namespace

std::string clean_path(const std::string& path) {
  std::vector<std::string> parts;
  std::stringstream ss(path);
  for (std::string part; std::getline(ss, part, '/');) {
    if (part.empty() || part == ".") continue;
    if (part == "..") {
      if (!parts.empty()) parts.pop_back();
      continue;
    }
    parts.push_back(part);
  }
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : "/") + p;
  return out;
}

RootFs::RootFs(std::set<std::string> contents) : wanted_(std::move(contents)) {}

const RootFs::Node* RootFs::node(const std::string& path) const {
  auto it = nodes_.find(path);
  return it == nodes_.end() ? nullptr : &it->second;
}

// Whether layers above the current one hide `path`.
bool RootFs::hidden(const std::string& path) const {
  for (std::string p = path; !p.empty(); p = parent_of(p)) {
    if (deleted_.count(p)) return true;
    if (p != path && opaque_.count(p)) return true;
    if (p != path)
      if (const Node* n = node(p); n && n->layer < layer_ && n->kind != Kind::Dir) return true;
  }
  return false;
}

bool RootFs::add(const std::string& tar_path, Kind kind, const std::string& link_target) {
  std::string path = clean_path(tar_path);
  if (path.empty()) return false;
  const std::string name = base_of(path);
  if (name.rfind(".wh.", 0) == 0) {
    if (hidden(path)) return false;
    if (name == ".wh..wh..opq") pending_opaque_.insert(parent_of(path));
    else pending_deleted_.insert(parent_of(path).empty() ? name.substr(4) : parent_of(path) + "/" + name.substr(4));
    return false;
  }
  // A directory an upper layer only implied does not hide what a lower one has there.
  if (const Node* n = node(path); n && n->layer < layer_ && !n->implied) return false;
  if (hidden(path)) return false;
  std::string target = link_target;
  if (kind == Kind::Hardlink) target = clean_path(link_target);
  nodes_[path] = Node{kind, target, layer_};
  // Tars need not list the directories above a file; they exist all the same.
  for (std::string p = parent_of(path); !p.empty() && !node(p); p = parent_of(p))
    nodes_[p] = Node{Kind::Dir, {}, layer_, true};
  contents_.erase(path);
  return kind == Kind::File && wanted_.count(path) > 0;
}

void RootFs::set_content(const std::string& tar_path, std::string content) {
  contents_[clean_path(tar_path)] = std::move(content);
}

void RootFs::end_layer() {
  deleted_.insert(pending_deleted_.begin(), pending_deleted_.end());
  opaque_.insert(pending_opaque_.begin(), pending_opaque_.end());
  pending_deleted_.clear();
  pending_opaque_.clear();
  ++layer_;
}

RootFs::Resolved RootFs::resolve(const std::string& start) const {
  std::vector<std::string> todo;
  auto push_components = [&](const std::string& p) {
    std::vector<std::string> parts;
    std::stringstream ss(p);
    for (std::string part; std::getline(ss, part, '/');)
      if (!part.empty() && part != ".") parts.push_back(part);
    todo.insert(todo.end(), parts.rbegin(), parts.rend());
  };
  push_components(start);
  std::string cur;  // the directory reached so far
  int links = 0;
  const Answer missing = finished_ ? Answer::No : Answer::NotYet;
  while (!todo.empty()) {
    std::string part = todo.back();
    todo.pop_back();
    if (part == "..") {
      cur = parent_of(cur);
      continue;
    }
    std::string here = cur.empty() ? part : cur + "/" + part;
    const Node* n = node(here);
    if (!n) {
      // Deleted above and not recreated: no lower layer can bring it back.
      if (deleted_.count(here) || hidden(here)) return {Answer::No, {}};
      return {missing, {}};
    }
    switch (n->kind) {
      case Kind::Dir:
        cur = here;
        break;
      case Kind::Symlink:
        if (++links > kMaxLinks) return {Answer::No, {}};
        if (!n->target.empty() && n->target.front() == '/') cur.clear();
        push_components(n->target);
        break;
      case Kind::File:
      case Kind::Hardlink:
      case Kind::Other:
        if (!todo.empty()) return {Answer::No, {}};  // a file used as a directory
        if (n->kind == Kind::Other) return {Answer::No, {}};
        return {Answer::Yes, here};
    }
  }
  return {Answer::No, {}};  // a directory, not a file
}

std::optional<std::string> RootFs::content(const std::string& path) const {
  Resolved r = resolve(path);
  if (r.answer != Answer::Yes) return std::nullopt;
  auto it = contents_.find(r.path);
  if (it == contents_.end()) it = contents_.find(canonical(r.path));
  if (it == contents_.end()) return std::nullopt;
  return it->second;
}

std::string RootFs::canonical(const std::string& file) const {
  const Node* n = node(file);
  return n && n->kind == Kind::Hardlink ? n->target : file;
}

}  // namespace dockerfix::images
