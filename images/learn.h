// `dockerfix images learn` as a library call: for each base-image reference,
// resolve its digest (an index to the platform's manifest), read the facts
// from the registry (or the cache, by digest) and put them in the lock.
// The bot calls learn() per repository; the CLI wraps it.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "dockerfix/lock.h"
#include "images/platform.h"
#include "images/registry.h"

namespace dockerfix::images {

struct LearnOptions {
  Platform platform;
  bool offline = false;             // never touch the network: the lock and the cache only
  RegistryOptions registry;         // insecure hosts, Docker config for credentials
  std::filesystem::path cache_dir;  // empty: no cache
  std::string engine_socket;        // the local engine is asked first; empty: never
  bool engine_only = false;         // an image the engine lacks is an error
  std::string now;                  // learned_at for new facts; empty: the current UTC time
  std::function<void(const std::string&)> progress;  // one line per image, or empty
};

// What became of one reference, for callers that act on it (the bot).
struct LearnOutcome {
  enum class Kind { Added, Unchanged, Moved, Failed };
  std::string reference;  // the lock key
  Kind kind = Kind::Unchanged;
  std::string from, to;   // digests: the previous entry's (Moved) and the new one (Added, Moved)
  std::string error;      // Failed: why (the previous entry, if any, is kept)
};

struct LearnReport {
  model::Lock lock;                // the previous lock with the learned entries replaced
  std::vector<std::string> notes;  // per reference: learned, unchanged, moved (old -> new digest)
  std::vector<std::string> errors; // per reference that could not be learned (its entry is kept)
  std::vector<LearnOutcome> outcomes;  // per reference, in order
};

LearnReport learn(const std::vector<model::ImageRef>& refs, const LearnOptions& options, model::Lock previous);

struct TagState {
  std::string reference, locked, current;  // digests
  std::string error;                       // when the registry could not tell
  bool moved() const { return error.empty() && current != locked; }
};
// The digest each locked reference has now (one HEAD request per image).
std::vector<TagState> check_tags(const model::Lock& lock, const std::vector<std::string>& references,
                                 const LearnOptions& options);

std::string utc_now();

}  // namespace dockerfix::images
