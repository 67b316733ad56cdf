// The merged view of an image's layers, built from the top layer down, the
// way overlayfs shows them: an upper entry hides the lower ones at its path,
// `.wh.NAME` deletes NAME below it and `.wh..wh..opq` hides everything below
// a directory. Only what the facts need is kept: every entry's kind and link
// target, and the content of a few small files.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace dockerfix::images {

class RootFs {
 public:
  enum class Kind { File, Dir, Symlink, Hardlink, Other };
  enum class Answer { Yes, No, NotYet };

  // `contents`: paths (no leading slash) whose file content is kept.
  explicit RootFs(std::set<std::string> contents);

  // Layers are fed from the top down; entries in tar order. Returns true when
  // the entry is visible and its content is wanted: pass it to set_content.
  bool add(const std::string& tar_path, Kind kind, const std::string& link_target);
  void set_content(const std::string& tar_path, std::string content);
  void end_layer();
  // No more layers: what is not found by now does not exist.
  void finish() { finished_ = true; }

  struct Resolved {
    Answer answer = Answer::NotYet;
    std::string path;  // the file reached (no leading slash), for Yes
  };
  // Follows symlinks (and a hard link to its target) from `path`
  // ("/bin/sh"). NotYet: a lower layer may still decide.
  Resolved resolve(const std::string& path) const;
  // Content of the file `path` resolves to, if it was kept.
  std::optional<std::string> content(const std::string& path) const;
  // The file a hard link shares its data with (itself otherwise).
  std::string canonical(const std::string& file) const;

  size_t entries() const { return nodes_.size(); }

 private:
  struct Node {
    Kind kind;
    std::string target;
    int layer;
    bool implied = false;  // a directory only known from the paths below it
  };
  bool hidden(const std::string& path) const;
  const Node* node(const std::string& path) const;

  std::set<std::string> wanted_;
  std::map<std::string, Node> nodes_;
  std::map<std::string, std::string> contents_;
  std::set<std::string> deleted_, opaque_;                  // from layers above the current one
  std::set<std::string> pending_deleted_, pending_opaque_;  // the current layer's
  int layer_ = 0;
  bool finished_ = false;
};

// "./usr/bin/" -> "usr/bin"; ".." components are dropped at the root.
std::string clean_path(const std::string& path);

}  // namespace dockerfix::images
