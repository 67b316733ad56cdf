// One file through dockerfix, the same for check, diff, apply and the git
// layer: refuse what is not a Dockerfile or what BuildKit would refuse,
// parse, model (scripts read from the build context), then either review
// (check: every finding and every fix apply would make) or fix to a fixed
// point (diff, apply, commits), then verify.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "cli/fix_options.h"
#include "dockerfix/fix.h"
#include "verify/prove.h"

namespace dockerfix::cli {

// Where `--verify` plugs in: instead of fixing the file once, the pipeline
// hands it to the verifier, which fixes it (unsafe fixes as candidates),
// builds and runs the images and keeps the fixes that prove (verify/prove.h).
// A fix that breaks is dropped and the others proven again without it.
struct VerifyInput {
  const std::string& path;
  const std::string& bytes;
  const fix::Options& options;  // with the build context scripts are read from
  const std::optional<std::filesystem::path>& context;
};
using Verifier = std::function<verify::Proof(const VerifyInput&)>;

struct FileOutcome {
  std::string error;              // non-empty: refused, "FILE:LINE:COL: message (code)" where there is a line
  std::optional<Dockerfile> file;  // the file as read, parsed
  fix::Review review;             // check
  fix::FixResult fixed;           // diff, apply, commits (and review.fixed for check)
  std::optional<verify::Proof> proof;  // --verify: what building and running proved
};

class FilePipeline {
 public:
  explicit FilePipeline(const Settings& settings, Verifier verify = {}) : s_(settings), verify_(std::move(verify)) {}
  // `context`: the directory scripts copied into the image are read from.
  // `count_more_unsafe`: count what --unsafe-fixes would add (fix::review).
  FileOutcome check(const std::string& path, const std::string& bytes,
                    const std::optional<std::filesystem::path>& context, bool count_more_unsafe = true) const;
  FileOutcome fix(const std::string& path, const std::string& bytes,
                  const std::optional<std::filesystem::path>& context) const;
  bool verifies() const { return static_cast<bool>(verify_); }

 private:
  // Parses; false (and `out.error` set) when the file is refused.
  bool read(const std::string& path, const std::string& bytes, FileOutcome& out) const;
  fix::Options options_for(const std::optional<std::filesystem::path>& context) const;

  const Settings& s_;
  Verifier verify_;
};

}  // namespace dockerfix::cli
