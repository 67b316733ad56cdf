// What one RUN does: its simple commands (through the shell lexer), the
// users and groups it creates, and which commands need root.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "dockerfix/model.h"
#include "model/context_files.h"

namespace dockerfix::model {

// Views of the analyser's state at the RUN: they outlive the analysis.
struct RunContext {
  std::string_view workdir = "/";
  // Container path -> build-context path, from earlier COPY/ADD in the stage.
  const std::map<std::string, std::string>* copied = nullptr;
  const std::optional<std::filesystem::path>* context = nullptr;  // nullptr: none
  ContextFiles* files = nullptr;  // the review's, when there is one: scripts are read through it
};

struct RunFacts {
  std::vector<RunCommand> commands;
  std::vector<RootNeed> needs_root;
  std::vector<KnownUser> users;
  std::vector<KnownGroup> groups;
};

RunFacts analyze_run(const Dockerfile& file, const Instruction& run, const RunContext& ctx);

// analyze_run() of RUNs already met in another version of the same file:
// the fixed-point loop analyses the file again after every accepted fix, and
// most of its RUNs are unchanged, only moved. A RUN's facts depend on its
// bytes (with the file's escape character) and the WORKDIR, and its spans
// move with it; one that runs a script also depends on whether the COPYs
// before it copied that path from the build context, and from where: it is
// reused only when they did the same (and the script was read through this
// memo's ContextFiles). Valid for one build context (one set of
// model::Options). It also holds the review's ContextFiles, through which the
// files of the build context are read.
class RunMemo {
 public:
  RunFacts analyze(const Dockerfile& file, const Instruction& run, const RunContext& ctx);

  ContextFiles& context_files() { return *files_; }
  std::weak_ptr<ContextFiles> context_files_ref() const { return files_; }

  // A FROM's image (after ARG substitution) and what the knowledge base
  // knows of it; every version of a file has the same FROMs.
  struct BaseImage {
    ImageRef ref;
    const ImageFacts* facts = nullptr;  // nullptr: unknown image
    std::optional<ReleaseMatch> release;
  };
  static BaseImage base_image_of(const KnowledgeBase& kb, std::string_view image);
  const BaseImage& base_image(const KnowledgeBase& kb, const std::string& image);

 private:
  struct Kept {
    RunFacts facts;  // spans relative to the RUN's first byte
    std::vector<std::pair<std::string, std::optional<std::string>>> copies;  // container path -> copied from
  };
  bool same_copies(const std::vector<std::pair<std::string, std::optional<std::string>>>& copies,
                   const RunContext& ctx) const;
  std::unordered_map<std::string, Kept> facts_;
  const KnowledgeBase* kb_ = nullptr;                // the base images_ were looked up in
  std::unordered_map<std::string, BaseImage> images_;
  std::shared_ptr<ContextFiles> files_ = std::make_shared<ContextFiles>();
};

}  // namespace dockerfix::model
