// .hadolint.yaml as real repositories write it is read as it is: hadolint's
// keys map onto dockerfix's settings, keys dockerfix does not use warn, and
// bad values are errors naming the file and line.
#include <gtest/gtest.h>

#include "cli/config.h"
#include "dockerfix/fix.h"

namespace dockerfix::cli {
namespace {

Config hadolint(const std::string& yaml) { return parse_hadolint_config(yaml, ".hadolint.yaml", "."); }

TEST(HadolintConfig, IgnoredMapsAliasesToIdsAndKeepsOtherNames) {
  auto c = hadolint("ignored:\n  - DL3008\n  - DL3059\n  - SC2086\n  - DL9999\n");
  EXPECT_EQ(c.disabled, (std::vector<std::string>{"apt-pin-versions", "consecutive-run"}));
  EXPECT_EQ(c.ignored_names, (std::vector<std::string>{"SC2086", "DL9999"}));
  EXPECT_TRUE(c.hadolint);
  EXPECT_TRUE(c.warnings.empty());
}

TEST(HadolintConfig, OverrideGivesSeverities) {
  auto c = hadolint("override:\n  error: [DL3001, SC2046]\n  warning:\n    - DL3042\n  info: [DL3032]\n  style: [DL3015]\n");
  EXPECT_EQ(c.severity.at("unfit-container-commands"), fix::Severity::Error);
  EXPECT_EQ(c.severity.at("SC2046"), fix::Severity::Error);
  EXPECT_EQ(c.severity.at("pip-no-cache-dir"), fix::Severity::Warning);
  EXPECT_EQ(c.severity.at("yum-clean"), fix::Severity::Info);
  EXPECT_EQ(c.severity.at("apt-no-install-recommends"), fix::Severity::Style);
}

TEST(HadolintConfig, TrustedRegistriesLabelsAndSwitches) {
  auto c = hadolint(
      "failure-threshold: warning\ntrustedRegistries: my-company.com:5000\nlabel-schema:\n  author: text\n  version: semver\n"
      "strict-labels: true\nno-fail: true\nformat: gitlab_codeclimate\n");
  EXPECT_EQ(c.failure_threshold, "warning");
  EXPECT_EQ(c.trusted_registries, std::vector<std::string>{"my-company.com:5000"});
  EXPECT_EQ(c.label_schema.at("version"), "semver");
  EXPECT_EQ(c.strict_labels, true);
  EXPECT_EQ(c.no_fail, true);
  EXPECT_EQ(c.format, "gitlab_codeclimate");
  fix::Options o;
  apply_rule_settings(c, o);
  EXPECT_EQ(o.trusted_registries, c.trusted_registries);
  EXPECT_TRUE(o.strict_labels);
}

TEST(HadolintConfig, UnknownKeysAndFormatsWarnWithTheirLine) {
  auto c = hadolint("no-color: true\nverbose: false\ndisable-ignore-pragma: false\nformat: junit\nignored: []\n");
  ASSERT_EQ(c.warnings.size(), 2u);
  EXPECT_EQ(c.warnings[0], ".hadolint.yaml:3: 'disable-ignore-pragma' is not used by dockerfix");
  EXPECT_EQ(c.warnings[1], ".hadolint.yaml:4: format 'junit' is not one dockerfix writes; text is used");
  EXPECT_FALSE(c.format);
}

TEST(HadolintConfig, EmptyAndCommentOnlyFilesLoad) {
  EXPECT_TRUE(hadolint("").disabled.empty());
  EXPECT_TRUE(hadolint("# nothing yet\n").disabled.empty());
  EXPECT_TRUE(hadolint("ignored:\n").disabled.empty());
}

TEST(HadolintConfig, BadValuesNameTheFileAndLine) {
  for (auto [yaml, want] : {std::pair{"ignored: DL3008\noverride:\n  fatal: [DL3008]\n", ".hadolint.yaml:3: override: 'fatal'"},
                            std::pair{"failure-threshold: loud\n", ".hadolint.yaml:1: failure-threshold: 'loud'"},
                            std::pair{"label-schema:\n  version: number\n", ".hadolint.yaml:2: label-schema: 'number'"},
                            std::pair{"strict-labels: sometimes\n", ".hadolint.yaml:1: 'strict-labels' must be"},
                            std::pair{"ignored: [\n", ".hadolint.yaml:"}}) {
    try {
      hadolint(yaml);
      ADD_FAILURE() << yaml;
    } catch (const ConfigError& e) {
      EXPECT_EQ(std::string(e.what()).rfind(want, 0), 0u) << e.what();
    }
  }
}

TEST(HadolintConfig, DockerfixConfigTakesTheSameSettings) {
  auto c = parse_config("trusted-registries: [docker.io]\nlabel-schema: {author: text}\nstrict-labels: true\n"
                        "severity: {DL3008: error}\nfailure-threshold: error\nno-fail: false\nshellcheck: false\n",
                        ".dockerfix.yaml", ".");
  EXPECT_EQ(c.trusted_registries, std::vector<std::string>{"docker.io"});
  EXPECT_EQ(c.severity.at("apt-pin-versions"), fix::Severity::Error);
  EXPECT_EQ(c.failure_threshold, "error");
  EXPECT_EQ(c.shellcheck, false);
  EXPECT_FALSE(c.hadolint);
}

}  // namespace
}  // namespace dockerfix::cli
