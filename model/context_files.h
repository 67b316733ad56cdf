// Reading files of the build context that a Dockerfile COPY'd into the
// image: RUN scripts (model/run_analysis.cpp) and ENTRYPOINT/CMD scripts
// (model/runtime_facts.cpp).
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "dockerfix/model.h"

namespace dockerfix::model {

// The text of `relative` inside `context`, or nullopt when it is missing, is
// not a regular file, is larger than 1 MiB or resolves outside the context
// (never read outside it).
std::optional<std::string> read_context_file(const std::filesystem::path& context, const std::string& relative);

// read_context_file() for one review of one Dockerfile (fix::review, check,
// fix): every version of the file the fixed-point loop analyses reads the same
// scripts, and the build context does not change while one file is reviewed,
// so each file (and each context's canonical path) is looked up once. Owned by
// the review's RunMemo; nothing outlives the review, so nothing goes stale
// between reviews.
class ContextFiles {
 public:
  // The text, or nullptr as read_context_file() gives nullopt; valid as long as this.
  const std::string* read(const std::filesystem::path& context, const std::string& relative);

  // What a rule derives from the build context and keeps for the rest of the
  // review (copy-not-add's reading of ADD sources, copy-ignored-file's
  // .dockerignore), by type, default-constructed on first use.
  template <class T>
  T& kept() {
    return kept_.slot<T>();
  }

 private:
  DerivedFacts kept_;
  struct Context {
    std::optional<std::filesystem::path> root;  // its canonical path
    std::map<std::string, std::optional<std::string>, std::less<>> texts;  // by relative path
  };
  std::map<std::string, Context, std::less<>> contexts_;
};

// How the runtime facts of a model find its review's ContextFiles: analyze()
// with a RunMemo puts one in the model's derived facts. Weak: once the review
// is over (its memo gone) the model reads the files afresh.
struct ReviewContextFiles {
  std::weak_ptr<ContextFiles> files;
};

// The ContextFiles of the review `model` was analysed in, while it lasts;
// nullptr for a model analysed without a RunMemo, or after its review.
std::shared_ptr<ContextFiles> review_context_files(const BuildModel& model);

// The context path of the file a command names, from the COPY'd files of the
// stage (container path -> context path): `/entrypoint.sh`, `./run.sh`
// against `workdir`, or a bare name (`docker-entrypoint.sh`) found in a PATH
// directory. The container path found goes to `container_path`.
std::optional<std::string> copied_source(const std::map<std::string, std::string>& copied, const std::string& workdir,
                                         const std::string& name, std::string* container_path = nullptr);

}  // namespace dockerfix::model
