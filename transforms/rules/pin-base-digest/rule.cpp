// pin-base-digest (issue 15; Renovate's pinDigests): a FROM that names a tag
// builds whatever the tag points to on the day of the build. With the digest
// `dockerfix images learn` recorded in dockerfix.lock written after it
// (`FROM python:3.12-slim@sha256:…`), the build is reproducible and a tag
// that moves is an explicit change (Renovate and Dependabot update pinned
// digests). Off by default, like Renovate's pinDigests: pinning is a policy.
#include <memory>

#include "dockerfix/lock.h"
#include "dockerfix/rule_info.h"
#include "transforms/rule_support.h"
#include "transforms/rules/rule_registration.h"

namespace dockerfix::fix {

namespace pages {
std::string_view pin_base_digest();  // README.md beside this file, compiled in
}

namespace {

class PinBaseDigest : public Rule {
 public:
  const RuleInfo& info() const override;

  std::vector<Finding> check(const Context& ctx) const override {
    std::vector<Finding> out;
    const auto& f = ctx.file;
    for (const auto& stage : ctx.model.stages) {
      if (stage.parent_stage || !stage.base.valid || !stage.base.digest.empty()) continue;
      if (stage.base.repository == "library/scratch") continue;
      const Instruction& from = f.instructions[stage.from_instruction];
      Finding fd = make_finding(f, id(), "FROM " + stage.base.familiar() + " is not pinned to a digest",
                                from.arguments_span);
      // The reference as written; a variable would pin one value of a build
      // argument for all of them.
      const std::string& written = stage.base_text;
      if (written.find('$') != std::string::npos) {
        fd.message = "FROM " + written + " is not pinned to a digest";
        fd.no_fix_reason = "the reference uses a build argument; a digest would pin one of its values";
        out.push_back(std::move(fd));
        continue;
      }
      std::string_view at = f.text({from.arguments_span.begin,
                                    static_cast<uint32_t>(from.arguments_span.begin + written.size())});
      if (at != written) {
        fd.no_fix_reason = "the reference is split across lines";
        out.push_back(std::move(fd));
        continue;
      }
      const model::Lock* lock = ctx.options.model.lock.get();
      auto digest = lock ? model::locked_digest(*lock, stage.base) : std::nullopt;
      if (!digest) {
        const model::LockedImage* e = lock ? model::find_locked(*lock, stage.base) : nullptr;
        fd.no_fix_reason = e && e->source == "engine-local"
                               ? "dockerfix.lock holds it as a local build, whose image ID no registry serves"
                               : "dockerfix.lock has no digest for it; run dockerfix images learn";
        out.push_back(std::move(fd));
        continue;
      }
      fd.message = "FROM " + stage.base.familiar() + " is not pinned: pin it to " + *digest + " (dockerfix.lock)";
      uint32_t end = static_cast<uint32_t>(from.arguments_span.begin + written.size());
      fd.fix.push_back(Edit{{end, end}, "@" + *digest});
      out.push_back(std::move(fd));
    }
    return out;
  }
};

constexpr RuleInfo kInfo{
    .id = "pin-base-digest",
    .title = "a base image named by tag only: builds are not reproducible",
    .severity = Severity::Info,
    .enabled_by_default = false,
    .fix = FixAvailability::Sometimes,
    .run_shells = RunShells::None,  // it reads no RUN commands
    .commit_phrase = "pin base images to their digests",
    .why = "A FROM that names only a tag builds whatever the tag points to that day. The digest recorded in "
           "dockerfix.lock is now written after the tag, so builds are reproducible and a moved tag is a reviewed "
           "change.",
    .make = make_instance<PinBaseDigest>,
    .page = pages::pin_base_digest,
};

}  // namespace

DOCKERFIX_RULE_CLASS(PinBaseDigest, pin_base_digest)

}  // namespace dockerfix::fix
