// The build model: stages, base images, the effective user and WORKDIR at
// every instruction, and what each RUN does that needs root.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <typeindex>
#include <utility>
#include <vector>

#include "dockerfix/image_runtime.h"
#include "dockerfix/syntax.h"

namespace dockerfix::model {

// A parsed image reference, normalised the way the Docker CLI does
// (`node` is `docker.io/library/node:latest`).
struct ImageRef {
  std::string raw;         // after ARG substitution
  std::string registry;    // "docker.io" when none given
  std::string repository;  // "library/node", "bitnami/redis", "distroless/static-debian12"
  std::string tag;         // "latest" when none given
  std::string digest;      // "sha256:..." or empty
  bool valid = false;
  // What the knowledge base matches: the Docker Hub library image that an
  // arch-prefixed name (`arm32v7/node`) or a Hub mirror
  // (`public.ecr.aws/docker/library/node`, `mirror.gcr.io/library/node`)
  // stands for, "library/node"; empty when the reference is matched as
  // written. registry/repository/familiar() stay as written (pins and
  // messages name the image actually pulled).
  std::string match_repository;
  std::string match_reason;  // "the arm32v7 build of the Docker Hub image node", "Docker Hub mirror ..."
  // Short, familiar form: "node:20", "gcr.io/distroless/static-debian12:nonroot".
  std::string familiar() const;
};
ImageRef parse_image_ref(std::string_view text);

struct KnownUser {
  std::string name;
  std::optional<uint32_t> uid;
  std::optional<uint32_t> gid;
  std::string home;
  std::string shell;
  bool operator==(const KnownUser&) const = default;
};

struct KnownGroup {
  std::string name;
  std::optional<uint32_t> gid;
  bool operator==(const KnownGroup&) const = default;
};

// What the knowledge file says about a family of images.
struct ImageFacts {
  std::string id;      // the entry's name in the knowledge file
  std::string family;  // debian, ubuntu, alpine, rhel, arch, distroless, scratch, ...
  std::vector<std::string> package_managers;  // first is the usual one; empty: none
  std::optional<bool> shell;                  // does /bin/sh exist
  std::optional<KnownUser> default_user;      // the image's USER (root when it sets none)
  std::vector<KnownUser> users;               // users that exist in the image
  std::vector<KnownGroup> groups;
  std::string user_tool;  // useradd | adduser-busybox | none
  // Capabilities: what the image's programs are, when they are there. Each
  // entry says them, or its family's defaults (base-images.yaml `families:`) do.
  std::string wget;                // gnu | busybox: which wget the image's is; empty: not known
  std::string adduser;             // debian | busybox | useradd (Fedora's adduser is useradd); empty: not known
  // Programs the image has without installing them (curl, wget, pgrep);
  // nullopt: the entry does not say (its family's defaults apply), empty:
  // it has none (an image learned by `images learn`).
  std::optional<std::vector<std::string>> tools;
  std::string apt_release;         // the apt distribution release (bookworm, noble); empty: none or not known
  // The image config's environment ("PATH=/usr/bin:..."), when known: the
  // build checks read variables from it. nullopt: not known.
  std::optional<std::vector<std::string>> env;
  // The platform (os/arch[/variant]) of an image that has only that one (a
  // single-platform image the lock learned); empty: not known, or several.
  std::string platform;
  std::string source;              // where the facts come from
  ImageRuntime runtime;            // what the image runs (dockerfix/image_runtime.h)
  bool has_tool(std::string_view program) const;
  bool operator==(const ImageFacts&) const = default;
};

// Fills the capabilities `facts` does not state from its family's defaults
// (the built-in base-images.yaml's `families:` section).
void fill_capabilities(ImageFacts& facts);

class KnowledgeBase {
 public:
  // Throws std::runtime_error naming `origin` and the line on bad input.
  static KnowledgeBase from_yaml(const std::string& text, const std::string& origin);
  static KnowledgeBase from_file(const std::filesystem::path& path);
  // The file shipped with dockerfix (data/base-images.yaml, compiled in), or
  // $DOCKERFIX_DATA_DIR/base-images.yaml instead when that is set.
  static const KnowledgeBase& builtin();

  // Entries of `overrides` win over this base's entries.
  void prepend(const KnowledgeBase& overrides);
  // First entry matching the reference, or nullptr: unknown images are unknown.
  const ImageFacts* lookup(const ImageRef& ref) const;
  size_t size() const { return entries_.size(); }
  // The OS release an image is built on: a codename in its tag (`-bookworm`),
  // a numeric tag of an entry with release_from_version (`debian:12`), or the
  // entry's own release; nullopt when none of these says (moving tags).
  std::optional<ReleaseMatch> release_of(const ImageRef& ref, const ImageFacts* facts) const;

  struct Entry;

 private:
  friend struct KnowledgeAccess;  // model/knowledge_loader.h

  std::vector<std::shared_ptr<Entry>> entries_;
  std::vector<OsRelease> releases_;
};

// Who runs an instruction.
struct EffectiveUser {
  enum class State { Root, NonRoot, Unknown };
  State state = State::Unknown;
  std::string name;  // as resolved ("node", "1000", "root")
  std::optional<uint32_t> uid;
  std::string group;
  std::string origin;  // "base image node:20", "USER at line 12", ...
  bool is_root() const { return state == State::Root; }
  bool is_nonroot() const { return state == State::NonRoot; }
};

// A reason a RUN needs root, with the command that causes it.
struct RootNeed {
  std::string reason;   // "package-install", "user-management", "system-write", ...
  std::string detail;   // human text: "apt-get install writes under /usr"
  std::string command;  // the command's text
  Span span;            // in the Dockerfile; for script commands, the RUN word that runs the script
  std::string script;   // context path of the script the command is in, if any
  int script_line = 0;
};

// One word of a RUN command (hadolint's Hadolint.Shell is the model).
struct ShellWord {
  std::string raw;    // as written, quotes and escapes included
  std::string value;  // after quote removal; $VAR, ${..}, $(..) kept as written
  Span span;          // its bytes in the Dockerfile
  bool literal = true;  // no expansion: `value` is what the shell sees
};

// One simple command of a RUN (shell form, exec form, or a script it runs
// with `sh -c '...'`), with the wrappers in front of the program seen
// through: sudo, doas, env VAR=..., nice, nohup, exec, time, command,
// timeout, stdbuf. Rules ask it what runs; none reads RUN text itself.
struct RunCommand {
  std::vector<ShellWord> words;  // every word, wrappers included
  size_t program = 0;            // index of the program's word (== words.size(): only wrappers)
  bool nested = false;           // from `sh -c '...'`: spans point into that string
  // How it is joined to the command after it at its level (`a && b`: And).
  enum class Then : uint8_t { End, And, Or, Sequence, Pipe, Background };
  Then then = Then::End;
  bool substitution = false;  // inside $( ), backticks, <( ) or >( ): its output is captured
  Span span;                  // the command's bytes (words and redirections); empty for exec form
  // (Spans here move with the RUN when a memoised analysis is reused: see
  // shift() in model/run_analysis.cpp.)

  const ShellWord* program_word() const { return program < words.size() ? &words[program] : nullptr; }
  // The program's base name after quote removal ("/usr/bin/curl", c"url" -> "curl"); empty when none.
  // A view into the program word's value; inline, since rules ask it of
  // every command again and again.
  std::string_view name() const {
    if (program >= words.size()) return {};
    const std::string_view v = words[program].value;
    return v.substr(v.rfind('/') + 1);  // npos + 1 == 0: no slash
  }
  // The first operand after the program ("install" in apt-get -y install x).
  std::optional<std::string> subcommand() const;
  // A flag given to the program: "--retry" (also --retry=5), "-t", or a
  // short flag inside a cluster ("-m" in `useradd -ms /bin/sh`). Words
  // after `--` are operands.
  bool has_flag(std::string_view flag) const;
  bool has_any_flag(std::initializer_list<std::string_view> flags) const;
  // Its value: --name=v, --name v, -n v, -nv.
  std::optional<std::string> flag_value(std::string_view flag) const;
  // Arguments that are not flags; `with_value` lists flags whose value is
  // the next word (so it is not taken for an operand).
  std::vector<const ShellWord*> operands(std::initializer_list<std::string_view> with_value = {}) const;
  // The argument values after the program (program included first).
  std::vector<std::string> argv() const;
  // Where text goes to follow word `i` (program-relative: 0 is the program).
  Span insert_after(size_t i) const;
};

// The shell a shell-form RUN, CMD or ENTRYPOINT runs in: SHELL's argv, else
// the platform's default (`/bin/sh -c`; `cmd /S /C` on a Windows base image).
struct ShellInUse {
  std::vector<std::string> argv{"/bin/sh", "-c"};
  // A POSIX shell (sh, bash, ash, dash, zsh, ksh, busybox ...), not cmd,
  // powershell or pwsh: only then are RUN lines lexed as sh.
  bool posix = true;
  bool from_shell_instruction = false;  // a SHELL in this stage or a parent stage set it
};
// Whether SHELL's program reads POSIX sh: anything but cmd, powershell and pwsh.
bool posix_shell(const std::vector<std::string>& argv);

struct Step {
  size_t instruction = 0;  // index into Dockerfile::instructions
  size_t stage = 0;
  EffectiveUser user;
  std::string workdir;  // "/" until a WORKDIR says otherwise
  ShellInUse shell;     // in force at this instruction
  // A shell-form RUN's simple commands; empty when its shell is not POSIX
  // (it is not lexed as sh then).
  std::vector<RunCommand> commands;
  std::vector<RootNeed> needs_root;
};

struct Stage {
  size_t index = 0;
  std::string name;  // lower-cased AS name, or empty
  size_t from_instruction = 0;
  std::string base_text;  // as written in FROM
  ImageRef base;          // after ARG substitution
  std::optional<size_t> parent_stage;  // FROM <earlier stage>
  const ImageFacts* facts = nullptr;   // nullptr: unknown image (or a stage)
  std::string platform;
  std::vector<size_t> steps;               // indices into BuildModel::steps
  std::vector<size_t> copies_from_stages;  // COPY --from=<stage>
  std::vector<KnownUser> created_users;    // useradd/adduser in this stage (and parents)
  std::vector<KnownGroup> created_groups;
  EffectiveUser final_user;
  // For the runtime facts (dockerfix/runtime_facts.h): the base's OS release,
  // the ENV in effect at the end of the stage (expanded, with the ENV
  // instruction that set each), and the files copied from the build context
  // (container path -> context path), parents' included.
  std::optional<ReleaseMatch> release;
  std::map<std::string, std::pair<std::string, size_t>> env;
  std::map<std::string, std::string> context_files;
};

struct Lock;  // dockerfix/lock.h

struct Options {
  std::optional<std::string> target;          // --target: final stage name
  std::map<std::string, std::string> build_args;
  std::optional<std::filesystem::path> context;  // build context; scripts are read from here
  // dockerfix.lock, when there is one (its facts are also in the knowledge
  // base); rules read digests from it (pin-base-digest).
  std::shared_ptr<const Lock> lock;
};

// Facts derived from a model and kept with it, each computed the first time
// it is asked for: several rules ask runtime_facts() about the same stage,
// or BuildKit's dispatch state of the same file. A copy of a model starts
// without them (the copy may be changed). Like the model, not for use by two
// threads at once.
class DerivedFacts {
 public:
  DerivedFacts() = default;
  DerivedFacts(const DerivedFacts&) {}
  DerivedFacts& operator=(const DerivedFacts&) {
    slots_.clear();
    return *this;
  }
  DerivedFacts(DerivedFacts&&) noexcept = default;
  DerivedFacts& operator=(DerivedFacts&&) noexcept = default;

  // The model's T, default-constructed on first use; its owner fills it.
  template <class T>
  T& slot() const {
    const std::type_index type(typeid(T));
    for (const auto& [t, p] : slots_)
      if (t == type) return *static_cast<T*>(p.get());
    auto p = std::make_shared<T>();
    T& out = *p;
    slots_.emplace_back(type, std::move(p));
    return out;
  }

 private:
  mutable std::vector<std::pair<std::type_index, std::shared_ptr<void>>> slots_;
};

struct BuildModel {
  std::vector<Stage> stages;
  std::vector<Step> steps;  // one per instruction after the first FROM (FROM included)
  std::optional<size_t> final_stage;
  std::map<std::string, std::string> global_args;  // ARGs before the first FROM
  std::vector<std::string> notes;                  // things the model could not resolve
  DerivedFacts derived;                            // what rules derived from it so far (runtime facts, stage states…)

  // The step of instruction `i`, or nullptr for instructions before the first FROM.
  const Step* step_for(size_t instruction) const;
};

BuildModel analyze(const Dockerfile& file, const KnowledgeBase& kb, const Options& options = {});
// The same, reusing what `memo` holds of RUNs met in earlier versions of
// the file (model/run_analysis.h); one memo per file and options.
class RunMemo;
BuildModel analyze(const Dockerfile& file, const KnowledgeBase& kb, const Options& options, RunMemo& memo);

}  // namespace dockerfix::model
