// k8s-nonroot-verifiable (issue 16, seeds/002): a pod says runAsNonRoot with
// no runAsUser while the image's USER is a name, so the kubelet cannot verify
// it and refuses to start the container. A repository rule: the checks are
// k8s/checks.cpp, run by the CLI (cli/kubernetes_checks.cpp) over manifests.
#include "dockerfix/rule_info.h"
#include "transforms/rules/rule_registration.h"

namespace dockerfix::fix {

namespace pages {
std::string_view k8s_nonroot_verifiable();  // README.md beside this file, compiled in
}

namespace {

constexpr RuleInfo kInfo{
    .id = "k8s-nonroot-verifiable",
    .title = "Kubernetes runAsNonRoot without runAsUser while the image's USER is a name: the pod does not start",
    .severity = Severity::Error,
    .fix = FixAvailability::Sometimes,
    .run_shells = RunShells::None,  // it reads no RUN commands
    .commit_phrase = "let Kubernetes verify the non-root user",
    .why = "With runAsNonRoot and a named USER the kubelet cannot verify the user is not root and refuses to start "
           "the container; a numeric USER in the image, or runAsUser in the manifest, lets it start.",
    .page = pages::k8s_nonroot_verifiable,
    .scope = Scope::Repository,
};

}  // namespace

DOCKERFIX_RULE_INFO(k8s_nonroot_verifiable)

}  // namespace dockerfix::fix
