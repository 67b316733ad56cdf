// What the knowledge base says an image does when it runs (data/README.md,
// "Runtime facts"), and the OS releases it knows the apt version of. Kept
// apart from ImageFacts' user and package facts; model/runtime_facts.h
// combines them with what a Dockerfile itself says.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace dockerfix::model {

// The image starts as root and switches to an unprivileged user itself.
struct KnownPrivilegeDrop {
  std::string how;     // "gosu postgres in docker-entrypoint.sh"
  std::string user;    // the user it switches to, when one
  std::string source;  // where that is written (the entrypoint script, the image's docs)
  bool operator==(const KnownPrivilegeDrop&) const = default;
};

struct ImageRuntime {
  // The image's ENTRYPOINT and CMD (exec form); nullopt when the entry does
  // not record it, empty when the image has none (scratch: `cmd: []`).
  std::optional<std::vector<std::string>> entrypoint;
  std::optional<std::vector<std::string>> cmd;
  std::optional<KnownPrivilegeDrop> drops_privileges;
  std::vector<uint32_t> expose;       // ports the image declares (EXPOSE)
  std::vector<std::string> volumes;   // VOLUME paths the image declares
  std::vector<std::string> writes;    // root-owned paths its program writes at run time
  std::optional<std::string> working_dir;  // the config's WorkingDir (absolute); nullopt: "/" or not known
  std::string release;                // OS release of every tag the entry matches (bookworm), when one
  bool release_from_version = false;  // numeric tags name the release (debian:12, ubuntu:22.04)
  // apt's download retries in every tag the entry matches, when the release
  // varies but is known to be on one side of apt 2.3.2 (openjdk:8 was built
  // on jessie..bullseye: 0).
  std::optional<int> apt_retries_default;
  bool operator==(const ImageRuntime&) const = default;
};

// An OS release and the apt it ships (the `releases:` list of the knowledge file).
struct OsRelease {
  std::string name;     // codename: bookworm, jammy
  std::string family;   // debian | ubuntu
  std::string version;  // "12", "22.04"
  std::string apt;      // apt's version in the release: "2.6.1"
  std::string source;
  // apt >= 2.3.2 retries every download 3 times (Acquire::Retries defaults
  // to 3; apt's debian/changelog, 2.3.2); older apt does not retry.
  int apt_retries_default() const;
  bool operator==(const OsRelease&) const = default;
};

struct ReleaseMatch {
  OsRelease release;
  std::string reason;  // "the tag names bookworm", "debian:12 is bookworm", "postgres-16 images are bookworm"
};

}  // namespace dockerfix::model
