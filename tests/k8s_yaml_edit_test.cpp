// YAML byte-range edits: each case gives the file, the merge, and the
// exact bytes expected; every result also passes verify_edits.
#include <gtest/gtest.h>

#include "k8s/yaml_edit.h"

namespace dockerfix::k8s {
namespace {

NewValue hardening() {
  return NewValue::map({{"allowPrivilegeEscalation", NewValue::text("false")},
                        {"capabilities", NewValue::map({{"drop", NewValue::list({NewValue::str("ALL")})}})}});
}

NewValue run_as(const char* uid) { return NewValue::map({{"runAsUser", NewValue::text(uid)}}); }

// Plans the merge, applies it, checks it and returns the edited text.
std::string merged(const std::string& text, const Path& path, const NewValue& v, size_t doc = 0,
                   std::optional<std::string> after = std::nullopt) {
  YamlFile f = YamlFile::parse("t.yaml", text);
  EXPECT_EQ("", f.error);
  Plan p = plan_merge(f, doc, path, v, after);
  EXPECT_EQ("", p.error);
  auto out = apply_edits(text, p.edits);
  EXPECT_TRUE(out.has_value());
  if (!out) return {};
  EXPECT_EQ("", verify_edits(text, *out, p.edits, p.expect));
  return *out;
}

TEST(K8sYamlEdit, BlockMappingGainsKeysAfterItsLastEntry) {
  EXPECT_EQ(merged("sc:\n  runAsNonRoot: true\nnext: 1\n", {"sc"}, run_as("1000")),
            "sc:\n  runAsNonRoot: true\n  runAsUser: 1000\nnext: 1\n");
}

TEST(K8sYamlEdit, AfterKeyPutsTheKeyBesideItsAnchorAndKeepsTheCommentThatFollows) {
  EXPECT_EQ(merged("sc:\n  runAsNonRoot: true  # policy\n  # uid comes from the image\n  fsGroup: 1000\n", {"sc"},
                   run_as("1000"), 0, "runAsNonRoot"),
            "sc:\n  runAsNonRoot: true  # policy\n  runAsUser: 1000\n  # uid comes from the image\n  fsGroup: 1000\n");
}

// No nested mapping to learn from: 2 spaces; lists as far in as `containers`' items.
TEST(K8sYamlEdit, MissingMappingIsCreatedInTheParentsIndentation) {
  std::string in = "containers:\n    - name: app\n      image: x\n    - name: b\n";
  EXPECT_EQ(merged(in, {"containers", size_t(0), "securityContext"}, hardening()),
            "containers:\n    - name: app\n      image: x\n      securityContext:\n        allowPrivilegeEscalation: false\n"
            "        capabilities:\n          drop:\n              - ALL\n    - name: b\n");
}

TEST(K8sYamlEdit, IndentlessListsAndQuotesFollowTheFile) {
  std::string in = "spec:\n  containers:\n  - name: app\n    command: ['sh', '-c']\n";
  EXPECT_EQ(merged(in, {"spec", "containers", size_t(0), "securityContext"}, hardening()),
            "spec:\n  containers:\n  - name: app\n    command: ['sh', '-c']\n    securityContext:\n"
            "      allowPrivilegeEscalation: false\n      capabilities:\n        drop: ['ALL']\n");
  std::string block = "spec:\n  containers:\n  - name: app\n    args:\n    - --port\n";
  EXPECT_EQ(merged(block, {"spec", "containers", size_t(0), "securityContext"}, hardening()),
            "spec:\n  containers:\n  - name: app\n    args:\n    - --port\n    securityContext:\n"
            "      allowPrivilegeEscalation: false\n      capabilities:\n        drop:\n        - ALL\n");
}

TEST(K8sYamlEdit, AnExistingDropListSetsTheStyle) {
  std::string in = "a:\n  capabilities:\n    drop: [\"NET_RAW\"]\n  args:\n    - x\nb:\n  c: 1\n";
  EXPECT_EQ(merged(in, {"b", "securityContext"}, hardening()),
            "a:\n  capabilities:\n    drop: [\"NET_RAW\"]\n  args:\n    - x\nb:\n  c: 1\n  securityContext:\n"
            "    allowPrivilegeEscalation: false\n    capabilities:\n      drop: [\"ALL\"]\n");
}

TEST(K8sYamlEdit, FlowMappingGainsKeysInsideItsBraces) {
  EXPECT_EQ(merged("sc: {runAsNonRoot: true}\n", {"sc"}, run_as("1000")), "sc: {runAsNonRoot: true, runAsUser: 1000}\n");
  EXPECT_EQ(merged("sc: {capabilities: {drop: [NET_RAW]}}\n", {"sc"}, hardening()),
            "sc: {capabilities: {drop: [NET_RAW, ALL]}, allowPrivilegeEscalation: false}\n");
  EXPECT_EQ(merged("sc: {\n  runAsNonRoot: true  # policy\n}\n", {"sc"}, run_as("7")),
            "sc: {\n  runAsNonRoot: true, runAsUser: 7  # policy\n}\n");
}

TEST(K8sYamlEdit, EmptyFlowMappingBecomesABlockAndKeepsItsComment) {
  EXPECT_EQ(merged("securityContext: {}\n  # fsGroup: 2000\n\nnext: {}\n", {"securityContext"}, run_as("1000")),
            "securityContext:\n  runAsUser: 1000\n  # fsGroup: 2000\n\nnext: {}\n");
  EXPECT_EQ(merged("c:\n  securityContext: {}   # later\n  image: x\n", {"c", "securityContext"}, run_as("1")),
            "c:\n  securityContext:   # later\n    runAsUser: 1\n  image: x\n");
}

TEST(K8sYamlEdit, EmptyFlowMappingInsideFlowStaysFlow) {
  EXPECT_EQ(merged("c: {name: a, securityContext: {}}\n", {"c", "securityContext"}, run_as("1")),
            "c: {name: a, securityContext: {runAsUser: 1}}\n");
}

TEST(K8sYamlEdit, NullValuesAreFilled) {
  EXPECT_EQ(merged("sc:\nnext: 1\n", {"sc"}, run_as("1000")), "sc:\n  runAsUser: 1000\nnext: 1\n");
  EXPECT_EQ(merged("sc: ~  # none yet\nnext: 1\n", {"sc"}, run_as("1000")), "sc:  # none yet\n  runAsUser: 1000\nnext: 1\n");
  EXPECT_EQ(merged("a:\n  sc:", {"a", "sc"}, run_as("5")), "a:\n  sc:\n    runAsUser: 5\n");
}

TEST(K8sYamlEdit, LastLineWithoutNewlineGetsOne) {
  EXPECT_EQ(merged("sc:\n  runAsNonRoot: true", {"sc"}, run_as("1000")), "sc:\n  runAsNonRoot: true\n  runAsUser: 1000\n");
}

TEST(K8sYamlEdit, ScalarValuesAreReplacedInPlace) {
  EXPECT_EQ(merged("sc:\n  allowPrivilegeEscalation: true # why?\n", {"sc"}, hardening()),
            "sc:\n  allowPrivilegeEscalation: false # why?\n  capabilities:\n    drop:\n      - ALL\n");
  YamlFile f = YamlFile::parse("t.yaml", "a: {b: '1001', c: 2}\n");
  Plan p = plan_replace(f, 0, {"a", "b"}, "1000");
  ASSERT_EQ("", p.error);
  auto out = apply_edits(f.text, p.edits);
  EXPECT_EQ("a: {b: 1000, c: 2}\n", *out);
  EXPECT_EQ("", verify_edits(f.text, *out, p.edits, p.expect));
}

TEST(K8sYamlEdit, CrlfFilesGetCrlfLines) {
  EXPECT_EQ(merged("sc:\r\n  runAsNonRoot: true\r\nnext: 1\r\n", {"sc"}, run_as("1000")),
            "sc:\r\n  runAsNonRoot: true\r\n  runAsUser: 1000\r\nnext: 1\r\n");
  EXPECT_EQ(merged("c:\r\n  image: x\r\n", {"c", "securityContext"}, hardening()),
            "c:\r\n  image: x\r\n  securityContext:\r\n    allowPrivilegeEscalation: false\r\n    capabilities:\r\n"
            "      drop:\r\n        - ALL\r\n");
}

TEST(K8sYamlEdit, TheSecondDocumentIsEditedAndTheFirstLeftAlone) {
  std::string in = "kind: Service\nspec: {}\n---\n# the app\nkind: Deployment\nspec:\n  x: 1\n";
  EXPECT_EQ(merged(in, {"spec"}, run_as("3"), 1), "kind: Service\nspec: {}\n---\n# the app\nkind: Deployment\nspec:\n  x: 1\n  runAsUser: 3\n");
}

TEST(K8sYamlEdit, BlockScalarsAndMultiLineValuesEndWhereTheyEnd) {
  std::string in = "c:\n  command:\n    - sh\n    - -c\n    - |\n      echo a\n\n      echo b\n# trailing\n";
  EXPECT_EQ(merged(in, {"c", "securityContext"}, run_as("1")),
            "c:\n  command:\n    - sh\n    - -c\n    - |\n      echo a\n\n      echo b\n  securityContext:\n    runAsUser: 1\n# trailing\n");
}

TEST(K8sYamlEdit, ByteOrderMarkIsNotIndentation) {
  EXPECT_EQ(merged("\xEF\xBB\xBFsc:\n  runAsNonRoot: true\n", {"sc"}, run_as("1")),
            "\xEF\xBB\xBFsc:\n  runAsNonRoot: true\n  runAsUser: 1\n");
}

TEST(K8sYamlEdit, RefusesScalarsAndAliases) {
  YamlFile f = YamlFile::parse("t.yaml", "sc: text\n");
  EXPECT_NE("", plan_merge(f, 0, {"sc"}, run_as("1")).error);
  YamlFile g = YamlFile::parse("t.yaml", "base: &b {runAsUser: 5}\nsc:\n  inner: *b\n");
  EXPECT_NE("", plan_merge(g, 0, {"sc"}, NewValue::map({{"inner", run_as("6")}})).error);
  YamlFile h = YamlFile::parse("t.yaml", "list: [1]\n");
  EXPECT_NE("", plan_merge(h, 0, {"list", size_t(3), "x"}, run_as("1")).error);
}

TEST(K8sYamlEdit, ApplyCollapsesIdenticalEditsAndRefusesOverlaps) {
  EXPECT_EQ("a-b", *apply_edits("ab", {Edit{1, 1, "-"}, Edit{1, 1, "-"}}));
  EXPECT_FALSE(apply_edits("abcd", {Edit{0, 2, "x"}, Edit{1, 3, "y"}}).has_value());
  // The deeper block's continuation goes before the shallower key.
  EXPECT_EQ("a\n    deep\n  shallow\n", *apply_edits("a\n", {Edit{2, 2, "  shallow\n"}, Edit{2, 2, "    deep\n"}}));
}

TEST(K8sYamlEdit, OutsideEditsCheckFindsAChangedByte) {
  std::string in = "a: 1\nb: 2\n";
  std::vector<Edit> e{Edit{5, 5, "c: 3\n"}};
  EXPECT_EQ("", check_outside_edits(in, "a: 1\nc: 3\nb: 2\n", e));
  EXPECT_NE("", check_outside_edits(in, "a: 1\nc: 3\nb: 9\n", e));
  EXPECT_NE("", check_outside_edits(in, "a: 2\nc: 3\nb: 2\n", e));
  EXPECT_NE("", check_outside_edits(in, "a: 1\nc: 4\nb: 2\n", e));
  EXPECT_NE("", check_outside_edits(in, "a: 1\nc: 3\nb: 2\n\n", e));
}

TEST(K8sYamlEdit, ExpectationCheckFindsWrongAndUnintendedValues) {
  std::string in = "sc:\n  a: 1\n";
  std::vector<Expectation> x{Expectation{0, {"sc"}, run_as("1000")}};
  EXPECT_EQ("", check_expectations(in, "sc:\n  a: 1\n  runAsUser: 1000\n", x));
  EXPECT_NE("", check_expectations(in, "sc:\n  a: 1\n  runAsUser: 1001\n", x));
  EXPECT_NE("", check_expectations(in, "sc:\n  a: 2\n  runAsUser: 1000\n", x));
  EXPECT_NE("", check_expectations(in, "sc:\n  a: 1\nrunAsUser: 1000\n", x));
  EXPECT_NE("", check_expectations(in, "sc:\n  a: 1\n   runAsUser: 1000\n", x));  // does not parse
  EXPECT_NE("", check_expectations(in, "sc:\n  a: 1\n  runAsUser: 1000\n---\nb: 1\n", x));
}

}  // namespace
}  // namespace dockerfix::k8s

namespace dockerfix::k8s {
namespace {

// compose() turns edits made one after the other into edits of the
// original: checked over many edit sequences from a fixed seed.
TEST(K8sYamlEdit, ComposedEditsOfTheOriginalGiveTheSameText) {
  uint32_t seed = 12345;
  auto next = [&](uint32_t n) {
    seed = seed * 1103515245u + 12345u;
    return n ? (seed >> 8) % n : 0;
  };
  for (int round = 0; round < 500; ++round) {
    std::string original = "abcdefghijklmnopqrstuvwxyz0123456789";
    std::string cur = original;
    std::vector<Edit> combined;
    for (int step = 0; step < 4; ++step) {
      std::vector<Edit> edits;
      uint32_t pos = 0;
      for (int k = 0; k < 3 && pos <= cur.size(); ++k) {
        uint32_t b = pos + next(static_cast<uint32_t>(cur.size() - pos + 1));
        if (b > cur.size()) break;
        uint32_t e = b + next(std::min<uint32_t>(3, static_cast<uint32_t>(cur.size() - b) + 1));
        edits.push_back(Edit{b, e, std::string(next(3), static_cast<char>('A' + step))});
        pos = e + 1;
      }
      auto after = apply_edits(cur, edits);
      ASSERT_TRUE(after.has_value());
      combined = compose(combined, edits);
      cur = *after;
      auto again = apply_edits(original, combined);
      ASSERT_TRUE(again.has_value()) << round << "/" << step;
      ASSERT_EQ(*again, cur) << round << "/" << step;
      ASSERT_EQ("", check_outside_edits(original, cur, combined));
    }
  }
}

}  // namespace
}  // namespace dockerfix::k8s
