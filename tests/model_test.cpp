// The build model: stages, ARG in FROM, effective users, WORKDIR, users
// created by RUN, what needs root, scripts followed into the context.
#include <gtest/gtest.h>

#include "dockerfix/explain.h"
#include "dockerfix/model.h"
#include "tests/test_support.h"

namespace dockerfix::model {
namespace {

const char* kKnowledge = R"(
images:
  - name: node
    match: {repository: node}
    family: debian
    package_managers: [apt-get]
    shell: true
    user: {name: root, uid: 0}
    users: [{name: node, uid: 1000, gid: 1000, home: /home/node, shell: /bin/bash}]
  - name: ubuntu-24.04+
    match: {repository: ubuntu, min_version: "24.04"}
    family: ubuntu
    package_managers: [apt-get]
    user: {name: root, uid: 0}
    users: [{name: ubuntu, uid: 1000, gid: 1000, home: /home/ubuntu}]
  - name: ubuntu
    match: {repository: ubuntu}
    family: ubuntu
    package_managers: [apt-get]
    user: {name: root, uid: 0}
  - name: nginx-unprivileged
    match: {repository: nginxinc/nginx-unprivileged}
    family: debian
    package_managers: [apt-get]
    user: {name: nginx, uid: 101}
  - name: pixelarch
    match: {repository: lunamidori5/pixelarch}
    family: arch
    package_managers: [pacman, yay]
    user: {name: midori-ai}
  - name: distroless-nonroot
    match: {repository: "gcr.io/distroless/*", tags: ["nonroot", "*-nonroot"]}
    family: distroless
    package_managers: []
    shell: false
    user: {name: nonroot, uid: 65532}
)";

const KnowledgeBase& kb() {
  static const KnowledgeBase k = KnowledgeBase::from_yaml(kKnowledge, "test.yaml");
  return k;
}

BuildModel model_of(const std::string& src, Options o = {}) {
  static std::vector<std::unique_ptr<Dockerfile>> keep;
  keep.push_back(std::make_unique<Dockerfile>(parse(src)));
  return analyze(*keep.back(), kb(), o);
}

TEST(ImageRef, Normalisation) {
  auto r = parse_image_ref("node:20-alpine");
  EXPECT_EQ(r.registry, "docker.io");
  EXPECT_EQ(r.repository, "library/node");
  EXPECT_EQ(r.tag, "20-alpine");
  auto g = parse_image_ref("gcr.io/distroless/static-debian12:nonroot");
  EXPECT_EQ(g.registry, "gcr.io");
  EXPECT_EQ(g.repository, "distroless/static-debian12");
  auto p = parse_image_ref("localhost:5000/app@sha256:abc");
  EXPECT_EQ(p.registry, "localhost:5000");
  EXPECT_EQ(p.digest, "sha256:abc");
  EXPECT_EQ(parse_image_ref("docker.io/library/ubuntu").familiar(), "ubuntu:latest");
}

TEST(Knowledge, TagsAndVersions) {
  EXPECT_EQ(kb().lookup(parse_image_ref("ubuntu:24.04"))->id, "ubuntu-24.04+");
  EXPECT_EQ(kb().lookup(parse_image_ref("ubuntu:22.04"))->id, "ubuntu");
  EXPECT_EQ(kb().lookup(parse_image_ref("gcr.io/distroless/base-debian12:nonroot"))->id, "distroless-nonroot");
  EXPECT_EQ(kb().lookup(parse_image_ref("gcr.io/distroless/base-debian12:latest")), nullptr);
  EXPECT_EQ(kb().lookup(parse_image_ref("example.com/unknown:1")), nullptr);
}

TEST(Knowledge, BadYamlNamesFileAndLine) {
  try {
    KnowledgeBase::from_yaml("images:\n  - match: {repository: x}\n    colour: blue\n", "k.yaml");
    FAIL() << "no error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("k.yaml:3"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("colour"), std::string::npos);
  }
}

TEST(Model, StagesArgInFromAndInheritance) {
  auto m = model_of("ARG NODE=20\nFROM node:${NODE} AS build\nUSER node\nFROM build AS test\nRUN id\nFROM scratch\n");
  ASSERT_EQ(m.stages.size(), 3u);
  EXPECT_EQ(m.stages[0].base.familiar(), "node:20");
  EXPECT_EQ(m.stages[0].name, "build");
  ASSERT_TRUE(m.stages[1].parent_stage);
  EXPECT_EQ(*m.stages[1].parent_stage, 0u);
  const Step* run = m.step_for(4);
  ASSERT_NE(run, nullptr);
  EXPECT_TRUE(run->user.is_nonroot());
  EXPECT_EQ(run->user.uid, 1000u);
  EXPECT_EQ(*m.final_stage, 2u);
}

TEST(Model, BuildArgOverridesAndUnsetArgIsUnknown) {
  Options o;
  o.build_args["NODE"] = "22";
  auto m = model_of("ARG NODE=20\nFROM node:$NODE\n", o);
  EXPECT_EQ(m.stages[0].base.tag, "22");
  auto u = model_of("ARG BASE\nFROM $BASE\nRUN x\n");
  EXPECT_FALSE(u.stages[0].facts);
  EXPECT_EQ(u.step_for(2)->user.state, EffectiveUser::State::Unknown);
  EXPECT_FALSE(u.notes.empty());
}

TEST(Model, UnknownBaseImageHasUnknownUser) {
  auto m = model_of("FROM example.com/team/base:1\nRUN apt-get install -y curl\n");
  EXPECT_EQ(m.step_for(1)->user.state, EffectiveUser::State::Unknown);
  EXPECT_FALSE(m.step_for(1)->needs_root.empty());  // the command still needs root
}

TEST(Model, NonRootBaseDefaultAndUserSwitches) {
  auto m = model_of("FROM nginxinc/nginx-unprivileged:1.27\nRUN echo\nUSER root\nRUN apt-get update\nUSER 101\n");
  EXPECT_EQ(m.step_for(1)->user.name, "nginx");
  EXPECT_TRUE(m.step_for(3)->user.is_root());
  EXPECT_EQ(m.stages[0].final_user.name, "nginx");
  EXPECT_EQ(m.stages[0].final_user.uid, 101u);
}

TEST(Model, UsersCreatedByRunAreKnown) {
  auto m = model_of("FROM ubuntu:22.04\nRUN groupadd -g 1001 app && useradd -m -u 1001 -g app -s /bin/bash app\nUSER app\n");
  ASSERT_EQ(m.stages[0].created_users.size(), 1u);
  EXPECT_EQ(m.stages[0].created_users[0].name, "app");
  EXPECT_EQ(m.stages[0].created_users[0].uid, 1001u);
  EXPECT_EQ(m.stages[0].final_user.uid, 1001u);
  auto busybox = model_of("FROM ubuntu:22.04\nRUN adduser -D -u 1002 -h /srv/x svc\n");
  ASSERT_EQ(busybox.stages[0].created_users.size(), 1u);
  EXPECT_EQ(busybox.stages[0].created_users[0].home, "/srv/x");
}

TEST(Model, Workdir) {
  auto m = model_of("FROM node:20\nENV APP=/srv/app\nWORKDIR $APP\nWORKDIR sub/../web\nRUN ls\n");
  EXPECT_EQ(m.step_for(4)->workdir, "/srv/app/web");
}

TEST(Model, NeedsRootReasons) {
  auto m = model_of(
      "FROM lunamidori5/pixelarch:emerald\n"
      "RUN apk add curl && echo x > /etc/motd && mkdir -p /home/midori-ai/x && cat /etc/passwd\n"
      "RUN sudo pacman -S --noconfirm vim\n"
      "RUN [\"useradd\", \"bob\"]\n");
  const Step* s = m.step_for(1);
  ASSERT_EQ(s->needs_root.size(), 2u);
  EXPECT_EQ(s->needs_root[0].reason, "package-install");
  EXPECT_EQ(s->needs_root[1].reason, "system-write");
  EXPECT_TRUE(m.step_for(2)->needs_root.empty());  // sudo elevates itself
  EXPECT_EQ(m.step_for(3)->needs_root.size(), 1u);
}

TEST(Model, ArgvSpansPointAtTheWords) {
  std::string src = "FROM node:20\nRUN apt-get update \\\n    && apt-get install -y \"curl\" \\\n  # c\n    && rm -rf /var/lib/apt/lists/*\n";
  Dockerfile f = parse(src);
  auto m = analyze(f, kb());
  const Step* s = m.step_for(1);
  ASSERT_GE(s->commands.size(), 3u);
  for (const auto& c : s->commands)
    for (const auto& w : c.words) EXPECT_EQ(f.text(w.span), w.raw);
  EXPECT_EQ(s->commands[1].words[3].raw, "\"curl\"");
  EXPECT_EQ(s->commands[1].words[3].value, "curl");
}

TEST(Model, HeredocScriptIsAnalysed) {
  auto m = model_of("FROM node:20\nUSER node\nRUN <<EOF\nset -e\napt-get install -y jq\nEOF\n");
  const Step* s = m.step_for(2);
  ASSERT_EQ(s->needs_root.size(), 1u);
  EXPECT_EQ(s->needs_root[0].reason, "package-install");
}

TEST(Model, Seed000ScriptsFromTheContext) {
  auto dir = std::filesystem::path(DOCKERFIX_SOURCE_DIR) / "corpus" / "seed000-pixelarch";
  Dockerfile f = parse(test::read_file(dir / "Dockerfile"), (dir / "Dockerfile").string());
  Options o;
  o.context = dir;
  auto m = analyze(f, kb(), o);
  size_t run = 0;
  for (size_t i = 0; i < f.instructions.size(); ++i)
    if (f.instructions[i].keyword == "RUN") run = i;
  const Step* s = m.step_for(run);
  ASSERT_NE(s, nullptr);
  EXPECT_TRUE(s->user.is_nonroot());
  EXPECT_EQ(s->user.name, "midori-ai");
  bool etc_write = false;
  for (const auto& n : s->needs_root) {
    if (n.reason == "system-write" && n.script == "desktop_setup.sh" && n.detail.find("/etc/default") != std::string::npos) {
      etc_write = true;
      EXPECT_GT(n.script_line, 0);
      EXPECT_EQ(f.position(n.span.begin).first, f.instructions[run].start_line);
    }
  }
  EXPECT_TRUE(etc_write);
}

std::string kept_bytes(const Dockerfile& f, const Instruction& ins, Span span) {
  std::string out;
  for (const auto& p : ins.pieces) {
    uint32_t b = std::max(p.file, span.begin), e = std::min(p.file + p.length, span.end);
    if (b < e) out += f.text({b, e});
  }
  for (const auto& h : ins.heredocs) {  // heredoc scripts are contiguous in the file
    uint32_t b = std::max(h.body_span.begin, span.begin), e = std::min(h.body_span.end, span.end);
    if (b < e) out += f.text({b, e});
  }
  return out;
}

TEST(Model, CorpusExplainsAndArgvSpansAreExact) {
  const KnowledgeBase& builtin = KnowledgeBase::builtin();
  size_t files = 0, words = 0;
  std::vector<std::string> failures;
  for (const auto& path : test::corpus_files()) {
    Dockerfile f = parse(test::read_file(path), path.string());
    BuildModel m = analyze(f, builtin);
    auto j = explain_json(f, m);  // must not throw
    (void)j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    ++files;
    for (const auto& s : m.steps)
      for (const auto& c : s.commands)
        for (size_t i = 0; i < c.words.size(); ++i) {
          ++words;
          // A word continued over lines spans the escape, newline and any
          // comment lines between; only the bytes BuildKit keeps belong to it.
          std::string kept = kept_bytes(f, f.instructions[s.instruction], c.words[i].span);
          if (kept != c.words[i].raw && failures.size() < 20)
            failures.push_back(path.string() + ": word '" + c.words[i].raw + "' maps to '" +
                               std::string(f.text(c.words[i].span)) + "'");
        }
  }
  EXPECT_GT(files, 5900u);
  EXPECT_GT(words, 100000u);
  for (const auto& fl : failures) ADD_FAILURE() << fl;
}

}  // namespace
}  // namespace dockerfix::model
