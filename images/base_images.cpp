#include "images/base_images.h"

#include <algorithm>

#include "dockerfix/lock.h"

namespace dockerfix::images {

void add_base_image(const model::ImageRef& r, BaseImages& into) {
  // scratch is no image: there is nothing to read.
  if (r.registry == "docker.io" && r.repository == "library/scratch") return;
  const std::string key = model::lock_key(r);
  if (std::none_of(into.refs.begin(), into.refs.end(), [&](const model::ImageRef& x) { return model::lock_key(x) == key; }))
    into.refs.push_back(r);
}

void add_base_images(const Dockerfile& file, const std::string& path, const model::Options& options, BaseImages& into) {
  // Without knowledge: only the FROM lines matter here.
  static const model::KnowledgeBase none;
  model::BuildModel m = model::analyze(file, none, options);
  for (const auto& note : m.notes)
    if (note.rfind("FROM ", 0) == 0) into.warnings.push_back(path + ": " + note);
  for (const auto& s : m.stages)
    if (!s.parent_stage && s.base.valid) add_base_image(s.base, into);
}

}  // namespace dockerfix::images
