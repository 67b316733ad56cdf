// What BuildKit's build checks read, done the way BuildKit does it so the
// findings agree with `docker build --check`: its word expansion (which
// variables a word used, set or not), its key/value forms of ENV, LABEL and
// ARG (and the legacy `KEY value` form), the comments it attaches to an
// instruction, its "did you mean" search, its image-reference and platform
// grammar, and its predefined build arguments.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "dockerfix/fix.h"

namespace dockerfix::fix::buildkit {

using Env = std::map<std::string, std::string>;

// shell.Lex.ProcessWordWithMatches: the word after quote removal and
// expansion, the variables it looked up that were set (`matched`) and not
// set (`unmatched`, `${X:-d}` included). `ok` is false on a syntax error
// (BuildKit fails the build there; the checks then say nothing).
struct Expansion {
  std::string result;
  std::set<std::string> matched, unmatched;
  bool ok = true;
};
// `quotes`: false reads quotes as plain characters (BuildKit's
// SkipProcessQuotes, for heredoc bodies).
Expansion process_word(std::string_view word, const Env& env, char escape, bool quotes = true);

// Go's %q of a plain string: in double quotes, `"` and `\` escaped.
std::string go_quote(std::string_view s);
std::string lower(std::string_view s);
std::string upper(std::string_view s);
// The instruction's keyword as written.
std::string spelled(const Dockerfile& f, const Instruction& ins);

// One key of ENV, LABEL or ARG as BuildKit's parser splits it. `legacy`:
// the `KEY value` form (ENV, LABEL), whose value is the rest of the line.
struct KeyValue {
  std::string key;
  std::optional<std::string> value;  // as written (quotes kept); nullopt: `ARG name`
  bool legacy = false;
};
std::vector<KeyValue> key_values(const Instruction& ins, char escape);
// key_values() of ctx.file's instruction `i`, split once per model (kept with
// it: several checks read the same ENV and ARG); valid as long as it is.
const std::vector<KeyValue>& key_values(const Context& ctx, size_t i);

// The comment lines BuildKit attaches to instruction `i` (Node.PrevComment):
// those since the previous instruction, text after `#` trimmed; an empty
// `#` starts the list again; parser directives are not among them.
std::vector<std::string> prev_comments(const Dockerfile& f, size_t i);

// util/suggest.Search: the option closest to `value` by Levenshtein distance
// (fewer than 3 edits), none when one is equal. Options are tried in order.
std::optional<std::string> suggest(std::string_view value, const std::vector<std::string>& options,
                                   bool case_sensitive = true);

// distribution/reference.ParseNormalizedNamed accepts `name`.
bool valid_image_reference(std::string_view name);
// distribution/reference's ReferenceRegexp matches the whole of `s` (read by
// hand, not by std::regex; valid_image_reference makes the other checks).
bool reference_grammar(std::string_view s);

// containerd platforms.Parse, reduced to what the checks use: the OS and
// architecture, normalised; nullopt when Parse fails.
struct Platform {
  std::string os, architecture, variant;
};
std::optional<Platform> parse_platform(std::string_view text);

// BUILDPLATFORM, TARGETPLATFORM, ... with the values BuildKit gives them
// (the build and target platform are taken as linux/amd64 unless --build-arg
// sets them), then the build arguments given.
Env predefined_args(const std::map<std::string, std::string>& build_args);

// The global ARGs (before the first FROM) as BuildKit's buildMetaArgs reads
// them: `values` the arguments with a value (predefined ones included),
// `declared` every name an ARG declares.
struct MetaArgs {
  Env values;
  std::set<std::string> declared;
  bool ok = true;  // false: an ARG default fails to expand (BuildKit fails the build)
};
MetaArgs meta_args(const Dockerfile& f, const std::map<std::string, std::string>& build_args, bool with_build_args = true);
// meta_args(ctx.file, ctx.options.model.build_args, with_build_args), computed
// once per model (kept with it, as stage_states are: many checks read them);
// the reference is valid as long as the model is.
const MetaArgs& meta_args(const Context& ctx, bool with_build_args = true);

// A span on the line BuildKit reports an instruction at (its first line):
// `s` when it starts there, else the keyword.
Span on_first_line(const Dockerfile& f, const Instruction& ins, Span s);

// Where `needle` (as written) is in the instruction's arguments on its first
// line; the keyword when it is not found there.
Span find_on_first_line(const Dockerfile& f, const Instruction& ins, std::string_view needle, size_t from = 0);

// The instruction's FROM words: image, and when given, `AS` and the name.
struct FromWords {
  std::string image, as, name;  // as written
  Span image_span, as_span, name_span;
  bool has_name = false;
};
std::optional<FromWords> from_words(const Dockerfile& f, const Instruction& ins);

// BuildKit's dispatch state of a stage before one of its instructions: the
// environment its words expand against (the base image's, then ENV and ARG
// values) and the ARG names declared in the stage so far. `env_known` is
// false when the base image's environment is not known (an image the
// knowledge base and the lock say nothing about): its variables cannot be
// told from undefined ones.
struct StageState {
  Env env;
  std::set<std::string> declared_args;
  bool env_known = true;
  bool windows = false;  // the base image is Windows
};
// One entry per instruction; null before the first FROM. Instructions that
// change nothing (all but FROM, ENV and ARG) share the state before them.
// Computed once per model and build arguments (kept with the model:
// BuildModel::derived); the reference is valid as long as the model is.
using StageStates = std::vector<std::shared_ptr<const StageState>>;
const StageStates& stage_states(const Context& ctx);

// The words BuildKit expands in an instruction (single-word expansion:
// ENV and LABEL keys and values, ARG defaults, COPY/ADD sources, destination,
// --chown, --chmod (ADD --checksum), WORKDIR, USER, VOLUME, STOPSIGNAL, RUN
// --mount values, and the bodies of expanding COPY/ADD heredocs, which are
// read without quote removal).
struct ExpandedWord {
  std::string text;
  bool raw_quotes = false;  // a heredoc body: quotes are not removed
};
std::vector<ExpandedWord> expanded_words(const Instruction& ins, char escape);

// COPY/ADD sources and destination as BuildKit splits them (JSON or words).
std::vector<std::string> copy_paths(const Instruction& ins);

// One EXPOSE port as BuildKit's port parser reads it: [ip:][host:]container[/proto].
struct ExposedPort {
  std::string raw;  // after expansion
  std::string ip, host, proto;
  Span proto_span;     // in the file, when the word is written literally
  bool valid = false;  // BuildKit accepts it (a port, and tcp, udp or sctp in any case)
};
// EXPOSE instruction `i`'s ports; words with variables are expanded with the
// stage's environment when it is known, else skipped.
std::vector<ExposedPort> exposed_ports(const Context& ctx, size_t i);

}  // namespace dockerfix::fix::buildkit
