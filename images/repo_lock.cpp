#include "images/repo_lock.h"

#include "images/base_images.h"

namespace dockerfix::images {

RepoLock refresh_repo_lock(const std::map<std::string, std::string>& dockerfiles, const std::string& committed,
                           const std::string& origin, const LearnOptions& options) {
  RepoLock out;
  const model::Lock previous = model::parse_lock(committed, origin);
  BaseImages bases;
  const model::Options defaults;  // the repository's own ARG defaults
  for (const auto& [path, bytes] : dockerfiles) add_base_images(parse(bytes, path), path, defaults, bases);
  for (const auto& w : bases.warnings) out.notes.push_back(w + ": not learned (the ARG has no default)");
  LearnReport report = learn(bases.refs, options, previous);
  out.log = report.notes;
  using K = LearnOutcome::Kind;
  for (const auto& o : report.outcomes) {
    switch (o.kind) {
      case K::Unchanged:
        break;
      case K::Added:
        out.notes.push_back(o.reference + ": learned (" + o.to + ") and added to the lock");
        break;
      case K::Moved:
        out.notes.push_back(o.reference + ": the tag moved from " + o.from + " to " + o.to +
                            "; the lock now holds the new image's facts and the fixes follow them");
        break;
      case K::Failed: {
        auto it = previous.images.find(o.reference);
        out.notes.push_back(
            it != previous.images.end()
                ? o.reference + ": could not be checked (" + o.error + "); the fixes use the facts the lock holds (" +
                      it->second.digest + ", learned " + it->second.learned_at + ")"
                : o.reference + ": could not be learned (" + o.error +
                      "); the fixes use dockerfix's shipped knowledge of it, if any");
        break;
      }
    }
  }
  out.lock = std::move(report.lock);
  out.text = model::lock_text(out.lock);
  // A lock written by hand is not reformatted when nothing in it changed.
  out.changed = out.text != model::lock_text(previous);
  return out;
}

}  // namespace dockerfix::images
