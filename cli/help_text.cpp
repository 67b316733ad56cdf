#include "cli/help_text.h"

#include <stdexcept>

namespace dockerfix::cli {

namespace {

const std::vector<HelpText>& texts() {
  static const std::vector<HelpText> all = {
      {"check",
       "Report the problems dockerfix can find (and mostly fix): each as FILE:LINE:COL RULE MESSAGE, then "
       "the line with a caret under it and the fix (--format full, the default), or that first line alone "
       "(--format concise). Exit 0 when there are none, 1 when there are, 2 on a usage or input error.",
       {{"dockerfix check Dockerfile", "one file"},
        {"dockerfix check .", "every Dockerfile below the current directory, honouring .gitignore"},
        {"dockerfix check --format concise .", "one line a finding, for grep and scripts"},
        {"dockerfix check --format sarif . > dockerfix.sarif", "SARIF 2.1.0 for GitHub code scanning"},
        {"dockerfix check --format json --rule nonroot-final-user services/",
         "one rule, as JSON (schema: docs/check-json.md)"},
        {"cat Dockerfile | dockerfix check -", "standard input"}}},
      {"diff",
       "Print the fixes as a unified diff without writing anything. Exit 1 when there is a change, 0 when "
       "there is none, 2 on a usage or input error.",
       {{"dockerfix diff .", "what apply would change below the current directory"},
        {"dockerfix diff --skip healthcheck Dockerfile", "everything but one rule"},
        {"dockerfix diff --user app --uid 10001 Dockerfile", "choose the non-root user to create"}}},
      {"apply",
       "Apply the fixes in place, one atomic write per file (temporary file + rename, mode kept), and print "
       "one line per changed file. A file that does not parse, or whose fix could not be verified, is "
       "never written. With - reads standard input and writes the result to standard output.",
       {{"dockerfix apply Dockerfile", "fix one file"},
        {"dockerfix apply --rule network-retry .", "only add retries, everywhere below ."},
        {"dockerfix apply --config ci/dockerfix.yaml .", "settings from a config file"},
        {"generate | dockerfix apply - > Dockerfile", "as a filter"},
        {"dockerfix apply --commit", "HEAD's Dockerfiles fixed in a commit on branch dockerfix/<rules>; work tree, "
                                     "index and checked-out branch untouched"},
        {"dockerfix apply --commit --branch fix/docker --push origin services/",
         "one directory, a branch name of your own, pushed"}}},
      {"rules",
       "List the rules: id, severity, whether and how safely they fix, aliases (hadolint, BuildKit, Trivy, "
       "Checkov names that work wherever the id does) and options. The Markdown pages under docs/rules/ are "
       "written by --format markdown --write docs/rules, which in a source tree also rewrites the rule enum of "
       "docs/check-json.schema.json and README's rule table.",
       {{"dockerfix rules", "one line per rule"},
        {"dockerfix rules --format json", "the rule table as JSON"},
        {"dockerfix rules --format markdown --write docs/rules", "regenerate the rule pages, schema enum and README table"}}},
      {"bot",
       "For each repository in a list: clone or fetch it into a cache, fix, commit on dockerfix/<rules>, push and "
       "open a pull request through GitHub's REST API. An open pull request is updated, never duplicated; one a "
       "human closed is never reopened; a branch with a human commit is left alone. A summary table ends the run; "
       "exit 2 if any repository failed. The token comes from DOCKERFIX_TOKEN or GITHUB_TOKEN and is never printed. "
       "A repository's own dockerfix.lock is refreshed from the registries, used and committed with the fixes.",
       {{"dockerfix bot --repos repos.txt --dry-run", "clone, fix and commit, but neither push nor open"},
        {"GITHUB_TOKEN=... dockerfix bot --repos repos.txt --shard 2/8", "the 2nd of 8 slices (a CI matrix job)"},
        {"dockerfix bot --repos repos.txt --api-url https://ghe.example.com/api/v3", "GitHub Enterprise"},
        {"dockerfix bot --repos local-paths.txt --forge none", "only push the branches (no pull requests)"},
        {"dockerfix bot --repos repos.txt --verify", "push only fixes a build and run prove; the PR says how"}}},
      {"parse",
       "Parse Dockerfiles exactly as BuildKit does and print them back byte for byte (or as JSON with "
       "--json). With several files, directories or --files-from, print a summary on stderr (or JSON lines "
       "with --json).",
       {{"dockerfix parse Dockerfile | cmp - Dockerfile", "the round trip is lossless"},
        {"dockerfix parse --json Dockerfile", "instructions, flags, heredocs as JSON"}}},
      {"explain",
       "Show the build model of a Dockerfile: stages, base images, the effective user and WORKDIR at every "
       "instruction, and which RUN commands need root and why.",
       {{"dockerfix explain Dockerfile", "as text"},
        {"dockerfix explain --json --target runtime Dockerfile", "one stage, as JSON"}}},
      {"verify",
       "Prove the fixes by building and running the image before and after, on the Docker engine at DOCKER_HOST "
       "(or /var/run/docker.sock; Podman's Docker-compatible socket speaks the same API). Each fix is reported as proven, broke the build (the "
       "failing step and its log), broke the runtime (the container's exit code and last log lines) or not provable "
       "(the original does not build, a build needs secrets). A container must run as the intended user, stay up as "
       "long as the original (or exit the same way) and, with a HEALTHCHECK, become healthy. RUN steps build with "
       "--network none unless --network host; containers run without a network. Every container, image and tag it "
       "makes is removed, also on Ctrl-C. Exit 0 when every fix is proven, 1 when one is not, 2 on an error.",
       {{"dockerfix verify Dockerfile", "build and run the original and the fixed image"},
        {"dockerfix verify --network host --timeout 20 services/api", "RUNs that install packages; watch 20 s"},
        {"dockerfix verify --build-arg DOCKER_GID=$(stat -c %g /var/run/docker.sock) "
         "--volume /var/run/docker.sock:/var/run/docker.sock Dockerfile",
         "an image that talks to the engine's socket"},
        {"dockerfix apply --verify --network host Dockerfile", "write only the fixes that prove"},
        {"dockerfix verify --format json Dockerfile", "verdicts as JSON (docs/verify.md)"}}},
      {"doctor",
       "Checks of the machine that dockerfix's fixes depend on.",
       {{"dockerfix doctor socket", "the Docker socket's GID and the matching build/run options"},
        {"dockerfix doctor socket --socket /run/docker.sock", "a socket elsewhere"}}},
      {"help",
       "Print the help of dockerfix or of one command, the same text as --help.",
       {{"dockerfix help", "the list of commands"},
        {"dockerfix help check", "check's options and examples"},
        {"dockerfix help doctor socket", "a nested command"}}},
      {"completion",
       "Print a shell completion script for bash, zsh or fish, generated from the same definitions as --help.",
       {{"dockerfix completion bash > /etc/bash_completion.d/dockerfix", "bash, for every user"},
        {"dockerfix completion zsh > \"${fpath[1]}/_dockerfix\"", "zsh"},
        {"dockerfix completion fish > ~/.config/fish/completions/dockerfix.fish", "fish"}}},
      {"images",
       "Learn base images' facts from the images themselves into dockerfix.lock. images learn reads each base "
       "image the Dockerfiles use (after ARG substitution) through its registry: the config (User, Entrypoint, "
       "Cmd, ExposedPorts, Env, labels) and, from the top layer down, /etc/os-release, /etc/passwd, /etc/group, "
       "/bin/sh and the tools on PATH (or from the local Docker engine when it has the image). Credentials come from ~/.docker/config.json and its credential helpers; "
       "plain HTTP only for loopback registries and --insecure-registry ones. The lock (beside .dockerfix.yaml, "
       "else found upward, else in the working directory) maps each reference to its digest and facts; check, "
       "diff, apply and explain use it before the shipped knowledge and never touch the network. images check asks "
       "the registries whether a locked tag has moved (exit 1 when one has).",
       {{"dockerfix images learn", "every base image of the Dockerfiles below the current directory"},
        {"dockerfix images learn --platform linux/arm64 mycorp/base:1.4", "one reference, another platform"},
        {"dockerfix images learn --offline", "no network: what the lock and the cache already hold"},
        {"dockerfix images check .", "exit 1 when a locked tag has moved or a base image is not locked"}}},
      {"man",
       "Print the manual page (roff) generated from the same text as --help.",
       {{"dockerfix man | man -l -", "read it"},
        {"dockerfix man > /usr/local/share/man/man1/dockerfix.1", "install it"}}},
  };
  return all;
}

}  // namespace

namespace {
size_t first_sentence_end(const std::string& s) {
  size_t dot = s.find(". ");
  return dot == std::string::npos ? s.size() : dot + 1;
}
}  // namespace

std::string HelpText::brief() const { return summary.substr(0, first_sentence_end(summary)); }

std::string HelpText::footer() const {
  std::string rest = summary.substr(first_sentence_end(summary));
  while (!rest.empty() && rest.front() == ' ') rest.erase(0, 1);
  std::string out = rest.empty() ? "" : rest + "\n\n";
  out += "Examples:\n";
  for (const auto& [command, what] : examples) out += "  " + command + "\n      " + what + "\n";
  return out;
}

const HelpText& help_text(const std::string& name) {
  for (const auto& t : texts())
    if (t.name == name) return t;
  throw std::out_of_range("no help text for " + name);
}

const std::vector<ManSection>& man_sections() {
  static const std::vector<ManSection> sections = {
      {"EXIT STATUS",
       {{"0", "nothing to report (check), no change (diff), success (apply)"},
        {"1", "findings (check) or changes (diff)"},
        {"2", "usage error, an input refused (binary, NUL bytes, invalid UTF-8, over the size limit, "
              "unreadable, a symlink leaving the tree, BuildKit would refuse it) or a config error; other "
              "files in the run are still processed"}}},
      {"ENVIRONMENT",
       {{"NO_COLOR", "when set and not empty, --color auto prints no colour"},
        {"DOCKERFIX_PROGRESS_AFTER_MS", "how long a run on a terminal goes before the [k/N] progress line appears (default 500)"},
        {"DOCKERFIX_DATA_DIR", "directory of base-images.yaml, instead of the built-in one"},
        {"DOCKERFIX_TOKEN, GITHUB_TOKEN", "token for the GitHub API (bot) and for HTTPS pushes, sent only over HTTPS to github.com, the --api-url host and --token-host hosts (plain HTTP only to --allow-http-host hosts); never printed"},
        {"GITHUB_API_URL", "GitHub API base URL for the bot (default https://api.github.com)"},
        {"DOCKERFIX_SSH_KEY, DOCKERFIX_SSH_PASSPHRASE", "SSH key for pushes when no ssh-agent runs"},
        {"GIT_AUTHOR_NAME, GIT_AUTHOR_EMAIL", "author of --commit commits (else git config user.name/user.email)"},
        {"DOCKERFIX_CACHE_DIR", "check keeps shellcheck's results in $DOCKERFIX_CACHE_DIR/shellcheck (else "
                                "$XDG_CACHE_HOME/dockerfix/shellcheck, else ~/.cache/dockerfix/shellcheck); "
                                "--no-cache neither reads nor writes them (docs/config.md)"},
        {"XDG_CACHE_HOME", "the bot's clones go to $XDG_CACHE_HOME/dockerfix/bot, image facts by digest to "
                           "$XDG_CACHE_HOME/dockerfix/images, shellcheck's results to "
                           "$XDG_CACHE_HOME/dockerfix/shellcheck"},
        {"DOCKER_CONFIG", "directory of the Docker config.json that images learn takes credentials from"}}},
      {"FILES",
       {{".dockerfix.yaml", "the nearest one in the working directory or above it is read unless --config or "
                            "--no-config is given; rules on/off, per-rule options, base-image knowledge, "
                            "ignored paths (docs/config.md). Command-line flags win over it."},
        {"dockerfix.lock", "base-image digests and facts written by dockerfix images learn, beside .dockerfix.yaml "
                           "(else the nearest one upward); check, diff, apply and explain use it first"},
        {"# dockerfix ignore=RULE[,RULE]", "on the line before an instruction: no finding or fix for those "
                                           "rules there; # hadolint ignore=DL3002,DL3057 works too, and any rule alias"},
        {"# check=skip=RULE[,RULE]", "BuildKit's parser directive on the first lines: no finding for those rules "
                                     "(ids or aliases) in the file; skip=all skips every rule"}}},
  };
  return sections;
}

}  // namespace dockerfix::cli
