// The lock file (`dockerfix.lock`): for each base-image reference, the digest
// it had when `dockerfix images learn` read it and the facts read from the
// image itself (its config and its files). The model takes them as knowledge
// entries that win over the shipped knowledge file (data/README.md schema).
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "dockerfix/model.h"

namespace dockerfix::model {

// The image config's runtime fields (OCI image config `config`).
struct ImageConfig {
  std::string user;
  std::string working_dir;
  std::vector<std::string> entrypoint, cmd, env, exposed_ports, healthcheck;
  std::map<std::string, std::string> labels;
  bool operator==(const ImageConfig&) const = default;
};

// What an image tells about itself, as read from its config and files.
struct LearnedFacts {
  ImageConfig config;
  std::map<std::string, std::string> os_release;  // lower-cased keys: id, id_like, version_id, pretty_name
  std::optional<std::string> shell;               // the file /bin/sh resolves to; nullopt: no /bin/sh
  bool busybox = false;                           // /bin/sh is busybox
  // Tool name -> the file it resolves to, or "busybox" for a busybox applet.
  // A tool the image lacks is absent.
  std::map<std::string, std::string> tools;
  std::vector<KnownUser> users;    // /etc/passwd, in file order, root included
  std::vector<KnownGroup> groups;  // /etc/group
};
bool same_facts(const LearnedFacts& a, const LearnedFacts& b);

// The tools whose presence `learn` records (PATH directories of a base image).
const std::vector<std::string>& probed_tools();

struct LockedImage {
  std::string reference;  // the key: familiar form after ARG substitution ("python:3.12-slim")
  std::string digest;     // what the reference resolved to (an index's digest for multi-platform images)
  std::string manifest;   // the platform's image manifest digest (the cache key)
  std::string platform;   // os/arch[/variant]
  std::string learned_at; // UTC, ISO 8601; kept while the manifest stays the same
  std::string source;     // registry | engine | engine-local (a local build: digest is the image ID)
  LearnedFacts facts;
};

struct Lock {
  std::map<std::string, LockedImage> images;  // by reference
};

// The key an image reference has in the lock: its familiar form without a
// digest, or with only the digest when no tag was written.
std::string lock_key(const ImageRef& ref);

// Throws std::runtime_error naming `origin` and the line on bad input.
Lock parse_lock(const std::string& text, const std::string& origin);
Lock read_lock(const std::filesystem::path& path);
// Reviewable YAML: sorted keys, one entry per reference, one line per user.
std::string lock_text(const Lock& lock);

// The knowledge schema's view of learned facts: family, package managers,
// shell, default user, users, groups and user tool.
ImageFacts knowledge_facts(const LockedImage& image);
// One knowledge entry per locked reference, matching that repository and tag.
KnowledgeBase lock_knowledge(const Lock& lock);

// The locked entry for a FROM's reference, or nullptr. A FROM that names a
// digest matches only the entry with that digest (or that manifest).
const LockedImage* find_locked(const Lock& lock, const ImageRef& ref);
// The digest `pin-base-digest` writes after the reference, or nullopt.
std::optional<std::string> locked_digest(const Lock& lock, const ImageRef& ref);

// Where the lock lives: beside the config file when there is one, else the
// nearest dockerfix.lock in `start` or above it; nullopt when there is none.
std::optional<std::filesystem::path> find_lock(const std::filesystem::path& config_file,
                                               const std::filesystem::path& start);
// The file `images learn` writes: beside the config, else an existing lock
// found upward, else `start`/dockerfix.lock.
std::filesystem::path lock_path_for(const std::filesystem::path& config_file, const std::filesystem::path& start);

// check/diff/apply/explain: puts the lock's entries in front of `kb`. Returns
// the lock read, if any. Throws std::runtime_error (file:line) on a bad lock.
std::optional<std::filesystem::path> prepend_lock(KnowledgeBase& kb, const std::filesystem::path& config_file,
                                                  const std::filesystem::path& start);

}  // namespace dockerfix::model
