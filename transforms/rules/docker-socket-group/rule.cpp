// docker-socket-group (seeds/001): an image that talks to the host's Docker
// daemon as a non-root user gets permission denied on /var/run/docker.sock
// unless the user is in a group with the socket's GID. Add
// `ARG DOCKER_GID=999` and, at build time: when a group of the image already
// has that GID (100 is `users` in Debian), add the user to it — groupmod or
// addgroup to a taken GID fails the build; else give the docker group that
// id (moving the group the docker package created, or creating it) and add
// the user to it. GID 0 stops the build with a message: a root-owned socket
// is for root only, and root's group is no fix. `dockerfix doctor socket`
// tells which GID to pass.
#include "model/words.h"
#include "transforms/rule_support.h"
#include "dockerfix/rule_info.h"
#include "transforms/rules/rule_registration.h"

namespace dockerfix::fix {

namespace pages {
std::string_view docker_socket_group();  // README.md beside this file, compiled in
}

namespace {

class DockerSocketGroup : public Rule {
 public:
  const RuleInfo& info() const override;

  std::vector<Finding> check(const Context& ctx) const override {
    if (!ctx.model.final_stage) return {};
    const auto& f = ctx.file;
    const auto& stage = ctx.model.stages[*ctx.model.final_stage];
    const auto& user = stage.final_user;
    if (!user.is_nonroot() || user.name.empty() || std::isdigit(static_cast<unsigned char>(user.name[0]))) return {};
    bool package_group = false, uses_docker = false, in_group = false, gid_arg = false;
    const Instruction* user_ins = nullptr;
    for (size_t si : stage.steps) {
      const auto& st = ctx.model.steps[si];
      const auto& ins = f.instructions[st.instruction];
      if (ins.keyword == "USER") user_ins = &ins;
      // VOLUME, ENV, LABEL... name the socket in their arguments; a RUN in its commands' words.
      if (ins.keyword != "RUN" && ins.arguments.find("docker.sock") != std::string::npos) uses_docker = true;
      if (ins.keyword == "COPY")
        for (const auto& fl : ins.flags)
          if (fl.name == "from" && fl.value && fl.value->rfind("docker", 0) == 0) uses_docker = true;
      if (ins.keyword == "ARG" && ins.arguments.rfind("DOCKER_GID", 0) == 0) gid_arg = true;
      for (const auto& c : st.commands) {
        for (const auto& w : c.words)
          if (w.value.find("docker.sock") != std::string::npos) uses_docker = true;
        const std::vector<std::string> a = c.argv();  // a[0] is the program
        if (a.empty()) continue;
        bool install = a.size() > 1 && (a[0] == "apt-get" || a[0] == "apt" || a[0] == "apk" || a[0] == "dnf" || a[0] == "yum");
        bool pip = (a[0] == "pip" || a[0] == "pip3");
        for (const auto& w : a) {
          if (install && (w == "docker.io" || w == "docker-ce" || w == "docker" || w == "moby-engine")) {
            uses_docker = true;
            package_group = true;
          }
          if (install && (w == "docker-ce-cli" || w == "docker-cli" || w == "moby-cli")) uses_docker = true;
          if (pip && (w == "docker" || w.rfind("docker==", 0) == 0 || w.rfind("docker>=", 0) == 0)) uses_docker = true;
        }
        if ((a[0] == "usermod" && std::find(a.begin(), a.end(), "docker") != a.end()) ||
            (a[0] == "gpasswd" && std::find(a.begin(), a.end(), "docker") != a.end()) ||
            ((a[0] == "adduser" || a[0] == "addgroup") && a.size() == 3 && a[2] == "docker") ||
            (a[0] == "useradd" && std::any_of(a.begin(), a.end(), [](const std::string& w) { return w.find("docker") != std::string::npos; })))
          in_group = true;
        // This rule's own fix: the group is only known at build time.
        if (gid_arg && (a[0] == "usermod" || a[0] == "addgroup") && a.back() == user.name) in_group = true;
        if (gid_arg && a[0] == "addgroup" && a.size() == 3 && a[1] == user.name) in_group = true;
      }
    }
    if (!uses_docker || in_group) return {};
    Finding fd = make_finding(f, id(),
                              user.name + " uses the Docker socket but is not in its group: add ARG DOCKER_GID and the docker group",
                              user_ins ? user_ins->keyword_span : f.instructions[stage.from_instruction].keyword_span);
    const model::ImageFacts* facts = stage.facts;
    // The new RUN goes just before the USER, so whoever runs there must be root.
    size_t user_index = user_ins ? static_cast<size_t>(user_ins - f.instructions.data()) : 0;
    const model::Step* before_user = user_ins ? ctx.model.step_for(user_index - 1) : nullptr;
    if (!user_ins || !facts || !before_user || !before_user->user.is_root()) {
      fd.no_fix_reason = "the user is not switched to in this stage by a USER that runs after root steps";
      return {fd};
    }
    if (!before_user->shell.posix) {
      fd.no_fix_reason = "the SHELL there is not POSIX sh: the group change is written for sh";
      return {fd};
    }
    const std::string name = shell_word(user.name);
    std::vector<std::string> run{
        "if [ \"${DOCKER_GID}\" = 0 ]; then echo 'DOCKER_GID=0 is the root group, not a docker group: "
        "see dockerfix doctor socket' >&2; exit 1; fi"};
    if (facts->user_tool == "useradd") {
      run.push_back("group=$(getent group \"${DOCKER_GID}\" | cut -d: -f1)");
      run.push_back(std::string("if [ -z \"$group\" ]; then ") + (package_group ? "groupmod" : "groupadd") +
                    " -g \"${DOCKER_GID}\" docker && group=docker; fi");
      run.push_back("usermod -aG \"$group\" " + name);
    } else if (facts->user_tool == "adduser-busybox" && !package_group) {
      // busybox has no getent everywhere; awk reads /etc/group.
      run.push_back("group=$(awk -F: -v gid=\"${DOCKER_GID}\" '$3 == gid { print $1; exit }' /etc/group)");
      run.push_back("if [ -z \"$group\" ]; then addgroup -g \"${DOCKER_GID}\" docker && group=docker; fi");
      run.push_back("addgroup " + name + " \"$group\"");
    } else {
      fd.no_fix_reason = "no known way to move the docker group in " + facts->id;
      return {fd};
    }
    std::string text = ctx.style.keyword("RUN") + " " + run[0];
    const std::string indent = indentation(f, *user_ins) + "    ";
    for (size_t i = 1; i < run.size(); ++i)
      text += std::string(" ") + ctx.style.escape + ctx.style.newline + indent + "&& " + run[i];
    fd.fix.push_back(insert_line_before(f, *user_ins, ctx.style.keyword("ARG") + " DOCKER_GID=999", ctx.style));
    fd.fix.push_back(insert_line_before(f, *user_ins, text, ctx.style));
    return {fd};
  }
};

constexpr RuleInfo kInfo{
    .id = "docker-socket-group",
    .title = "the image uses the Docker socket as a non-root user that is not in the socket's group",
    .severity = Severity::Error,
    .fix = FixAvailability::Sometimes,
    .commit_phrase = "add the user to the docker socket group",
    .why = "The non-root user talks to the Docker socket but is not in its group; the group id is a build argument (dockerfix doctor socket prints the host's).",
    .make = make_instance<DockerSocketGroup>,
    .page = pages::docker_socket_group,
};

}  // namespace

DOCKERFIX_RULE_CLASS(DockerSocketGroup, docker_socket_group)

}  // namespace dockerfix::fix
