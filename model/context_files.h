// Reading files of the build context that a Dockerfile COPY'd into the
// image: RUN scripts (model/run_analysis.cpp) and ENTRYPOINT/CMD scripts
// (model/runtime_facts.cpp).
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>

namespace dockerfix::model {

// The text of `relative` inside `context`, or nullopt when it is missing, is
// not a regular file, is larger than 1 MiB or resolves outside the context
// (never read outside it).
std::optional<std::string> read_context_file(const std::filesystem::path& context, const std::string& relative);

// The context path of the file a command names, from the COPY'd files of the
// stage (container path -> context path): `/entrypoint.sh`, `./run.sh`
// against `workdir`, or a bare name (`docker-entrypoint.sh`) found in a PATH
// directory. The container path found goes to `container_path`.
std::optional<std::string> copied_source(const std::map<std::string, std::string>& copied, const std::string& workdir,
                                         const std::string& name, std::string* container_path = nullptr);

}  // namespace dockerfix::model
