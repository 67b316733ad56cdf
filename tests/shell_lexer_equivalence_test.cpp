// The fast shell lexer (grammar/shell_lexer.cpp) against the lexer it
// replaced, kept in tests/shell_lexer_reference.cpp: every field of every
// command, word, redirection and error must be the same, on every RUN of the
// shared corpus (and the `sh -c` scripts inside them), on random scripts made
// of shell syntax and bytes, and on pathological inputs.
#include <gtest/gtest.h>

#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "dockerfix/shell.h"
#include "dockerfix/syntax.h"
#include "tests/shell_lexer_reference.h"
#include "tests/test_support.h"

namespace dockerfix::shell {
namespace {

std::string show(const Word& w) {
  std::ostringstream o;
  o << "{text=" << ::testing::PrintToString(w.text) << " value=" << ::testing::PrintToString(w.value) << " "
    << w.begin << "-" << w.end << " quoted=" << w.quoted << " expansion=" << w.has_expansion << "}";
  return o.str();
}

bool same(const Word& a, const Word& b) {
  return a.text == b.text && a.value == b.value && a.begin == b.begin && a.end == b.end && a.quoted == b.quoted &&
         a.has_expansion == b.has_expansion;
}

// The first difference between two lexes of one text, or empty.
std::string difference(const Script& fast, const Script& ref) {
  if (fast.errors != ref.errors)
    return "errors: " + ::testing::PrintToString(fast.errors) + " vs " + ::testing::PrintToString(ref.errors);
  if (fast.commands.size() != ref.commands.size())
    return "commands: " + std::to_string(fast.commands.size()) + " vs " + std::to_string(ref.commands.size());
  for (size_t i = 0; i < fast.commands.size(); ++i) {
    const Command& a = fast.commands[i];
    const Command& b = ref.commands[i];
    const std::string at = "command " + std::to_string(i) + ": ";
    if (a.begin != b.begin || a.end != b.end || a.depth != b.depth || a.substitution != b.substitution || a.next != b.next)
      return at + "range, depth, substitution or operator";
    for (auto list : {&Command::argv, &Command::assignments}) {
      const auto& wa = a.*list;
      const auto& wb = b.*list;
      if (wa.size() != wb.size()) return at + "word count";
      for (size_t k = 0; k < wa.size(); ++k)
        if (!same(wa[k], wb[k])) return at + "word " + show(wa[k]) + " vs " + show(wb[k]);
    }
    if (a.redirects.size() != b.redirects.size()) return at + "redirection count";
    for (size_t k = 0; k < a.redirects.size(); ++k) {
      const Redirect& ra = a.redirects[k];
      const Redirect& rb = b.redirects[k];
      if (ra.op != rb.op || ra.fd != rb.fd || ra.begin != rb.begin || ra.end != rb.end || ra.body_begin != rb.body_begin ||
          ra.body_end != rb.body_end || !same(ra.target, rb.target))
        return at + "redirection " + ra.op + " " + show(ra.target) + " vs " + rb.op + " " + show(rb.target);
    }
  }
  return {};
}

// The text lexed by both, and the `sh -c` scripts of its commands too.
::testing::AssertionResult lexes_alike(std::string_view text) {
  const Script fast = lex(text);
  if (auto d = difference(fast, reference::lex(text)); !d.empty())
    return ::testing::AssertionFailure() << ::testing::PrintToString(std::string(text)) << ": " << d;
  for (const auto& c : fast.commands)
    if (auto at = inner_script_word(c)) {
      const std::string& inner = c.argv[*at].value;
      if (auto d = difference(lex(inner), reference::lex(inner)); !d.empty())
        return ::testing::AssertionFailure() << "sh -c " << ::testing::PrintToString(inner) << ": " << d;
    }
  return ::testing::AssertionSuccess();
}

TEST(ShellLexerEquivalence, TrickySpellings) {
  for (std::string_view t :
       {"", " ", "\n", "a", "a b", "2>&1", "12345678901>x", "9>x", "a 2>&1 >/dev/null", "x &>y", "x &>>y", "x 1&>y",
        "x<<<y", "cat <<-EOF\n\tb\n\tEOF\n", "a <>b", "a <&3", "a >|b", "a;;b", "a;;&b", "a;&b", "a&&b||c|&d|e&",
        "(a)", "((1+2))", "$((1+2))", "$((a) )", "<(a) >(b)", "a=(1 2) b", "f() { a; }", "function f { a; }",
        "case x in a) b;; esac", "for i in 1 2; do a; done", "for ((i=0;i<2;i++)); do a; done", "[[ a && b || c ]]",
        "a \\\nb", "a\\\r\nb", "'a\\b' \"a\\$b\\\"\" $'\\x41\\101\\e\\q' $\"x\"", "${a:-\"b\"}${#c}$1$@$?$$x",
        "`a \\`b\\``", "a # c\nb", "a\r\nb", "x=1 y+=2 cmd", "2", "2 2", "&", ";", "|", ")", "<", ">", "2<", "\\",
        "'", "\"", "$(", "${", "`", "$'", "\xff\xfe", "sh -c 'a && b'", "bash -ec \"x; y\""})
    EXPECT_TRUE(lexes_alike(t));
  EXPECT_TRUE(lexes_alike(std::string("a\0b c\0", 6)));
}

TEST(ShellLexerEquivalence, RandomScripts) {
  std::mt19937 rng(19);
  static const char kAlphabet[] = "ab $(){}[]'\"`\\\n;&|<>#=-!\t0129\r\x01\xff+*?@:";
  const std::string alphabet = std::string(kAlphabet, sizeof kAlphabet - 1) + std::string(1, '\0');
  const std::vector<std::string> pieces = {
      "if ", "then ", "else ", "fi", "case ", " in ", ";;", ";&", ";;&", "esac", "for ", "select ", "do ", "done",
      "while ", "until ", "<<EOF\n", "\nEOF\n", "<<-E\n", "\n\tE\n", "$((", "))", "((", "$(", "${", "2>&1", "&>",
      ">>", "<<<", "<&", ">|", "<>", "|&", "&&", "||", "sh -c '", "bash -c \"", "function ", "[[ ", " ]]", "<(",
      ">(", "$'", "$\"", "\\\n", "\\\r\n", "{ ", " }", "x=(", "A=", "123", "apt-get install -y ", "echo \"$x\" "};
  for (int i = 0; i < 50000; ++i) {
    std::string t;
    const size_t n = rng() % (i % 10 == 0 ? 400 : 60);
    for (size_t k = 0; k < n; ++k) {
      if (rng() % 3 == 0) t += pieces[rng() % pieces.size()];
      else t += alphabet[rng() % alphabet.size()];
    }
    ASSERT_TRUE(lexes_alike(t));
  }
}

TEST(ShellLexerEquivalence, PathologicalInputs) {
  auto rep = [](std::string_view p, size_t n) {
    std::string s;
    for (size_t i = 0; i < n; ++i) s += p;
    return s;
  };
  for (const auto& t : {rep("$(", 2000), rep("\"$(", 2000), rep("${", 2000), rep("`", 2001), rep("(", 5000) + rep(")", 5000),
                        rep("((a) ", 2000), rep("{ ", 3000) + rep(") ", 3000), rep("cat <<a\n", 2000),
                        rep("case x in ", 2000), rep("A=(", 2000), rep("$((", 2000), rep("echo a && ", 5000),
                        rep("2>", 3000), rep("9999999999>", 1000)})
    EXPECT_TRUE(lexes_alike(t));
}

#ifdef DOCKERFIX_CORPUS_DIR
TEST(ShellLexerEquivalence, EveryCorpusRun) {
  size_t texts = 0;
  for (const auto& path : test::corpus_files()) {
    const Dockerfile f = parse(test::read_file(path), path.string());
    for (const auto& ins : f.instructions) {
      if (ins.keyword != "RUN") continue;
      std::vector<std::string_view> run_texts{ins.arguments};
      for (const auto& h : ins.heredocs) run_texts.push_back(h.body);
      for (const auto& e : ins.exec) run_texts.push_back(e);
      for (auto t : run_texts) {
        ++texts;
        ASSERT_TRUE(lexes_alike(t)) << path;
      }
    }
  }
  EXPECT_GT(texts, 20000u) << "corpus missing at " << test::corpus_dir();
}
#endif

}  // namespace
}  // namespace dockerfix::shell
