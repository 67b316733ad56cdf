// k8s-container-hardening (issue 16, seeds/002): a container of an image
// built here without allowPrivilegeEscalation: false or capabilities.drop:
// [ALL]. A repository rule: the checks are k8s/checks.cpp, run by the CLI
// (cli/kubernetes_checks.cpp) over manifests and Helm values.
#include "dockerfix/rule_info.h"
#include "transforms/rules/rule_registration.h"

namespace dockerfix::fix {

namespace pages {
std::string_view k8s_container_hardening();  // README.md beside this file, compiled in
}

namespace {

constexpr RuleInfo kInfo{
    .id = "k8s-container-hardening",
    .title = "Kubernetes container without allowPrivilegeEscalation: false or capabilities.drop: [ALL]",
    .severity = Severity::Warning,
    .fix = FixAvailability::Sometimes,
    .run_shells = RunShells::None,  // it reads no RUN commands
    .security = true,
    .security_severity = "6.0",
    .commit_phrase = "harden the Kubernetes containers",
    .why = "The Pod Security Standards' restricted profile requires allowPrivilegeEscalation: false and "
           "capabilities.drop: [ALL]; without them a compromised process can gain privileges.",
    .page = pages::k8s_container_hardening,
    .scope = Scope::Repository,
};

}  // namespace

DOCKERFIX_RULE_INFO(k8s_container_hardening)

}  // namespace dockerfix::fix
