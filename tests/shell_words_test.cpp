// The RUN shell lexer: words, operators, compound commands, redirections,
// here-documents, nested commands and exact byte ranges.
#include <gtest/gtest.h>

#include <random>

#include "dockerfix/shell.h"

namespace dockerfix::shell {
namespace {

std::vector<std::vector<std::string>> argvs(const Script& s) {
  std::vector<std::vector<std::string>> out;
  for (const auto& c : s.commands) {
    std::vector<std::string> a;
    for (const auto& w : c.argv) a.push_back(w.value);
    out.push_back(a);
  }
  return out;
}

using V = std::vector<std::vector<std::string>>;

void expect_exact_ranges(std::string_view text, const Script& s) {
  for (const auto& c : s.commands)
    for (const auto& w : c.argv) EXPECT_EQ(text.substr(w.begin, w.end - w.begin), w.text);
}

TEST(ShellWords, OperatorsSplitCommands) {
  std::string t = "apt-get update && apt-get install -y curl || true; echo a | tee x & wait";
  auto s = lex(t);
  EXPECT_EQ(argvs(s), (V{{"apt-get", "update"}, {"apt-get", "install", "-y", "curl"}, {"true"}, {"echo", "a"}, {"tee", "x"}, {"wait"}}));
  expect_exact_ranges(t, s);
}

TEST(ShellWords, QuotesAndEscapes) {
  std::string t = "echo 'a b' \"c \\\"d\\\" $HOME\" e\\ f $'g\\n'";
  auto s = lex(t);
  ASSERT_EQ(s.commands.size(), 1u);
  const auto& a = s.commands[0].argv;
  ASSERT_EQ(a.size(), 5u);
  EXPECT_EQ(a[1].value, "a b");
  EXPECT_EQ(a[2].value, "c \"d\" $HOME");
  EXPECT_TRUE(a[2].has_expansion);
  EXPECT_EQ(a[3].value, "e f");
  EXPECT_EQ(a[1].text, "'a b'");
  expect_exact_ranges(t, s);
}

TEST(ShellWords, LineContinuationInsideAWord) {
  std::string t = "apt-get ins\\\ntall -y \\\n  curl";
  auto s = lex(t);
  EXPECT_EQ(argvs(s), (V{{"apt-get", "install", "-y", "curl"}}));
  expect_exact_ranges(t, s);
}

TEST(ShellWords, VariablesKeptAsWritten) {
  auto s = lex("curl -o ${DEST:-/tmp/x} $URL");
  EXPECT_EQ(argvs(s), (V{{"curl", "-o", "${DEST:-/tmp/x}", "$URL"}}));
}

TEST(ShellWords, RedirectionsWithFds) {
  std::string t = "echo x > /etc/motd 2>&1; cat < in >> /var/log/y; make &> /dev/null";
  auto s = lex(t);
  ASSERT_EQ(s.commands.size(), 3u);
  ASSERT_EQ(s.commands[0].redirects.size(), 2u);
  EXPECT_EQ(s.commands[0].redirects[0].op, ">");
  EXPECT_EQ(s.commands[0].redirects[0].target.value, "/etc/motd");
  EXPECT_EQ(s.commands[0].redirects[1].fd, 2);
  EXPECT_EQ(s.commands[0].redirects[1].op, ">&");
  EXPECT_EQ(s.commands[1].redirects[1].op, ">>");
  EXPECT_EQ(s.commands[2].redirects[0].op, "&>");
  EXPECT_EQ(argvs(s)[0], (std::vector<std::string>{"echo", "x"}));
}

TEST(ShellWords, HereDocumentBodyIsSkipped) {
  std::string t = "cat > /etc/x <<'EOF'\nrm -rf /\nEOF\necho done\ncat <<-END\n\tnot a command\n\tEND\ntrue";
  auto s = lex(t);
  EXPECT_EQ(argvs(s), (V{{"cat"}, {"echo", "done"}, {"cat"}, {"true"}}));
  EXPECT_EQ(s.commands[0].redirects[1].op, "<<");
  EXPECT_EQ(s.commands[0].redirects[1].target.value, "EOF");
}

TEST(ShellWords, IfWhileForCase) {
  auto s = lex(
      "if [ -f x ]; then apt-get update; elif true; then :; else useradd a; fi\n"
      "for p in a b c; do echo $p; done\n"
      "while read l; do echo $l; done < f\n"
      "case \"$ARCH\" in amd64) A=x86 ;; arm64|aarch64) A=arm; echo arm ;; *) exit 1 ;; esac");
  auto v = argvs(s);
  EXPECT_EQ(v[0], (std::vector<std::string>{"[", "-f", "x", "]"}));
  EXPECT_EQ(v[1], (std::vector<std::string>{"apt-get", "update"}));
  EXPECT_NE(std::find(v.begin(), v.end(), std::vector<std::string>{"useradd", "a"}), v.end());
  EXPECT_NE(std::find(v.begin(), v.end(), std::vector<std::string>{"echo", "$p"}), v.end());
  EXPECT_NE(std::find(v.begin(), v.end(), std::vector<std::string>{"read", "l"}), v.end());
  EXPECT_NE(std::find(v.begin(), v.end(), std::vector<std::string>{"echo", "arm"}), v.end());
  EXPECT_NE(std::find(v.begin(), v.end(), std::vector<std::string>{"exit", "1"}), v.end());
  for (const auto& a : v) {
    ASSERT_FALSE(a.empty() && false);
    if (!a.empty()) {
      EXPECT_NE(a[0], "then");
      EXPECT_NE(a[0], "do");
      EXPECT_NE(a[0], "in");
      EXPECT_NE(a[0], "amd64)");
    }
  }
}

TEST(ShellWords, SubshellsAndGroups) {
  auto s = lex("(cd /tmp && make) ; { echo a; echo b; }");
  EXPECT_EQ(argvs(s), (V{{"cd", "/tmp"}, {"make"}, {"echo", "a"}, {"echo", "b"}}));
}

TEST(ShellWords, CommandSubstitutionIsLexedNested) {
  std::string t = "echo \"$(dpkg --print-architecture)\" `uname -m` && x=$(id -u)";
  auto s = lex(t);
  bool dpkg = false, uname = false, id = false;
  for (const auto& c : s.commands) {
    if (c.argv.empty()) continue;
    dpkg |= c.argv[0].value == "dpkg" && c.depth == 1;
    uname |= c.argv[0].value == "uname" && c.depth == 1;
    id |= c.argv[0].value == "id";
  }
  EXPECT_TRUE(dpkg && uname && id);
  expect_exact_ranges(t, s);
}

TEST(ShellWords, AssignmentsBeforeTheCommand) {
  auto s = lex("DEBIAN_FRONTEND=noninteractive A=\"b c\" apt-get install -y x");
  ASSERT_EQ(s.commands.size(), 1u);
  EXPECT_EQ(s.commands[0].assignments.size(), 2u);
  EXPECT_EQ(s.commands[0].argv[0].value, "apt-get");
  auto only = lex("export A=1; B=2");
  EXPECT_EQ(only.commands[1].assignments.size(), 1u);
  EXPECT_TRUE(only.commands[1].argv.empty());
}

TEST(ShellWords, Comments) {
  auto s = lex("echo a # comment && rm -rf /\necho b#not-a-comment");
  EXPECT_EQ(argvs(s), (V{{"echo", "a"}, {"echo", "b#not-a-comment"}}));
}

TEST(ShellWords, InnerScriptOfShDashC) {
  auto s = lex("set -x; /bin/sh -ec 'apt-get update && useradd -u 1000 app'");
  auto inner = inner_script(s.commands[1]);
  ASSERT_TRUE(inner);
  EXPECT_EQ(argvs(*inner), (V{{"apt-get", "update"}, {"useradd", "-u", "1000", "app"}}));
  EXPECT_FALSE(inner_script(s.commands[0]));
  auto env = lex("env -i PATH=/bin bash -c \"echo hi\"");
  EXPECT_TRUE(inner_script(env.commands[0]));
}

TEST(ShellWords, ScriptPaths) {
  auto s = lex("bash /tmp/a.sh x; sh -e ./b.sh; . /etc/profile; source env.sh; ./c.sh; /opt/d.sh 1; bash -c 'x'; make");
  std::vector<std::string> paths;
  for (const auto& c : s.commands)
    if (auto p = script_path(c)) paths.push_back(p->value);
  EXPECT_EQ(paths, (std::vector<std::string>{"/tmp/a.sh", "./b.sh", "/etc/profile", "env.sh", "./c.sh", "/opt/d.sh"}));
}

TEST(ShellWords, UnterminatedQuotesAreErrorsNotCrashes) {
  auto s = lex("echo 'abc");
  EXPECT_FALSE(s.errors.empty());
  EXPECT_EQ(s.commands.size(), 1u);
  EXPECT_FALSE(lex("echo \"$(foo").errors.empty());
}

TEST(ShellWords, RandomBytesTerminate) {
  std::mt19937 rng(42);
  const std::string alphabet = "ab $(){}'\"`\\\n;&|<>#=-\t0\x01\xff";
  for (int i = 0; i < 2000; ++i) {
    std::string t;
    size_t n = rng() % 64;
    for (size_t k = 0; k < n; ++k) t += alphabet[rng() % alphabet.size()];
    auto s = lex(t);
    for (const auto& c : s.commands)
      for (const auto& w : c.argv) ASSERT_LE(w.end, t.size());
  }
}

}  // namespace
}  // namespace dockerfix::shell
