// The built-in knowledge is compiled in in compact form (model/knowledge_loader.h):
// decoded, it must be data/base-images.yaml read as YAML, every entry,
// release and family field by field, and what a run's KnowledgeBase::builtin()
// holds; every field survives the compact form, those the shipped file
// leaves unset too.
#include <gtest/gtest.h>

#include <filesystem>

#include "model/knowledge_loader.h"
#include "tests/test_support.h"

namespace dockerfix::model {
namespace {

Knowledge from_source_yaml() {
  const auto path = std::filesystem::path(DOCKERFIX_SOURCE_DIR) / "data" / "base-images.yaml";
  return read_knowledge(test::read_file(path), path.string(), {});
}

void expect_same(const KnowledgeBase& want, const KnowledgeBase& got) {
  const auto& a = KnowledgeAccess::entries(want);
  const auto& b = KnowledgeAccess::entries(got);
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) EXPECT_TRUE(*a[i] == *b[i]) << "entry " << i << ": " << a[i]->facts.id;
  EXPECT_TRUE(KnowledgeAccess::releases(want) == KnowledgeAccess::releases(got));
}

void expect_same(const Knowledge& want, const Knowledge& got) {
  expect_same(want.base, got.base);
  EXPECT_TRUE(want.families == got.families);
}

TEST(KnowledgeCompact, BuiltInIsTheShippedYaml) {
  const Knowledge yaml = from_source_yaml();
  ASSERT_GT(yaml.base.size(), 100u);
  ASSERT_GT(KnowledgeAccess::releases(yaml.base).size(), 10u);
  ASSERT_GT(yaml.families.size(), 5u);
  expect_same(yaml, from_compact(builtin_knowledge_compact()));
}

TEST(KnowledgeCompact, RunsGetTheCompiledInKnowledge) {
  if (std::getenv("DOCKERFIX_DATA_DIR")) GTEST_SKIP() << "DOCKERFIX_DATA_DIR replaces the built-in knowledge";
  expect_same(from_source_yaml().base, KnowledgeBase::builtin());
}

TEST(KnowledgeCompact, EveryFieldSurvives) {
  Knowledge k;
  auto e = std::make_shared<KnowledgeBase::Entry>();
  e->repositories = {"library/x", "corp/*"};
  e->tags = {"1*"};
  e->exclude_tags = {"*-rc"};
  e->min_version = "1.2";
  e->max_version = "";  // set but empty: not the same as unset
  ImageFacts& f = e->facts;
  f.id = "x";
  f.family = "debian";
  f.package_managers = {"apt", "pip"};
  f.shell = false;
  f.default_user = KnownUser{"svc", 1001, std::nullopt, "/home/svc", "/bin/sh"};
  f.users = {{"svc", 1001, 1002, "/home/svc", "/bin/sh"}, {"other", std::nullopt, 7, "", ""}};
  f.groups = {{"docker", 999}, {"nogid", std::nullopt}};
  f.user_tool = "useradd";
  f.wget = "gnu";
  f.adduser = "debian";
  f.tools = std::vector<std::string>{};  // known to have none
  f.apt_release = "bookworm";
  f.env = std::vector<std::string>{"PATH=/usr/bin", "A="};
  f.platform = "linux/arm/v7";
  f.source = "https://example.invalid";
  ImageRuntime& r = f.runtime;
  r.entrypoint = std::vector<std::string>{"/entrypoint.sh"};
  r.cmd = std::vector<std::string>{};
  r.drops_privileges = KnownPrivilegeDrop{"gosu svc", "svc", "entrypoint"};
  r.expose = {80, 65535};
  r.volumes = {"/data"};
  r.writes = {"/var/run"};
  r.working_dir = "/app";
  r.release = "bookworm";
  r.release_from_version = true;
  r.apt_retries_default = 0;
  KnowledgeAccess::entries(k.base).push_back(e);
  KnowledgeAccess::entries(k.base).push_back(std::make_shared<KnowledgeBase::Entry>());  // every field unset
  KnowledgeAccess::releases(k.base) = {{"bookworm", "debian", "12", "2.6.1", "https://packages.debian.org"}};
  k.families = {{"debian", {"gnu", "debian", "bookworm", {"bash"}}}, {"empty", {}}};

  const Knowledge back = from_compact(to_compact(k));
  expect_same(k, back);
  // The comparison itself sees a changed field.
  Knowledge changed = from_compact(to_compact(k));
  KnowledgeAccess::entries(changed.base)[0]->facts.runtime.working_dir.reset();
  EXPECT_FALSE(*KnowledgeAccess::entries(k.base)[0] == *KnowledgeAccess::entries(changed.base)[0]);
}

TEST(KnowledgeCompact, RefusesOtherBytes) {
  EXPECT_THROW(from_compact(""), std::runtime_error);
  EXPECT_THROW(from_compact("images: []"), std::runtime_error);
  Knowledge k;
  std::string bytes = to_compact(k);
  bytes.pop_back();
  EXPECT_THROW(from_compact(bytes), std::runtime_error);
}

}  // namespace
}  // namespace dockerfix::model
