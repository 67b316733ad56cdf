// The final user of an image, from dockerfix's model of its Dockerfile:
// what the checks compare manifests with.
#pragma once

#include "dockerfix/model.h"
#include "dockerfix/syntax.h"
#include "k8s/checks.h"

namespace dockerfix::k8s {

// The final stage's user: its name, known uid/gid (from the USER
// instruction, a useradd with -u in the stage, or the base image's
// knowledge), whether the last USER is numeric, and that USER's line.
ImageUser image_user_of(const Dockerfile& file, const model::BuildModel& model);

}  // namespace dockerfix::k8s
