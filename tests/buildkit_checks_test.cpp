// BuildKit's build checks beyond their case folders: the `# check=`
// directive as BuildKit reads it, facts only a knowledge base or the lock
// gives (image environment, single platform), the `<Dockerfile>.dockerignore`
// file, and the shell a RUN is lexed in.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "dockerfix/fix.h"
#include "dockerfix/lock.h"
#include "dockerfix/shell.h"
#include "tests/test_support.h"
#include "transforms/pragmas.h"

namespace dockerfix::fix {
namespace {

namespace fs = std::filesystem;

std::vector<Finding> found(const std::string& src, const model::KnowledgeBase& kb = model::KnowledgeBase::builtin(),
                           const Options& o = {}, const Selection& s = {}) {
  return check(parse(src, "Dockerfile"), kb, o, s);
}

// The BuildKit checks among the findings.
std::vector<std::string> rules_of(const std::vector<Finding>& v) {
  std::vector<std::string> out;
  for (const auto& f : v)
    if (buildkit_name(*find_rule(f.rule))) out.push_back(f.rule);
  return out;
}

size_t count(const std::vector<Finding>& v, std::string_view rule) {
  return static_cast<size_t>(std::count_if(v.begin(), v.end(), [&](const Finding& f) { return f.rule == rule; }));
}

const Finding* first(const std::vector<Finding>& v, std::string_view rule) {
  for (const auto& f : v)
    if (f.rule == rule) return &f;
  return nullptr;
}

const std::string kBody = "FROM scratch as base\ncopy Dockerfile .\n";

TEST(CheckDirective, SkipFormsAsBuildKitReadsThem) {
  EXPECT_EQ(count(found(kBody), "from-as-casing"), 1u);
  EXPECT_EQ(count(found(kBody), "consistent-instruction-casing"), 1u);
  // No space after `#`, `skip=all`, comma lists, `;`-separated settings.
  EXPECT_TRUE(rules_of(found("#check=skip=all\n" + kBody)).empty());
  EXPECT_TRUE(rules_of(found("#check=skip=all;error=true\n" + kBody)).empty());
  auto two = found("#check=skip=ConsistentInstructionCasing,FromAsCasing\n" + kBody);
  EXPECT_EQ(count(two, "from-as-casing") + count(two, "consistent-instruction-casing"), 0u);
  auto one = found("# check=skip=ConsistentInstructionCasing;error=true\n" + kBody);
  EXPECT_EQ(rules_of(one), std::vector<std::string>{"from-as-casing"});
  // BuildKit reads the value up to its first space: only FromAsCasing is skipped here...
  auto spaced = found("# check=skip=FromAsCasing, ConsistentInstructionCasing\n" + kBody);
  EXPECT_EQ(count(spaced, "from-as-casing"), 0u);
  EXPECT_EQ(count(spaced, "consistent-instruction-casing"), 1u);
  // ...and `skip = X` is `skip`, which it refuses: nothing is skipped.
  EXPECT_EQ(count(found("# check=skip = FromAsCasing\n" + kBody), "from-as-casing"), 1u);
  // Padding around the directive's `=` and the settings' keys is fine.
  EXPECT_EQ(count(found("#  check  =  skip=FromAsCasing ; error=true\n" + kBody), "from-as-casing"), 0u);
  // A directive BuildKit refuses (a bad bool, an unknown key) switches nothing off.
  EXPECT_EQ(count(found("# check=skip=FromAsCasing;error=maybe\n" + kBody), "from-as-casing"), 1u);
  EXPECT_EQ(count(found("# check=skip=FromAsCasing;color=red\n" + kBody), "from-as-casing"), 1u);
  // Not a directive once an instruction came first.
  EXPECT_EQ(count(found("FROM scratch as base\n# check=skip=all\ncopy Dockerfile .\n"), "from-as-casing"), 1u);
}

TEST(CheckDirective, ErrorTrueRaisesBuildKitChecksToErrors) {
  const std::string body = "FROM debian:12\nMAINTAINER me\nCMD [\"x\"]\n";
  for (const auto& f : found(body)) EXPECT_NE(f.severity, Severity::Error) << f.rule;
  auto raised = found("# check=error=true\n" + body);
  const Finding* m = first(raised, "maintainer-deprecated");
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->severity, Severity::Error);
  // dockerfix's own rules keep their severity.
  const Finding* root = first(raised, "nonroot-final-user");
  ASSERT_NE(root, nullptr);
  EXPECT_EQ(root->severity, Severity::Warning);
  EXPECT_EQ(first(found("# check=error=false\n" + body), "maintainer-deprecated")->severity, Severity::Warning);
}

TEST(CheckDirective, BuildArgReplacesTheDirective) {
  Options o;
  o.model.build_args["BUILDKIT_DOCKERFILE_CHECK"] = "skip=ConsistentInstructionCasing;error=true";
  auto v = found("#check=skip=all\n" + kBody, model::KnowledgeBase::builtin(), o);
  ASSERT_EQ(rules_of(v), std::vector<std::string>{"from-as-casing"});
  EXPECT_EQ(first(v, "from-as-casing")->severity, Severity::Error);
  o.model.build_args["BUILDKIT_DOCKERFILE_CHECK"] = "skip=all";
  EXPECT_TRUE(rules_of(found("#check=error=true\n" + kBody, model::KnowledgeBase::builtin(), o)).empty());
}

TEST(CheckDirective, CommentsAboveAnInstructionSkipItsDispatchChecks) {
  const std::string src =
      "FROM alpine:3.20\n"
      "# check=skip=JSONArgsRecommended\n"
      "CMD serve\n"
      "FROM alpine:3.20\n"
      "CMD serve\n";
  auto v = found(src);
  ASSERT_EQ(count(v, "json-args-recommended"), 1u);
  EXPECT_EQ(first(v, "json-args-recommended")->line, 5);
  // A `#` line before it starts the comments afresh; other comments may stand between.
  EXPECT_EQ(count(found("FROM alpine:3.20\n# check=skip=JSONArgsRecommended\n#\nCMD serve\n"), "json-args-recommended"), 1u);
  EXPECT_EQ(count(found("FROM alpine:3.20\n# check=skip=JSONArgsRecommended\n# serve it\nCMD serve\n"),
                  "json-args-recommended"),
            0u);
  // The file-wide checks (casing) are not switched off by a comment, as in BuildKit.
  EXPECT_EQ(count(found("FROM alpine:3.20\n# check=skip=all\ncmd [\"serve\"]\n"), "consistent-instruction-casing"), 1u);
  // MultipleInstructionsDisallowed reads the comments of the instruction that overrides.
  EXPECT_EQ(count(found("FROM scratch\nCMD [\"a\"]\n# check=skip=MultipleInstructionsDisallowed\nCMD [\"b\"]\n"),
                  "multiple-instructions-disallowed"),
            0u);
}

// hadolint's ids for the BuildKit checks that are the same check: they name
// the rule in --skip, .hadolint.yaml and `# hadolint ignore=`.
TEST(HadolintAliases, NameTheBuildKitChecksTheyMatch) {
  const std::vector<std::pair<std::string, std::string>> same{
      {"DL4000", "maintainer-deprecated"}, {"DL3024", "duplicate-stage-name"},
      {"DL3063", "reserved-stage-name"},   {"DL3065", "redundant-target-platform"},
      {"DL4003", "multiple-instructions-disallowed"}, {"DL4004", "multiple-instructions-disallowed"},
      {"DL3012", "multiple-instructions-disallowed"}};
  for (const auto& [dl, id] : same) {
    const RuleInfo* r = resolve_rule(dl);
    ASSERT_NE(r, nullptr) << dl;
    EXPECT_EQ(r->id, id) << dl;
  }
  // Near misses stay apart (hadolint flags every relative WORKDIR, shell-form
  // HEALTHCHECKs, --platform with any variable, other secret words).
  for (std::string dl : {"DL3000", "DL3025", "DL3029", "DL3064"}) {
    const RuleInfo* r = resolve_rule(dl);
    EXPECT_TRUE(r == nullptr || !buildkit_name(*r)) << dl << " names " << r->id;
  }
  Selection skip;
  skip.skip = {"DL3024"};
  const std::string dup = "FROM scratch AS a\nFROM scratch AS a\n";
  EXPECT_EQ(count(found(dup), "duplicate-stage-name"), 1u);
  EXPECT_EQ(count(found(dup, model::KnowledgeBase::builtin(), {}, skip), "duplicate-stage-name"), 0u);
}

// hadolint reports a second CMD at itself, BuildKit at the CMD it overrides:
// `# hadolint ignore=DL4003` above either one switches the finding off.
TEST(HadolintAliases, IgnoreAboveTheOverridingInstructionToo) {
  const std::string first_cmd = "FROM scratch\nCMD [\"a\"]\n";
  auto v = found(first_cmd + "CMD [\"b\"]\n");
  ASSERT_EQ(count(v, "multiple-instructions-disallowed"), 1u);
  EXPECT_EQ(first(v, "multiple-instructions-disallowed")->line, 2);
  EXPECT_EQ(count(found(first_cmd + "# hadolint ignore=DL4003\nCMD [\"b\"]\n"), "multiple-instructions-disallowed"), 0u);
  EXPECT_EQ(count(found("FROM scratch\n# hadolint ignore=DL4003\nCMD [\"a\"]\nCMD [\"b\"]\n"),
                  "multiple-instructions-disallowed"),
            0u);
  // An ignore above some other instruction does not reach it.
  EXPECT_EQ(count(found(first_cmd + "# hadolint ignore=DL4003\nUSER 1000\nCMD [\"b\"]\n"),
                  "multiple-instructions-disallowed"),
            1u);
}

TEST(CheckDirective, ExperimentalSwitchesOnChecksOffByDefault) {
  const std::string body = "# not a description\nARG version=1\nFROM scratch\n";
  Selection defaults;  // what the CLI gives when no config switches the rule on
  defaults.off_by_default = {"invalid-definition-description"};
  auto kb = model::KnowledgeBase::builtin();
  EXPECT_EQ(count(found(body, kb, {}, defaults), "invalid-definition-description"), 0u);
  EXPECT_EQ(count(found("# check=experimental=InvalidDefinitionDescription\n" + body, kb, {}, defaults),
                    "invalid-definition-description"),
            1u);
  EXPECT_EQ(count(found("# check=experimental=all\n" + body, kb, {}, defaults), "invalid-definition-description"), 1u);
  // In the comments above one instruction, for that instruction.
  const std::string two =
      "ARG z=0\n# check=experimental=InvalidDefinitionDescription\n# x\nARG a=1\n# y\nARG b=2\nFROM scratch\n";
  auto v = found(two, kb, {}, defaults);
  ASSERT_EQ(count(v, "invalid-definition-description"), 1u);
  EXPECT_EQ(first(v, "invalid-definition-description")->line, 4);
}

TEST(CheckDirective, ParseCheckFollowsParseLintOptions) {
  auto c = parse_check("skip=A, B;experimental=all");  // cut at the first space
  ASSERT_TRUE(c);
  EXPECT_EQ(c->skip, (std::vector<std::string>{"A", ""}));
  EXPECT_FALSE(c->experimental_all);
  c = parse_check("skip=A;error=T;experimental=B;C");  // a third `;` stays in the last setting
  ASSERT_TRUE(c);
  EXPECT_TRUE(c->error);
  EXPECT_EQ(c->experimental, std::vector<std::string>{"B;C"});
  EXPECT_FALSE(parse_check("skip"));
  EXPECT_TRUE(parse_check("")->skip.empty());
}

std::string cli(const std::string& args, int* status) {
  std::string out;
  FILE* p = popen((std::string("'") + DOCKERFIX_CLI + "' " + args + " 2>&1").c_str(), "r");
  char buf[4096];
  for (size_t n; (n = fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
  *status = WEXITSTATUS(pclose(p));
  return out;
}

// The command line: severities in JSON, the exit status, and a check off by
// default switched on by the Dockerfile.
TEST(CheckDirective, EndToEnd) {
  fs::path dir = fs::temp_directory_path() / ("dockerfix-check-directive-" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  auto write = [&](const std::string& name, const std::string& text) {
    std::ofstream(dir / name) << text;
    return "'" + (dir / name).string() + "'";
  };
  int rc = -1;
  auto plain = write("a.Dockerfile", "FROM scratch\nMAINTAINER me\n");
  auto raised = write("b.Dockerfile", "# check=error=true\nFROM scratch\nMAINTAINER me\n");
  std::string out = cli("check --no-config --rule MaintainerDeprecated --format json " + plain, &rc);
  EXPECT_EQ(rc, 1) << out;
  EXPECT_NE(out.find("\"severity\": \"warning\""), std::string::npos) << out;
  out = cli("check --no-config --rule MaintainerDeprecated --format json " + raised, &rc);
  EXPECT_EQ(rc, 1) << "the exit status does not change" << out;
  EXPECT_NE(out.find("\"severity\": \"error\""), std::string::npos) << out;
  out = cli("check --no-config --format sarif " + raised, &rc);
  EXPECT_NE(out.find("\"level\": \"error\""), std::string::npos) << out;
  auto off = write("c.Dockerfile", "# x\nARG v=1\nFROM scratch\n");
  auto on = write("d.Dockerfile", "# check=experimental=InvalidDefinitionDescription\n# x\nARG v=1\nFROM scratch\n");
  EXPECT_EQ(cli("check --no-config " + off, &rc).find("invalid-definition-description"), std::string::npos);
  EXPECT_NE(cli("check --no-config " + on, &rc).find("invalid-definition-description"), std::string::npos);
  fs::remove_all(dir);
}

// Facts only a knowledge entry or the lock gives.
model::KnowledgeBase kb_with(const std::string& entry) {
  auto out = model::KnowledgeBase::builtin();
  out.prepend(model::KnowledgeBase::from_yaml("images:\n" + entry, "test.yaml"));
  return out;
}

TEST(BuildKitFacts, UndefinedVarReadsTheBaseImageEnvironmentWhenKnown) {
  const std::string src = "FROM eclipse-temurin:21\nCOPY app.jar $JAVA_HOME/lib/\nCOPY x $JAVA_HOM/x\n";
  EXPECT_EQ(count(found(src), "undefined-var"), 0u) << "an image whose environment is unknown says nothing";
  auto kb = kb_with(
      "  - name: temurin\n    match: {repository: eclipse-temurin}\n    family: ubuntu\n"
      "    env: [\"PATH=/opt/java/openjdk/bin:/usr/bin\", \"JAVA_HOME=/opt/java/openjdk\"]\n");
  auto v = found(src, kb);
  ASSERT_EQ(count(v, "undefined-var"), 1u);
  EXPECT_EQ(first(v, "undefined-var")->message, "Usage of undefined variable '$JAVA_HOM' (did you mean $JAVA_HOME?)");
  EXPECT_EQ(first(v, "undefined-var")->line, 3);
}

TEST(BuildKitFacts, InvalidBaseImagePlatformNeedsASinglePlatformImage) {
  auto kb = kb_with("  - name: amd64-only\n    match: {repository: example/tool}\n    platform: linux/amd64\n");
  auto v = found("FROM --platform=linux/arm64 example/tool:1\n", kb);
  ASSERT_EQ(count(v, "invalid-base-image-platform"), 1u);
  EXPECT_EQ(first(v, "invalid-base-image-platform")->message,
            "Base image example/tool:1 was pulled with platform \"linux/amd64\", expected \"linux/arm64\" for current build");
  EXPECT_EQ(count(found("FROM --platform=linux/amd64 example/tool:1\n", kb), "invalid-base-image-platform"), 0u);
  // The build machine's platform is not known: no finding.
  EXPECT_EQ(count(found("FROM example/tool:1\n", kb), "invalid-base-image-platform"), 0u);
  EXPECT_EQ(count(found("FROM --platform=$TARGETPLATFORM example/tool:1\n", kb), "invalid-base-image-platform"), 0u);
  Options o;
  o.model.build_args["TARGETPLATFORM"] = "linux/arm64";
  EXPECT_EQ(count(found("FROM example/tool:1\n", kb, o), "invalid-base-image-platform"), 1u);
  // Without the fact, nothing.
  EXPECT_EQ(count(found("FROM --platform=linux/arm64 alpine:3.20\n"), "invalid-base-image-platform"), 0u);
}

TEST(BuildKitFacts, TheLockGivesEnvironmentAndOnlyASinglePlatform) {
  model::Lock lock;
  model::LockedImage single;
  single.reference = "example/tool:1";
  single.digest = single.manifest = "sha256:" + std::string(64, 'a');
  single.platform = "linux/amd64";
  single.facts.config.env = {"PATH=/usr/bin", "TOOL_HOME=/opt/tool"};
  single.facts.shell = "/bin/sh";
  model::LockedImage multi = single;
  multi.reference = "example/multi:1";
  multi.digest = "sha256:" + std::string(64, 'b');  // an index: other platforms exist
  lock.images[single.reference] = single;
  lock.images[multi.reference] = multi;
  auto kb = model::lock_knowledge(lock);
  const auto* s = kb.lookup(model::parse_image_ref("example/tool:1"));
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->platform, "linux/amd64");
  ASSERT_TRUE(s->env);
  EXPECT_EQ(*s->env, single.facts.config.env);
  const auto* m = kb.lookup(model::parse_image_ref("example/multi:1"));
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->platform, "");
  EXPECT_EQ(count(found("FROM --platform=linux/arm64 example/tool:1\nCOPY a $TOOL_HOME/\n", kb), "undefined-var"), 0u);
  EXPECT_EQ(count(found("FROM --platform=linux/arm64 example/tool:1\n", kb), "invalid-base-image-platform"), 1u);
  EXPECT_EQ(count(found("FROM --platform=linux/arm64 example/multi:1\n", kb), "invalid-base-image-platform"), 0u);
}

TEST(BuildKitFacts, DockerfileSpecificIgnoreFileBesideTheDockerfile) {
  fs::path dir = fs::temp_directory_path() / ("dockerfix-ignore-" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string src = "FROM scratch\nCOPY a.txt /a\nCOPY b.txt /b\n";
  { std::ofstream(dir / "app.Dockerfile") << src; }
  { std::ofstream(dir / ".dockerignore") << "a.txt\n"; }
  Options o;
  o.model.context = dir;
  auto at = [&](const std::string& path) {
    std::vector<std::string> out;
    for (const auto& f : check(parse(src, path), model::KnowledgeBase::builtin(), o, {}))
      if (f.rule == "copy-ignored-file") out.push_back(f.message);
    return out;
  };
  EXPECT_EQ(at((dir / "app.Dockerfile").string()),
            std::vector<std::string>{"Attempting to Copy file \"a.txt\" that is excluded by .dockerignore"});
  { std::ofstream(dir / "app.Dockerfile.dockerignore") << "b.txt\n"; }  // wins over .dockerignore
  EXPECT_EQ(at((dir / "app.Dockerfile").string()),
            std::vector<std::string>{"Attempting to Copy file \"b.txt\" that is excluded by .dockerignore"});
  fs::remove_all(dir);
}

// copy-not-add reads ADD's sources in the build context once per review
// (every version of the file reads the same context): a later check reads
// them again.
TEST(BuildKitFacts, AddSourcesAreReadAgainByTheNextCheck) {
  fs::path dir = fs::temp_directory_path() / ("dockerfix-add-" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string src = "FROM debian:12\nADD data.bin /data\nADD data.bin /again\n";
  Options o;
  o.model.context = dir;
  auto add_findings = [&] {
    size_t n = 0;
    for (const auto& f : check(parse(src, (dir / "Dockerfile").string()), model::KnowledgeBase::builtin(), o, {}))
      n += f.rule == "copy-not-add";
    return n;
  };
  { std::ofstream(dir / "data.bin") << "plain text\n"; }
  EXPECT_EQ(add_findings(), 2u);
  { std::ofstream(dir / "data.bin", std::ios::binary) << std::string("\x1f\x8b\x08\x00", 4); }  // gzip: ADD unpacks it
  EXPECT_EQ(add_findings(), 0u);
  fs::remove_all(dir);
}

// Issue 17: after SHELL ["powershell", ...] (or cmd, pwsh), or on a Windows
// base image, RUN lines are not sh and are not lexed as sh.
TEST(RunShell, NonPosixShellsAreNotLexedAsSh) {
  const std::string src =
      "FROM mcr.microsoft.com/windows/servercore:ltsc2022 AS win\n"
      "RUN dir c:\\Windows\n"
      "FROM debian:12 AS ps\n"
      "RUN apt-get install -y curl\n"
      "SHELL [\"powershell\", \"-Command\", \"$ErrorActionPreference = 'Stop';\"]\n"
      "RUN Write-Host \"a`\"b\"; Invoke-WebRequest $('https://x/{0}' -f $env:V) -OutFile x.zip\n"
      "RUN [\"curl\", \"-o\", \"x\", \"https://x\"]\n"
      "FROM ps\n"
      "RUN Get-ChildItem\n"
      "SHELL [\"/bin/bash\", \"-c\"]\n"
      "RUN apt-get install -y wget\n";
  Dockerfile f = parse(src);
  auto m = model::analyze(f, model::KnowledgeBase::builtin());
  auto step = [&](int line) {
    for (const auto& s : m.steps)
      if (f.instructions[s.instruction].start_line == line) return &s;
    return static_cast<const model::Step*>(nullptr);
  };
  EXPECT_FALSE(step(2)->shell.posix) << "a Windows base image runs cmd";
  EXPECT_TRUE(step(2)->commands.empty());
  EXPECT_TRUE(step(4)->shell.posix);
  EXPECT_EQ(step(4)->commands.size(), 1u);
  EXPECT_FALSE(step(6)->shell.posix);
  EXPECT_TRUE(step(6)->commands.empty());
  EXPECT_FALSE(shell::lex(f.instructions[5].arguments).errors.empty()) << "the line is not sh";
  EXPECT_EQ(step(7)->commands.size(), 1u) << "an exec-form RUN runs no shell";
  EXPECT_FALSE(step(9)->shell.posix) << "a stage built on another keeps its SHELL";
  EXPECT_TRUE(step(9)->commands.empty());
  EXPECT_TRUE(step(11)->shell.posix);
  EXPECT_EQ(step(11)->commands.size(), 1u);
  for (auto argv : {std::vector<std::string>{"cmd", "/S", "/C"}, {"C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe"},
                    {"pwsh", "-Command"}, {"PowerShell"}})
    EXPECT_FALSE(model::posix_shell(argv)) << argv[0];
  for (auto argv : {std::vector<std::string>{"/bin/sh", "-c"}, {"/bin/bash", "-o", "pipefail", "-c"}, {"/bin/ash"}})
    EXPECT_TRUE(model::posix_shell(argv)) << argv[0];
}

// A RUN inserted before an instruction runs in the SHELL in force there.
TEST(RunShell, InsertedRunsAreNotWrittenWhereTheShellIsNotSh) {
  auto kb = model::KnowledgeBase::builtin();
  const std::string workdir = "FROM node:22\nWORKDIR /app\nCOPY . .\nUSER node\nCMD [\"node\", \"a.js\"]\n";
  Selection only_workdir;
  only_workdir.only = {"workdir-owner"};
  EXPECT_NE(fix(workdir, "Dockerfile", kb, {}, only_workdir).text.find("chown"), std::string::npos);
  const std::string pwsh = "FROM node:22\nSHELL [\"pwsh\", \"-Command\"]\nWORKDIR /app\nCOPY . .\nUSER node\nCMD [\"node\", \"a.js\"]\n";
  auto v = check(parse(pwsh, "Dockerfile"), kb, {}, only_workdir);
  ASSERT_EQ(count(v, "workdir-owner"), 1u);
  EXPECT_TRUE(v[0].fix.empty());
  EXPECT_NE(v[0].no_fix_reason.find("POSIX"), std::string::npos) << v[0].no_fix_reason;
  const std::string socket = "FROM debian:12\nRUN useradd -m app\nVOLUME /var/run/docker.sock\nUSER app\n";
  Selection only_socket;
  only_socket.only = {"docker-socket-group"};
  auto sh = check(parse(socket, "Dockerfile"), kb, {}, only_socket);
  ASSERT_EQ(count(sh, "docker-socket-group"), 1u);
  EXPECT_FALSE(sh[0].fix.empty()) << sh[0].no_fix_reason;
  const std::string ps = "FROM debian:12\nRUN useradd -m app\nVOLUME /var/run/docker.sock\nSHELL [\"pwsh\", \"-c\"]\nUSER app\n";
  auto p = check(parse(ps, "Dockerfile"), kb, {}, only_socket);
  ASSERT_EQ(count(p, "docker-socket-group"), 1u);
  EXPECT_TRUE(p[0].fix.empty());
  EXPECT_NE(p[0].no_fix_reason.find("POSIX"), std::string::npos) << p[0].no_fix_reason;
}

TEST(RunShell, RulesThatWriteShDoNotWriteItIntoPowerShellStages) {
  const std::string src =
      "FROM node:20\n"
      "SHELL [\"powershell\", \"-Command\"]\n"
      "RUN npm install -g yarn\n"
      "EXPOSE 3000\n"
      "CMD [\"node\", \"server.js\"]\n";
  auto r = fix(src, "Dockerfile", model::KnowledgeBase::builtin(), {}, {});
  EXPECT_EQ(r.text.find("useradd"), std::string::npos) << r.text;
  EXPECT_EQ(r.text.find("HEALTHCHECK"), std::string::npos) << r.text;
  EXPECT_EQ(r.text.find("--fetch-retries"), std::string::npos) << r.text;
}

}  // namespace
}  // namespace dockerfix::fix
