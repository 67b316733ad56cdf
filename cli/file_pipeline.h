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

namespace dockerfix::cli {

// The step after fixing where `--verify` plugs in: given the file as read
// and as fixed, it names rules whose fixes must not be kept (a build that
// fails with them, say) and why. The pipeline then fixes the file again
// without those rules, and asks again, until nothing more is dropped.
struct VerifyInput {
  const std::string& path;
  const std::string& original;
  const fix::FixResult& fixed;
  const std::optional<std::filesystem::path>& context;
};
struct DroppedRule {
  std::string rule;
  std::string why;
};
using Verifier = std::function<std::vector<DroppedRule>(const VerifyInput&)>;

struct FileOutcome {
  std::string error;              // non-empty: refused, "FILE:LINE:COL: message (code)" where there is a line
  std::optional<Dockerfile> file;  // the file as read, parsed
  fix::Review review;             // check
  fix::FixResult fixed;           // diff, apply, commits (and review.fixed for check)
};

class FilePipeline {
 public:
  explicit FilePipeline(const Settings& settings, Verifier verify = {}) : s_(settings), verify_(std::move(verify)) {}
  // `context`: the directory scripts copied into the image are read from.
  FileOutcome check(const std::string& path, const std::string& bytes,
                    const std::optional<std::filesystem::path>& context) const;
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
