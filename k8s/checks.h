// The checks of manifests against the images they run: plain functions
// from (inventory, image mappings, the images' users) to findings with
// YAML fixes. The Dockerfile side of a fix is described, not made: the
// Dockerfile rules make it (see DockerfileFix).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "k8s/image_map.h"
#include "k8s/inventory.h"
#include "k8s/location.h"
#include "k8s/yaml_edit.h"

namespace dockerfix::k8s {

// Rule ids (docs/kubernetes.md has a page for each).
inline constexpr std::string_view kRuleNonRootVerifiable = "k8s-nonroot-verifiable";
inline constexpr std::string_view kRuleIdsMatchImage = "k8s-ids-match-image";
inline constexpr std::string_view kRuleContainerHardening = "k8s-container-hardening";

// The final user of an image, from the Dockerfile's model (image_user_of).
struct ImageUser {
  std::string name;                 // as the final USER says it, or the base image's user: "agent", "1000", "node"
  std::optional<uint32_t> uid, gid; // known ids: pinned in the Dockerfile or known for the base image
  bool numeric_in_user_instruction = false;  // USER 1000 / USER 1000:1000, not USER agent
  int user_line = 0;                // the final USER instruction's line; 0 when it comes from the base image
  bool is_root() const { return name == "root" || (uid && *uid == 0); }
};
using ImageUsers = std::map<std::string, ImageUser>;  // by repository-relative Dockerfile path

enum class Side { Manifest, Dockerfile };

// A fix the Dockerfile rules should make instead of (or besides) the YAML one.
struct DockerfileFix {
  enum class Kind {
    NumericUser,  // `USER <uid>[:<gid>]` after the user exists (replacing the named USER at `line`)
    PinUid,       // give the user's useradd/adduser `-u <uid>` (explicit-uid with this uid)
  };
  Kind kind = Kind::NumericUser;
  std::string dockerfile;
  std::optional<uint32_t> uid, gid;  // NumericUser without uid: pin one first
  int line = 0;                      // the USER instruction
};

struct Finding {
  std::string rule;
  std::string message;
  Location where;                 // the manifest/values/template key the finding is about
  std::vector<Location> related;  // the other places involved (pod-level key, the Dockerfile's USER line)
  std::string workload;           // "Deployment/web"
  std::string container;
  std::string dockerfile;         // the container's Dockerfile
  bool assumed_mapping = false;   // mapped because the repository has one Dockerfile (the message says so)

  // The YAML fix: edits of one file of Inventory::files, and what its
  // documents must hold afterwards. Empty `fix`: reported without one.
  int fix_file = -1;
  std::string fix_path;
  std::vector<Edit> fix;
  std::vector<Expectation> expect;
  bool fix_safe = true;           // false: apply only with --unsafe-fixes
  std::string no_fix_reason;

  std::optional<DockerfileFix> dockerfile_fix;  // the other way to fix it
  Side preferred = Side::Manifest;              // which one the repository already uses
};

// runAsNonRoot: true, no runAsUser, and the image's USER is a name: the
// kubelet refuses to start the container.
std::vector<Finding> check_nonroot_verifiable(const Inventory& inventory, const std::vector<ImageMapping>& mappings,
                                              const ImageUsers& users);
// runAsUser / runAsGroup / fsGroup that are not the image user's ids, and
// users whose uid the image leaves to chance while the manifest fixes it.
std::vector<Finding> check_ids_match_image(const Inventory& inventory, const std::vector<ImageMapping>& mappings,
                                           const ImageUsers& users);
// Containers of this repository's images without allowPrivilegeEscalation:
// false or capabilities.drop: [ALL].
std::vector<Finding> check_container_hardening(const Inventory& inventory, const std::vector<ImageMapping>& mappings,
                                               const ImageUsers& users);
// All three, in that order.
std::vector<Finding> check(const Inventory& inventory, const std::vector<ImageMapping>& mappings,
                           const ImageUsers& users);

struct FileChange {
  std::string path;     // repository-relative
  std::string before, after;
  std::vector<size_t> findings;     // indices into the findings given to apply()
  std::vector<Edit> edits;          // of `before`, giving `after`
  std::vector<Expectation> expect;  // verify_edits(before, after, edits, expect) is empty
};
struct ApplyResult {
  std::vector<FileChange> files;
  std::vector<std::string> rejected;  // "<file>: <rule> for <container>: why"
};
// Applies the fixes of `findings` (the caller picks them: safe ones, or
// unsafe too), file by file; identical edits from several findings (one
// values key shared by containers) are made once. Every file passes
// verify_edits; a finding whose edits would break that is rejected.
ApplyResult apply(const Inventory& inventory, const std::vector<Finding>& findings);

}  // namespace dockerfix::k8s
