// The local engine as a source of facts: the Docker Engine API over its unix
// socket (GET /images/{name}/json for the config, GET /images/{name}/get for
// the image as `docker save` writes it). Kept minimal and self-contained.
#pragma once

#include <optional>
#include <string>

#include "dockerfix/lock.h"

namespace dockerfix::images {

// $DOCKER_HOST when it is unix://PATH, else /var/run/docker.sock.
std::string default_engine_socket();

// The facts of `ref` as the engine has it, or nullopt when there is no
// engine at `socket` or it does not have the image. Throws std::runtime_error
// when the engine has the image but its content cannot be read.
std::optional<model::LockedImage> learn_from_engine(const model::ImageRef& ref, const std::string& socket);

}  // namespace dockerfix::images
