// The POSIX-shell lexer (dockerfix/shell.h): words and their exact byte
// ranges, quoting, operators, compound commands, redirections,
// here-documents, nested commands, `sh -c` and script files, robustness on
// arbitrary bytes, and every RUN of the shared corpus.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "dockerfix/shell.h"

// The corpus tests need the Dockerfile parser (dockerfix_core); the CMake
// build defines DOCKERFIX_CORPUS_DIR. Built by hand from this file and
// grammar/shell_lexer.cpp alone, they are left out.
#ifdef DOCKERFIX_CORPUS_DIR
#include "dockerfix/syntax.h"
#endif

namespace dockerfix::shell {
namespace {

using Argv = std::vector<std::string>;
using Argvs = std::vector<Argv>;

Argvs argvs(const Script& s) {
  Argvs out;
  for (const auto& c : s.commands) {
    Argv a;
    for (const auto& w : c.argv) a.push_back(w.value);
    out.push_back(a);
  }
  return out;
}

// Commands with a non-empty argv only.
Argvs runs(const Script& s) {
  Argvs out;
  for (auto& a : argvs(s))
    if (!a.empty()) out.push_back(a);
  return out;
}

bool contains(const Argvs& v, const Argv& a) { return std::find(v.begin(), v.end(), a) != v.end(); }

const Command* find_command(const Script& s, std::string_view name) {
  for (const auto& c : s.commands)
    if (!c.argv.empty() && c.argv[0].value == name) return &c;
  return nullptr;
}

// Every word, assignment and redirection of the script points at its text,
// commands cover their words, and everything lies inside the input.
::testing::AssertionResult ranges_exact(std::string_view text, const Script& s, uint32_t base = 0) {
  auto check = [&](const Word& w) -> std::string {
    if (w.begin < base || w.end < w.begin || w.end - base > text.size()) return "word out of range: " + w.text;
    if (text.substr(w.begin - base, w.end - w.begin) != w.text)
      return "word '" + w.text + "' points at '" + std::string(text.substr(w.begin - base, w.end - w.begin)) + "'";
    return {};
  };
  uint32_t last_begin = 0;
  for (const auto& c : s.commands) {
    if (c.begin < last_begin) return ::testing::AssertionFailure() << "commands out of order";
    last_begin = c.begin;
    if (c.end < c.begin || c.end - base > text.size()) return ::testing::AssertionFailure() << "command out of range";
    for (const auto* list : {&c.argv, &c.assignments})
      for (const auto& w : *list) {
        if (auto e = check(w); !e.empty()) return ::testing::AssertionFailure() << e;
        if (w.begin < c.begin || w.end > c.end) return ::testing::AssertionFailure() << "word outside its command: " << w.text;
      }
    for (const auto& r : c.redirects) {
      if (r.begin < c.begin || r.end > c.end || r.end < r.begin) return ::testing::AssertionFailure() << "redirect outside its command";
      if (!r.target.text.empty())
        if (auto e = check(r.target); !e.empty()) return ::testing::AssertionFailure() << e;
      if (r.body_end < r.body_begin || r.body_end - base > text.size())
        return ::testing::AssertionFailure() << "heredoc body out of range";
    }
  }
  return ::testing::AssertionSuccess();
}

// ---- words and quoting ----------------------------------------------------

TEST(ShellLexer, PlainWordsAndExactRanges) {
  std::string t = "  apt-get\tinstall -y   curl  ";
  auto s = lex(t);
  ASSERT_EQ(s.commands.size(), 1u);
  const auto& c = s.commands[0];
  EXPECT_EQ(argvs(s), (Argvs{{"apt-get", "install", "-y", "curl"}}));
  EXPECT_EQ(c.argv[0].begin, 2u);
  EXPECT_EQ(c.argv[0].end, 9u);
  EXPECT_EQ(c.begin, 2u);
  EXPECT_EQ(c.end, 27u);
  EXPECT_FALSE(c.argv[3].quoted);
  EXPECT_TRUE(s.errors.empty());
  EXPECT_TRUE(ranges_exact(t, s));
}

TEST(ShellLexer, EmptyAndBlankInput) {
  EXPECT_TRUE(lex("").commands.empty());
  EXPECT_TRUE(lex("  \t\n\n  ").commands.empty());
  EXPECT_TRUE(lex("# only a comment").commands.empty());
  EXPECT_TRUE(lex(";").commands.empty());
}

TEST(ShellLexer, SingleQuotesKeepEverythingLiteral) {
  std::string t = R"(echo 'a $HOME \n "b"' x)";
  auto s = lex(t);
  const auto& w = s.commands[0].argv[1];
  EXPECT_EQ(w.text, R"('a $HOME \n "b"')");
  EXPECT_EQ(w.value, R"(a $HOME \n "b")");
  EXPECT_TRUE(w.quoted);
  EXPECT_FALSE(w.has_expansion);
  EXPECT_TRUE(ranges_exact(t, s));
}

TEST(ShellLexer, DoubleQuotesApplyOnlyTheirEscapes) {
  std::string t = R"(echo "a \"b\" \$c \\ \` \n $HOME")";
  auto s = lex(t);
  const auto& w = s.commands[0].argv[1];
  EXPECT_EQ(w.value, R"(a "b" $c \ ` \n $HOME)");
  EXPECT_TRUE(w.quoted);
  EXPECT_TRUE(w.has_expansion);
  EXPECT_TRUE(ranges_exact(t, s));
  auto plain = lex(R"(echo "\$HOME")");
  EXPECT_FALSE(plain.commands[0].argv[1].has_expansion);
}

TEST(ShellLexer, AnsiCQuoting) {
  auto s = lex(R"(printf $'a\tb\n\x41\101\'\\z' $"loc")");
  const auto& a = s.commands[0].argv;
  ASSERT_EQ(a.size(), 3u);
  EXPECT_EQ(a[1].value, "a\tb\nAA'\\z");
  EXPECT_TRUE(a[1].quoted);
  EXPECT_EQ(a[2].value, "loc");
}

TEST(ShellLexer, BackslashOutsideQuotes) {
  std::string t = R"(echo e\ f \$HOME \"x\" a\\b find . -exec rm {} \;)";
  auto s = lex(t);
  ASSERT_EQ(s.commands.size(), 1u);
  const auto& a = s.commands[0].argv;
  EXPECT_EQ(a[1].value, "e f");
  EXPECT_EQ(a[2].value, "$HOME");
  EXPECT_FALSE(a[2].has_expansion);
  EXPECT_TRUE(a[2].quoted);
  EXPECT_EQ(a[3].value, "\"x\"");
  EXPECT_EQ(a[4].value, "a\\b");
  EXPECT_EQ(a.back().value, ";");
  EXPECT_EQ(a.back().text, "\\;");
  EXPECT_EQ(a[a.size() - 2].value, "{}");
  EXPECT_TRUE(ranges_exact(t, s));
}

TEST(ShellLexer, AdjacentPartsFormOneWord) {
  std::string t = R"(echo 'a b'"c d"e\ f$X'' "")";
  auto s = lex(t);
  const auto& a = s.commands[0].argv;
  ASSERT_EQ(a.size(), 3u);
  EXPECT_EQ(a[1].value, "a bc de f$X");
  EXPECT_EQ(a[1].text, R"('a b'"c d"e\ f$X'')");
  EXPECT_EQ(a[2].value, "");
  EXPECT_TRUE(a[2].quoted);
  EXPECT_TRUE(ranges_exact(t, s));
}

TEST(ShellLexer, VariablesKeptAsWritten) {
  std::string t = R"(curl -o ${DEST:-/tmp/x} $URL $1 $@ $$ $? a$ "b$" ${A:-${B}}/c)";
  auto s = lex(t);
  EXPECT_EQ(argvs(s), (Argvs{{"curl", "-o", "${DEST:-/tmp/x}", "$URL", "$1", "$@", "$$", "$?", "a$", "b$", "${A:-${B}}/c"}}));
  const auto& a = s.commands[0].argv;
  EXPECT_TRUE(a[2].has_expansion);
  EXPECT_FALSE(a[8].has_expansion);  // a lone `$` is literal
  EXPECT_TRUE(ranges_exact(t, s));
}

TEST(ShellLexer, BraceExpansionMayHoldQuotesAndCommands) {
  std::string t = R"(echo "${A:-"x}y"}" ${B:-$(id -u)} ${#C} ${D%%/*})";
  auto s = lex(t);
  auto v = runs(s);
  ASSERT_EQ(v.size(), 2u);
  EXPECT_EQ(v[0], (Argv{"echo", R"(${A:-"x}y"})", "${B:-$(id -u)}", "${#C}", "${D%%/*}"}));
  EXPECT_EQ(v[1], (Argv{"id", "-u"}));
  EXPECT_TRUE(ranges_exact(t, s));
}

TEST(ShellLexer, BytesAndInvalidUtf8AreWordCharacters) {
  std::string t = std::string("echo caf\xc3\xa9 \xff\xfe") + std::string(1, '\0') + "x 'q\x80'";
  auto s = lex(t);
  ASSERT_EQ(s.commands.size(), 1u);
  const auto& a = s.commands[0].argv;
  ASSERT_EQ(a.size(), 4u);
  EXPECT_EQ(a[2].value, std::string("\xff\xfe") + std::string(1, '\0') + "x");
  EXPECT_EQ(a[3].value, "q\x80");
  EXPECT_TRUE(ranges_exact(t, s));
}

// ---- line continuations ---------------------------------------------------

TEST(ShellLexer, BackslashNewlineBetweenWords) {
  std::string t = "apt-get update \\\n && apt-get install -y \\\n\tcurl \\\n\twget";
  auto s = lex(t);
  EXPECT_EQ(argvs(s), (Argvs{{"apt-get", "update"}, {"apt-get", "install", "-y", "curl", "wget"}}));
  EXPECT_EQ(s.commands[0].next, Op::And);
  EXPECT_TRUE(ranges_exact(t, s));
}

TEST(ShellLexer, BackslashNewlineInsideWordsIsRemoved) {
  std::string t = "apt-get ins\\\ntall \"a\\\nb\" 'c\\\nd'";
  auto s = lex(t);
  const auto& a = s.commands[0].argv;
  ASSERT_EQ(a.size(), 4u);
  EXPECT_EQ(a[1].value, "install");
  EXPECT_EQ(a[1].text, "ins\\\ntall");
  EXPECT_EQ(a[2].value, "ab");
  EXPECT_EQ(a[3].value, "c\\\nd");  // single quotes keep it
  EXPECT_TRUE(ranges_exact(t, s));
}

TEST(ShellLexer, CrLfLineEndings) {
  std::string t = "echo a \\\r\n  b\r\necho c\r\n";
  auto s = lex(t);
  EXPECT_EQ(argvs(s), (Argvs{{"echo", "a", "b"}, {"echo", "c"}}));
  EXPECT_TRUE(ranges_exact(t, s));
}

// ---- lists, pipelines, operators -----------------------------------------

TEST(ShellLexer, AndOrSeqPipeBackground) {
  std::string t = "a && b || c; d | e |& f & g";
  auto s = lex(t);
  EXPECT_EQ(argvs(s), (Argvs{{"a"}, {"b"}, {"c"}, {"d"}, {"e"}, {"f"}, {"g"}}));
  std::vector<Op> ops;
  for (const auto& c : s.commands) ops.push_back(c.next);
  EXPECT_EQ(ops, (std::vector<Op>{Op::And, Op::Or, Op::Seq, Op::Pipe, Op::Pipe, Op::Background, Op::None}));
  EXPECT_TRUE(ranges_exact(t, s));
}

TEST(ShellLexer, OperatorsNeedNoSpaces) {
  std::string t = "a&&b||c;d|e&f";
  auto s = lex(t);
  EXPECT_EQ(argvs(s), (Argvs{{"a"}, {"b"}, {"c"}, {"d"}, {"e"}, {"f"}}));
  EXPECT_TRUE(ranges_exact(t, s));
}

TEST(ShellLexer, NewlinesSeparateCommandsAndOperatorsContinueLines) {
  std::string t = "echo a\necho b &&\n\n  echo c |\n  tee x\n";
  auto s = lex(t);
  EXPECT_EQ(argvs(s), (Argvs{{"echo", "a"}, {"echo", "b"}, {"echo", "c"}, {"tee", "x"}}));
  EXPECT_EQ(s.commands[0].next, Op::Seq);
  EXPECT_EQ(s.commands[1].next, Op::And);
  EXPECT_EQ(s.commands[2].next, Op::Pipe);
}

TEST(ShellLexer, Comments) {
  std::string t = "echo a # comment && rm -rf /\necho b#not-a-comment $# x;#c\necho c";
  auto s = lex(t);
  EXPECT_EQ(argvs(s), (Argvs{{"echo", "a"}, {"echo", "b#not-a-comment", "$#", "x"}, {"echo", "c"}}));
  EXPECT_TRUE(ranges_exact(t, s));
}

// ---- subshells, groups, depth -------------------------------------------

TEST(ShellLexer, SubshellsAndGroupsNest) {
  std::string t = "(cd /tmp && make) ; { echo a; (echo b); } && echo c";
  auto s = lex(t);
  EXPECT_EQ(argvs(s), (Argvs{{"cd", "/tmp"}, {"make"}, {"echo", "a"}, {"echo", "b"}, {"echo", "c"}}));
  std::vector<int> depths;
  for (const auto& c : s.commands) depths.push_back(c.depth);
  EXPECT_EQ(depths, (std::vector<int>{1, 1, 1, 2, 0}));
  EXPECT_TRUE(s.errors.empty());
  EXPECT_TRUE(ranges_exact(t, s));
}

TEST(ShellLexer, BracesAreReservedOnlyAtCommandStart) {
  auto s = lex("echo { } {a,b}; {echo x;}");
  auto v = argvs(s);
  EXPECT_EQ(v[0], (Argv{"echo", "{", "}", "{a,b}"}));
  EXPECT_EQ(v[1], (Argv{"{echo", "x"}));  // `{echo` is a word, as in sh
}

TEST(ShellLexer, CompoundCommandRedirectionsAreRecorded) {
  std::string t = "{ echo a; echo b; } > /etc/motd 2>&1; while read l; do echo $l; done < /etc/passwd";
  auto s = lex(t);
  std::vector<std::string> targets;
  for (const auto& c : s.commands)
    if (c.argv.empty())
      for (const auto& r : c.redirects) targets.push_back(r.op + r.target.value);
  EXPECT_EQ(targets, (std::vector<std::string>{">/etc/motd", ">&1", "</etc/passwd"}));
  EXPECT_TRUE(ranges_exact(t, s));
}

// ---- redirections -----------------------------------------------------------

TEST(ShellLexer, RedirectionOperatorsAndFds) {
  std::string t = "cmd >a >>b <c 2>d 2>>e &>f &>>g 2>&1 >&2 <&0 >|h 3<>i 0<j <<<str 10>k >&-";
  auto s = lex(t);
  ASSERT_EQ(s.commands.size(), 1u);
  const auto& c = s.commands[0];
  EXPECT_EQ(c.argv.size(), 1u);
  std::vector<std::string> got;
  for (const auto& r : c.redirects) got.push_back(std::to_string(r.fd) + r.op + r.target.value);
  EXPECT_EQ(got, (std::vector<std::string>{"-1>a", "-1>>b", "-1<c", "2>d", "2>>e", "-1&>f", "-1&>>g", "2>&1", "-1>&2",
                                           "-1<&0", "-1>|h", "3<>i", "0<j", "-1<<<str", "10>k", "-1>&-"}));
  EXPECT_TRUE(ranges_exact(t, s));
}

TEST(ShellLexer, RedirectionRangesAndSpacedTargets) {
  std::string t = "echo x > /etc/foo 2>&1; cat</etc/bar>>'/var/log/y z'";
  auto s = lex(t);
  ASSERT_EQ(s.commands.size(), 2u);
  const auto& r0 = s.commands[0].redirects[0];
  EXPECT_EQ(t.substr(r0.begin, r0.end - r0.begin), "> /etc/foo");
  EXPECT_EQ(r0.target.text, "/etc/foo");
  const auto& r1 = s.commands[0].redirects[1];
  EXPECT_EQ(t.substr(r1.begin, r1.end - r1.begin), "2>&1");
  EXPECT_EQ(s.commands[0].end, r1.end);
  const auto& c1 = s.commands[1];
  EXPECT_EQ(c1.argv.size(), 1u);
  EXPECT_EQ(c1.redirects[1].target.value, "/var/log/y z");
  EXPECT_TRUE(ranges_exact(t, s));
}

TEST(ShellLexer, DigitsAreAnFdOnlyWhenGlued) {
  auto s = lex("echo 2 >x; echo a2>y; >z echo first");
  const auto& c = s.commands;
  ASSERT_EQ(c.size(), 3u);
  EXPECT_EQ(c[0].argv.size(), 2u);
  EXPECT_EQ(c[0].redirects[0].fd, -1);
  EXPECT_EQ(c[1].argv[1].value, "a2");
  EXPECT_EQ(c[1].redirects[0].fd, -1);
  EXPECT_EQ(c[2].argv[0].value, "echo");
  EXPECT_EQ(c[2].begin, c[2].redirects[0].begin);
}

TEST(ShellLexer, RedirectionWithoutTargetKeepsTheNextOperator) {
  auto s = lex("echo a > && echo b");
  EXPECT_FALSE(s.errors.empty());
  EXPECT_EQ(runs(s), (Argvs{{"echo", "a"}, {"echo", "b"}}));
  EXPECT_EQ(s.commands[0].next, Op::And);
}

// ---- here-documents ---------------------------------------------------------

TEST(ShellLexer, HereDocumentBodyIsSkippedAndLocated) {
  std::string t = "cat > /etc/x <<'EOF' && echo ok\nrm -rf /\n$(reboot)\nEOF\necho done";
  auto s = lex(t);
  EXPECT_EQ(argvs(s), (Argvs{{"cat"}, {"echo", "ok"}, {"echo", "done"}}));
  const auto& c = s.commands[0];
  ASSERT_EQ(c.redirects.size(), 2u);
  EXPECT_EQ(c.redirects[0].target.value, "/etc/x");
  const auto& h = c.redirects[1];
  EXPECT_EQ(h.op, "<<");
  EXPECT_EQ(h.target.value, "EOF");
  EXPECT_EQ(h.target.text, "'EOF'");
  EXPECT_EQ(t.substr(h.body_begin, h.body_end - h.body_begin), "rm -rf /\n$(reboot)\n");
  EXPECT_TRUE(s.errors.empty());
  EXPECT_TRUE(ranges_exact(t, s));
}

TEST(ShellLexer, HereDocumentStripTabsAndSeveralOnOneLine) {
  std::string t = "cat <<-END <<\"B\" | sh\n\tnot a command\n\tEND\nalso not\nB\ntrue";
  auto s = lex(t);
  EXPECT_EQ(argvs(s), (Argvs{{"cat"}, {"sh"}, {"true"}}));
  const auto& r = s.commands[0].redirects;
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].op, "<<-");
  EXPECT_EQ(t.substr(r[0].body_begin, r[0].body_end - r[0].body_begin), "\tnot a command\n");
  EXPECT_EQ(t.substr(r[1].body_begin, r[1].body_end - r[1].body_begin), "also not\n");
  EXPECT_TRUE(s.errors.empty());
}

TEST(ShellLexer, HereDocumentWhoseBodyIsElsewhereIsNotAnError) {
  // A Dockerfile `RUN cat <<EOF > /etc/x`: BuildKit keeps the body out of the arguments.
  std::string t = "cat <<EOF > /etc/x";
  auto s = lex(t);
  ASSERT_EQ(s.commands.size(), 1u);
  EXPECT_TRUE(s.errors.empty());
  EXPECT_EQ(s.commands[0].redirects[1].target.value, "/etc/x");
  EXPECT_EQ(s.commands[0].redirects[0].body_begin, s.commands[0].redirects[0].body_end);
}

TEST(ShellLexer, UnterminatedHereDocumentIsAnError) {
  auto s = lex("cat <<EOF\nline\nEOFX\n");
  EXPECT_EQ(runs(s), (Argvs{{"cat"}}));
  EXPECT_FALSE(s.errors.empty());
}

TEST(ShellLexer, HereDocumentInsideCommandSubstitution) {
  std::string t = "x=\"$(cat <<EOF\nbody ) here\nEOF\n)\" && echo after";
  auto s = lex(t);
  EXPECT_EQ(runs(s), (Argvs{{"cat"}, {"echo", "after"}}));
  EXPECT_TRUE(s.errors.empty()) << s.errors[0];
  EXPECT_TRUE(ranges_exact(t, s));
}

// ---- compound commands -------------------------------------------------------

TEST(ShellLexer, IfThenElseYieldsTheInnerCommands) {
  std::string t = "if apt-get update; then apt-get install -y x; elif [ -f y ]; then :; else useradd a; fi && echo z";
  auto s = lex(t);
  EXPECT_EQ(runs(s), (Argvs{{"apt-get", "update"}, {"apt-get", "install", "-y", "x"}, {"[", "-f", "y", "]"}, {":"},
                            {"useradd", "a"}, {"echo", "z"}}));
  EXPECT_TRUE(ranges_exact(t, s));
}

TEST(ShellLexer, ReservedWordsOnlyAtCommandPosition) {
  auto s = lex("echo if then fi do done; \"if\" x; ! grep -q a b");
  EXPECT_EQ(runs(s), (Argvs{{"echo", "if", "then", "fi", "do", "done"}, {"if", "x"}, {"grep", "-q", "a", "b"}}));
}

TEST(ShellLexer, ForLoops) {
  std::string t =
      "for p in a $(ls /x) c; do echo $p; done\n"
      "for q\ndo rm $q; done\n"
      "for ((i=0; i<3; i++)); do touch f$i; done";
  auto s = lex(t);
  EXPECT_EQ(runs(s), (Argvs{{"ls", "/x"}, {"echo", "$p"}, {"rm", "$q"}, {"touch", "f$i"}}));
  EXPECT_TRUE(s.errors.empty());
  EXPECT_TRUE(ranges_exact(t, s));
}

TEST(ShellLexer, WhileAndUntil) {
  auto s = lex("while ! curl -f localhost; do sleep 1; done; until [ -e /x ]; do sleep 2; done");
  EXPECT_EQ(runs(s), (Argvs{{"curl", "-f", "localhost"}, {"sleep", "1"}, {"[", "-e", "/x", "]"}, {"sleep", "2"}}));
}

TEST(ShellLexer, CaseStatements) {
  std::string t =
      "case \"$ARCH\" in\n"
      "  amd64) A=x86 ;;\n"
      "  arm64|aarch64) A=arm; echo arm ;;\n"
      "  (i386) echo old ;&\n"
      "  *) echo \"unsupported\"; exit 1 ;;\n"
      "esac; case x in y) echo last; esac\n"
      "echo after";
  auto s = lex(t);
  auto v = runs(s);
  EXPECT_EQ(v, (Argvs{{"echo", "arm"}, {"echo", "old"}, {"echo", "unsupported"}, {"exit", "1"}, {"echo", "last"},
                      {"echo", "after"}}));
  size_t assigns = 0;
  for (const auto& c : s.commands) assigns += c.assignments.size();
  EXPECT_EQ(assigns, 2u);
  EXPECT_TRUE(s.errors.empty());
  EXPECT_TRUE(ranges_exact(t, s));
}

TEST(ShellLexer, CaseInsideCommandSubstitution) {
  std::string t = "arch=\"$(case $(uname -m) in x86_64) echo amd64;; *) echo other;; esac)\"; echo $arch";
  auto s = lex(t);
  EXPECT_EQ(runs(s), (Argvs{{"uname", "-m"}, {"echo", "amd64"}, {"echo", "other"}, {"echo", "$arch"}}));
  EXPECT_TRUE(s.errors.empty());
  EXPECT_TRUE(ranges_exact(t, s));
}

TEST(ShellLexer, FunctionDefinitions) {
  auto s = lex("f() { apt-get update; }; function g { echo g; }; function h() (echo h); f");
  EXPECT_EQ(runs(s), (Argvs{{"apt-get", "update"}, {"echo", "g"}, {"echo", "h"}, {"f"}}));
  EXPECT_TRUE(s.errors.empty());
}

TEST(ShellLexer, DoubleBracketsAndArithmeticCommands) {
  auto s = lex("[[ $a < 2 && ( -f x || -d y ) ]] && echo y; (( n += 1 )); echo $(( (1 + 2) * 3 ))");
  auto v = runs(s);
  ASSERT_EQ(v.size(), 3u);
  EXPECT_EQ(v[0], (Argv{"[[", "$a", "<", "2", "&&", "(", "-f", "x", "||", "-d", "y", ")", "]]"}));
  EXPECT_EQ(v[1], (Argv{"echo", "y"}));
  EXPECT_EQ(v[2], (Argv{"echo", "$(( (1 + 2) * 3 ))"}));
  EXPECT_TRUE(s.commands[0].redirects.empty());
  EXPECT_TRUE(s.errors.empty());
}

// ---- nested commands -----------------------------------------------------------

TEST(ShellLexer, CommandSubstitutionsAreLexedWithDepth) {
  std::string t = "echo \"$(dpkg --print-architecture)\" `uname -m` $(a $(b c)) && x=$(id -u)";
  auto s = lex(t);
  auto v = runs(s);
  EXPECT_EQ(v, (Argvs{{"echo", "$(dpkg --print-architecture)", "`uname -m`", "$(a $(b c))"},
                      {"dpkg", "--print-architecture"}, {"uname", "-m"}, {"a", "$(b c)"}, {"b", "c"}, {"id", "-u"}}));
  auto depth = [&](std::string_view n) { return find_command(s, n)->depth; };
  EXPECT_EQ(depth("echo"), 0);
  EXPECT_EQ(depth("dpkg"), 1);
  EXPECT_EQ(depth("uname"), 1);
  EXPECT_EQ(depth("a"), 1);
  EXPECT_EQ(depth("b"), 2);
  EXPECT_TRUE(find_command(s, "b")->substitution);
  EXPECT_FALSE(find_command(s, "echo")->substitution);
  EXPECT_TRUE(find_command(s, "echo")->argv[1].has_expansion);
  // The assignment-only command holding $(id -u).
  bool assignment = false;
  for (const auto& c : s.commands)
    if (c.argv.empty() && c.assignments.size() == 1 && c.assignments[0].value == "x=$(id -u)") assignment = true;
  EXPECT_TRUE(assignment);
  EXPECT_TRUE(ranges_exact(t, s));
}

TEST(ShellLexer, ParenthesesInsideSubstitutionsBalance) {
  std::string t = "v=$( (cd /a && pwd) ) w=$((cd /b) ) echo \"$(echo ')' \")\")\" done";
  auto s = lex(t);
  auto v = runs(s);
  EXPECT_TRUE(contains(v, {"cd", "/a"}));
  EXPECT_TRUE(contains(v, {"pwd"}));
  EXPECT_TRUE(contains(v, {"cd", "/b"}));
  EXPECT_TRUE(contains(v, {"echo", ")", ")"}));
  EXPECT_TRUE(contains(v, {"echo", "$(echo ')' \")\")", "done"}));
  EXPECT_TRUE(s.errors.empty());
  EXPECT_TRUE(ranges_exact(t, s));
}

TEST(ShellLexer, ProcessSubstitution) {
  std::string t = "diff <(sort a) <(sort b) > >(tee log)";
  auto s = lex(t);
  EXPECT_EQ(runs(s), (Argvs{{"diff", "<(sort a)", "<(sort b)"}, {"sort", "a"}, {"sort", "b"}, {"tee", "log"}}));
  EXPECT_EQ(s.commands[0].redirects.size(), 1u);
  EXPECT_TRUE(ranges_exact(t, s));
}

// ---- assignments ------------------------------------------------------------------

TEST(ShellLexer, AssignmentsBeforeTheCommand) {
  std::string t = "DEBIAN_FRONTEND=noninteractive A=\"b c\" P+=x apt-get install -y x=1";
  auto s = lex(t);
  ASSERT_EQ(s.commands.size(), 1u);
  const auto& c = s.commands[0];
  ASSERT_EQ(c.assignments.size(), 3u);
  EXPECT_EQ(c.assignments[1].value, "A=b c");
  EXPECT_EQ(c.argv[0].value, "apt-get");
  EXPECT_EQ(c.argv.back().value, "x=1");  // after the name it is an argument
  EXPECT_EQ(c.begin, 0u);
  EXPECT_TRUE(ranges_exact(t, s));
}

TEST(ShellLexer, ExportAndAssignmentOnlyCommands) {
  auto s = lex("export A=1 B; B=2 C=(x y z); 1A=x; =y; \"Q\"=z");
  ASSERT_EQ(s.commands.size(), 5u);
  EXPECT_EQ(s.commands[0].argv.size(), 3u);
  EXPECT_TRUE(s.commands[1].argv.empty());
  ASSERT_EQ(s.commands[1].assignments.size(), 2u);
  EXPECT_EQ(s.commands[1].assignments[1].value, "C=(x y z)");
  EXPECT_EQ(s.commands[2].argv[0].value, "1A=x");
  EXPECT_EQ(s.commands[3].argv[0].value, "=y");
  EXPECT_EQ(s.commands[4].argv[0].value, "Q=z");
}

// ---- sh -c and script files ------------------------------------------------------

TEST(ShellLexer, InnerScriptOfSingleQuotedShDashC) {
  std::string t = "set -x; /bin/sh -ec 'apt-get update && useradd -u 1000 app' arg0";
  auto s = lex(t);
  EXPECT_FALSE(inner_script(s.commands[0]));
  auto inner = inner_script(s.commands[1]);
  ASSERT_TRUE(inner);
  EXPECT_EQ(argvs(*inner), (Argvs{{"apt-get", "update"}, {"useradd", "-u", "1000", "app"}}));
  // Offsets index the string's value.
  const std::string value = "apt-get update && useradd -u 1000 app";
  EXPECT_TRUE(ranges_exact(value, *inner));
  EXPECT_EQ(inner->commands[1].begin, 18u);
  EXPECT_EQ(value.substr(inner->commands[1].begin, inner->commands[1].end - inner->commands[1].begin),
            "useradd -u 1000 app");
}

TEST(ShellLexer, InnerScriptOfDoubleQuotedAndEscapedStrings) {
  std::string t = "bash -o pipefail -c \"curl -fsSL $URL | tar -xz -C /opt\"";
  auto s = lex(t);
  auto inner = inner_script(s.commands[0]);
  ASSERT_TRUE(inner);
  EXPECT_EQ(argvs(*inner), (Argvs{{"curl", "-fsSL", "$URL"}, {"tar", "-xz", "-C", "/opt"}}));
  EXPECT_TRUE(ranges_exact(s.commands[0].argv[4].value, *inner));

  auto esc = lex(R"(sh -c "echo \"a b\" > /etc/x")");
  auto e = inner_script(esc.commands[0]);
  ASSERT_TRUE(e);
  EXPECT_TRUE(ranges_exact(R"(echo "a b" > /etc/x)", *e));  // relative to the value
  EXPECT_EQ(e->commands[0].argv[1].value, "a b");
  EXPECT_EQ(e->commands[0].argv[0].begin, 0u);
  EXPECT_EQ(e->commands[0].redirects[0].target.value, "/etc/x");
}

TEST(ShellLexer, InnerScriptVariants) {
  auto has_inner = [](std::string_view t) {
    auto s = lex(t);
    return !s.commands.empty() && inner_script(s.commands.back()).has_value();
  };
  EXPECT_TRUE(has_inner("env -i PATH=/bin bash -c \"echo hi\""));
  EXPECT_TRUE(has_inner("exec /usr/bin/env sh -c 'x'"));
  EXPECT_TRUE(has_inner("nice -n 5 nohup dash -xc 'x'"));
  EXPECT_TRUE(has_inner("timeout -s KILL 30 bash -lc 'x'"));
  EXPECT_TRUE(has_inner("busybox sh -c 'x'"));
  EXPECT_TRUE(has_inner("sh -c -- 'x'"));
  EXPECT_TRUE(has_inner("sh -c true"));
  EXPECT_FALSE(has_inner("sh -c"));
  EXPECT_FALSE(has_inner("sh x.sh -c 'y'"));
  EXPECT_FALSE(has_inner("echo sh -c 'x'"));
  EXPECT_FALSE(has_inner("python -c 'print(1)'"));
  EXPECT_FALSE(has_inner("busybox wget -c x"));
  auto unquoted = lex("sh -c true");
  auto inner = inner_script(unquoted.commands[0]);
  ASSERT_TRUE(inner);
  EXPECT_EQ(inner->commands[0].argv[0].begin, 0u);
  EXPECT_EQ(inner->commands[0].argv[0].end, 4u);
}

TEST(ShellLexer, ScriptPaths) {
  std::string t =
      "bash /tmp/a.sh x; sh -e ./b.sh; . /etc/profile; source env.sh; ./c.sh; /opt/d.sh 1; bash -c 'x'; make; "
      "/bin/bash -o pipefail /tmp/e.sh; env A=1 sh f.sh; sh -- g.sh; ./configure; sh -s < x.sh; bash; h.sh; "
      "exec ./i.bash";
  auto s = lex(t);
  std::vector<std::string> paths;
  for (const auto& c : s.commands)
    if (auto p = script_path(c)) {
      paths.push_back(p->value);
      EXPECT_EQ(t.substr(p->begin, p->end - p->begin), p->text);
    }
  EXPECT_EQ(paths, (std::vector<std::string>{"/tmp/a.sh", "./b.sh", "/etc/profile", "env.sh", "./c.sh", "/opt/d.sh",
                                             "/tmp/e.sh", "f.sh", "g.sh", "./i.bash"}));
}

// ---- errors and robustness ----------------------------------------------------

TEST(ShellLexer, UnterminatedConstructsAreErrorsNotCrashes) {
  for (std::string t : {"echo 'abc", "echo \"abc", "echo $'abc", "echo `abc", "echo $(abc", "echo ${abc",
                        "echo $((1 + 2", "echo \"$(foo", "(echo a", "echo a)", "case x in", "echo \\"}) {
    auto s = lex(t);
    if (t != "echo \\") {
      EXPECT_FALSE(s.errors.empty()) << t;
    }
    if (t != "case x in") {
      EXPECT_FALSE(s.commands.empty()) << t;
    }
    EXPECT_TRUE(ranges_exact(t, s)) << t;
  }
  auto s = lex("echo 'abc");
  EXPECT_EQ(s.commands[0].argv[1].value, "abc");
}

TEST(ShellLexer, RandomBytesTerminateWithExactRanges) {
  std::mt19937 rng(42);
  static const char kAlphabet[] = "ab $(){}[]'\"`\\\n;&|<>#=-!\t0129\r\x01\xff";
  const std::string alphabet = std::string(kAlphabet, sizeof kAlphabet - 1) + std::string(1, '\0');
  const std::vector<std::string> pieces = {"if ", "then ", "fi", "case ", " in ", ";;", "esac", "for ", "do ",
                                           "done", "<<EOF\n", "\nEOF\n", "$((", "))", "$(", "${", "2>&1", "<<-",
                                           "sh -c '", "function ", "[[ ", " ]]", "<(", "$'", "\\\n"};
  for (int i = 0; i < 20000; ++i) {
    std::string t;
    size_t n = rng() % 80;
    for (size_t k = 0; k < n; ++k) {
      if (rng() % 4 == 0) t += pieces[rng() % pieces.size()];
      else t += alphabet[rng() % alphabet.size()];
    }
    auto s = lex(t);
    ASSERT_TRUE(ranges_exact(t, s)) << ::testing::PrintToString(t);
    for (const auto& c : s.commands) {
      if (auto inner = inner_script(c)) {
        bool found = false;  // offsets index the value of one of the argv words (the one after -c)
        for (const auto& w : c.argv) found = found || ranges_exact(w.value, *inner);
        ASSERT_TRUE(found) << ::testing::PrintToString(t);
      }
      (void)script_path(c);
    }
  }
}

TEST(ShellLexer, PathologicalInputsStayFast) {
  auto start = std::chrono::steady_clock::now();
  std::vector<std::string> inputs;
  auto rep = [](std::string_view p, size_t n) {
    std::string s;
    for (size_t i = 0; i < n; ++i) s += p;
    return s;
  };
  inputs.push_back(rep("$(", 20000));
  inputs.push_back(rep("\"$(", 20000));
  inputs.push_back(rep("${", 20000));
  inputs.push_back(rep("`", 20001));
  inputs.push_back(rep("(", 50000) + rep(")", 50000));
  inputs.push_back(rep("((a) ", 20000));
  inputs.push_back(rep("{ ", 30000) + rep(") ", 30000));
  inputs.push_back(rep("cat <<a\n", 20000));
  inputs.push_back(rep("a <<a ", 20000) + "\n" + rep("b\n", 1000));
  inputs.push_back(rep("case x in ", 20000));
  inputs.push_back(rep("A=(", 20000));
  inputs.push_back(rep("$((", 20000));
  inputs.push_back(rep("echo a && ", 50000));
  for (const auto& t : inputs) {
    auto s = lex(t);
    EXPECT_TRUE(ranges_exact(t, s));
  }
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
  EXPECT_LT(ms, 20000);
}

// ---- the real corpus ----------------------------------------------------------

#ifdef DOCKERFIX_CORPUS_DIR

std::filesystem::path corpus_dir() {
  if (const char* env = std::getenv("DOCKERFIX_CORPUS_DIR")) return env;
  return DOCKERFIX_CORPUS_DIR;
}

TEST(ShellLexer, EveryCorpusRunLexesWithExactRanges) {
  std::error_code ec;
  size_t files = 0, runs_seen = 0, words = 0, scripts = 0;
  std::vector<std::string> failures;
  for (auto it = std::filesystem::recursive_directory_iterator(corpus_dir(), ec);
       it != std::filesystem::recursive_directory_iterator(); ++it) {
    if (!it->is_regular_file()) continue;
    auto name = it->path().filename().string();
    if (name == "README.md" || name == "MANIFEST.tsv" || it->path().extension() == ".jsonl") continue;
    std::ifstream in(it->path(), std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    Dockerfile f = parse(ss.str(), it->path().string());
    ++files;
    for (const auto& ins : f.instructions) {
      if (ins.keyword != "RUN" || ins.exec_form) continue;
      ++runs_seen;
      std::vector<std::string_view> texts{ins.arguments};
      for (const auto& h : ins.heredocs) texts.push_back(h.body);
      for (auto text : texts) {
        auto s = lex(text);
        for (const auto& c : s.commands) {
          words += c.argv.size();
          if (auto inner = inner_script(c)) {
            ++scripts;
            bool found = false;
            for (const auto& w : c.argv) found = found || ranges_exact(w.value, *inner);
            if (!found) failures.push_back(it->path().string() + " (sh -c): ranges do not index the script value");
          }
        }
        if (auto r = ranges_exact(text, s); !r) failures.push_back(it->path().string() + ": " + r.message());
      }
    }
  }
  ASSERT_GT(files, 1000u) << "corpus missing at " << corpus_dir();
  EXPECT_GT(runs_seen, 10000u);
  EXPECT_GT(words, 100000u);
  EXPECT_GT(scripts, 10u);
  for (size_t i = 0; i < std::min<size_t>(failures.size(), 20); ++i) ADD_FAILURE() << failures[i];
}

TEST(ShellLexer, CorpusCommandsNeverStartWithReservedWords) {
  std::error_code ec;
  size_t checked = 0;
  std::vector<std::string> bad;
  for (auto it = std::filesystem::recursive_directory_iterator(corpus_dir(), ec);
       it != std::filesystem::recursive_directory_iterator(); ++it) {
    if (!it->is_regular_file() || it->path().extension() == ".jsonl") continue;
    std::ifstream in(it->path(), std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    Dockerfile f = parse(ss.str(), it->path().string());
    for (const auto& ins : f.instructions) {
      if (ins.keyword != "RUN" || ins.exec_form) continue;
      for (const auto& c : lex(ins.arguments).commands) {
        if (c.argv.empty()) continue;
        ++checked;
        const auto& w = c.argv[0].text;
        for (std::string_view r : {"then", "do", "done", "fi", "else", "elif", "esac", "in", "{", "}", ";;", "if",
                                   "while", "for", "case"})
          if (w == r && bad.size() < 20) bad.push_back(it->path().string() + ": " + w);
      }
    }
  }
  EXPECT_GT(checked, 50000u);
  EXPECT_TRUE(bad.empty()) << bad[0];
}
#endif  // DOCKERFIX_CORPUS_DIR

}  // namespace
}  // namespace dockerfix::shell
