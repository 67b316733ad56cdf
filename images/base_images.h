// The base images a Dockerfile builds on, after ARG substitution (defaults
// and build arguments): what `images learn` reads, for the CLI and the bot.
#pragma once

#include <string>
#include <vector>

#include "dockerfix/model.h"
#include "dockerfix/syntax.h"

namespace dockerfix::images {

struct BaseImages {
  std::vector<model::ImageRef> refs;   // each once (by lock key), in order; never scratch
  std::vector<std::string> warnings;   // "PATH: FROM $BASE at line 2: ..." for a base that cannot be named
};

// Adds the bases of `file` (named `path` in warnings) to `into`.
void add_base_images(const Dockerfile& file, const std::string& path, const model::Options& options, BaseImages& into);
// Adds one reference (skipping scratch and ones already there).
void add_base_image(const model::ImageRef& ref, BaseImages& into);

}  // namespace dockerfix::images
