// k8s-ids-match-image (issue 16, seeds/002): runAsUser, runAsGroup or fsGroup
// that is not the image user's uid/gid. A repository rule: the checks are
// k8s/checks.cpp, run by the CLI (cli/kubernetes_checks.cpp) over manifests.
#include "dockerfix/rule_info.h"
#include "transforms/rules/rule_registration.h"

namespace dockerfix::fix {

namespace pages {
std::string_view k8s_ids_match_image();  // README.md beside this file, compiled in
}

namespace {

constexpr RuleInfo kInfo{
    .id = "k8s-ids-match-image",
    .title = "Kubernetes runAsUser/runAsGroup/fsGroup differ from the ids of the image's user",
    .severity = Severity::Warning,
    .fix = FixAvailability::Never,
    .run_shells = RunShells::None,  // it reads no RUN commands
    .commit_phrase = "match Kubernetes ids to the image's user",
    .why = "A runAsUser, runAsGroup or fsGroup other than the image user's ids leaves the process unable to write the "
           "home, WORKDIR and files the image gave its user.",
    .page = pages::k8s_ids_match_image,
    .scope = Scope::Repository,
};

}  // namespace

DOCKERFIX_RULE_INFO(k8s_ids_match_image)

}  // namespace dockerfix::fix
