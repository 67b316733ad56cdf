// check's full text layout piece by piece (issue 18): display columns of a
// source line (tabs, wide and combining characters, escapes), the lines of a
// file (CRLF), which fixes show as a one-line diff, windows over long lines,
// and findings with no line or no text at hand. tests/cli_text_output.sh
// runs the same through the CLI over real-shaped Dockerfiles.
#include <gtest/gtest.h>

#include "cli/display_text.h"
#include "cli/finding_text.h"
#include "cli/source_snippet.h"

namespace dockerfix::cli {
namespace {

std::string shown(std::string_view line) {
  DisplayLine d = lay_out(line);
  return d.slice(0, d.width);
}

TEST(DisplayText, TabsExpandToTheNextMultipleOfEight) {
  DisplayLine d = lay_out("a\tb\t\tc");
  EXPECT_EQ(d.column_of(2), 8u);   // b
  EXPECT_EQ(d.column_of(5), 24u);  // c, after a tab from 9 and one from 16
  EXPECT_EQ(d.width, 25u);
  EXPECT_EQ(shown("\tx"), "        x");
  EXPECT_EQ(lay_out("1234567\tx").column_of(8), 8u);  // a tab at column 7 takes one column
}

TEST(DisplayText, WideAndCombiningCharactersTakeTheirColumns) {
  // 構 (3 bytes, 2 columns), e + U+0301 (combining, 0 columns), 🚀 (4 bytes, 2 columns).
  DisplayLine d = lay_out("\xe6\xa7\x8bx" "e\xcc\x81y" "\xf0\x9f\x9a\x80z");
  EXPECT_EQ(d.column_of(3), 2u);   // x
  EXPECT_EQ(d.column_of(7), 4u);   // y: e is one column, the accent none
  EXPECT_EQ(d.column_of(12), 7u);  // z
  EXPECT_EQ(d.column_of(1), 0u);   // inside 構: its column
  EXPECT_EQ(d.column_of(99), d.width);
  EXPECT_EQ(d.width, 8u);
}

TEST(DisplayText, WhatATerminalWouldActOnIsEscaped) {
  EXPECT_EQ(shown("a\x1b[2Jb"), "a<U+001B>[2Jb");
  EXPECT_EQ(shown("x\ry\x7f"), "x<U+000D>y<U+007F>");
  EXPECT_EQ(shown("\xc2\x85"), "<U+0085>");                     // C1 control (NEL)
  EXPECT_EQ(shown("ab\xe2\x80\xae" "cd"), "ab<U+202E>cd");      // right-to-left override
  EXPECT_EQ(shown("\xe2\x81\xa6x\xe2\x81\xa9"), "<U+2066>x<U+2069>");
  EXPECT_EQ(shown("ok\xff\xc3("), "ok\\xFF\\xC3(");            // not UTF-8
  // An escape is as wide as it is written, so carets after it line up.
  EXPECT_EQ(lay_out("\x1b" "x").column_of(1), 8u);
  EXPECT_EQ(escape_controls("app\x1b[2J\tx"), "app<U+001B>[2J\tx");
  EXPECT_EQ(escape_controls("Jos\xc3\xa9 \xe6\xa7\x8b"), "Jos\xc3\xa9 \xe6\xa7\x8b");  // printable UTF-8 stays
}

TEST(DisplayText, AByteOrderMarkIsNoCharacterOfTheFirstLine) {
  DisplayLine d = lay_out("\xef\xbb\xbf" "FROM x", true);
  EXPECT_EQ(d.slice(0, d.width), "FROM x");
  EXPECT_EQ(d.column_of(3), 0u);
}

TEST(DisplayText, SlicesKeepWholeCharacters) {
  DisplayLine d = lay_out("ab\xe6\xa7\x8b" "cd");  // 構 at columns 2-3
  EXPECT_EQ(d.slice(0, 3), "ab");                  // half of 構 is not shown
  EXPECT_EQ(d.slice(2, 6), "\xe6\xa7\x8b" "cd");
  EXPECT_EQ(lay_out("e\xcc\x81x").slice(0, 1), "e\xcc\x81");  // the accent goes with its letter
}

TEST(SourceLines, LinesWithoutTheirEndings) {
  SourceLines crlf("FROM a\r\nRUN b\r\n\r\nUSER c");
  EXPECT_EQ(crlf.count(), 4);
  EXPECT_EQ(crlf.line(1), "FROM a");
  EXPECT_EQ(crlf.line(2), "RUN b");
  EXPECT_EQ(crlf.line(3), "");
  EXPECT_EQ(crlf.line(4), "USER c");
  EXPECT_EQ(crlf.line(5), "");
  EXPECT_EQ(crlf.start(2), 8u);
  EXPECT_EQ(crlf.line_of(9), 2);
  SourceLines lf("FROM a\n");
  EXPECT_EQ(lf.count(), 1);
  EXPECT_EQ(lf.line_of(7), 2);  // just past the final newline: where an appended line goes
  EXPECT_EQ(SourceLines("").count(), 0);
}

fix::Edit edit(uint32_t begin, uint32_t end, std::string text) { return {{begin, end}, std::move(text)}; }

TEST(OneLineChange, AnEditInsideALine) {
  SourceLines src("FROM debian:12\nRUN curl -o x https://x\nUSER app\n");
  auto c = one_line_change(src, {edit(38, 38, " --retry 3")});
  ASSERT_TRUE(c);
  EXPECT_EQ(c->line, 2);
  EXPECT_EQ(c->before, "RUN curl -o x https://x");
  EXPECT_EQ(c->after, "RUN curl -o x https://x --retry 3");
  c = one_line_change(src, {edit(23, 23, " --retry 3")});
  ASSERT_TRUE(c);
  EXPECT_EQ(c->after, "RUN curl --retry 3 -o x https://x");
}

TEST(OneLineChange, AWholeLineInsertedOrAppended) {
  SourceLines src("FROM node:20\nEXPOSE 3000\nCMD [\"node\"]\n");
  auto c = one_line_change(src, {edit(13, 13, "USER node\n")});  // before EXPOSE
  ASSERT_TRUE(c);
  EXPECT_EQ(c->line, 2);
  EXPECT_FALSE(c->before);
  EXPECT_EQ(c->after, "USER node");
  c = one_line_change(src, {edit(38, 38, "USER node\n")});  // at the end
  ASSERT_TRUE(c);
  EXPECT_EQ(c->line, 4);
  EXPECT_EQ(c->after, "USER node");
  SourceLines no_newline("FROM a\nCMD x");
  c = one_line_change(no_newline, {edit(12, 12, "\nUSER a")});
  ASSERT_TRUE(c);
  EXPECT_EQ(c->line, 3);
  EXPECT_FALSE(c->before);
  EXPECT_EQ(c->after, "USER a");
}

TEST(OneLineChange, ADeletedLineAndCrlf) {
  SourceLines src("FROM a\r\nMAINTAINER x\r\nCMD y\r\n");
  auto c = one_line_change(src, {edit(8, 22, "")});
  ASSERT_TRUE(c);
  EXPECT_EQ(c->line, 2);
  EXPECT_EQ(c->before, "MAINTAINER x");
  EXPECT_FALSE(c->after);
  c = one_line_change(src, {edit(8, 19, "LABEL maintainer=")});
  ASSERT_TRUE(c);
  EXPECT_EQ(c->before, "MAINTAINER x");  // no \r shown
  EXPECT_EQ(c->after, "LABEL maintainer=x");
}

TEST(OneLineChange, MoreThanOneLineIsNotShownAsOne) {
  SourceLines src("FROM a\nRUN apt-get update\nUSER app\n");
  // USER root before the RUN and USER app after it: three lines for one.
  EXPECT_FALSE(one_line_change(src, {edit(7, 7, "USER root\n"), edit(26, 26, "USER app\n")}));
  EXPECT_FALSE(one_line_change(src, {edit(7, 7, "RUN a\nRUN b\n")}));
  EXPECT_FALSE(one_line_change(src, {}));
  EXPECT_FALSE(one_line_change(src, {edit(7, 99, "x")}));  // past the end: not ours to show
}

fix::Finding finding(std::string rule, int line, int column, Span span) {
  fix::Finding f;
  f.rule = std::move(rule);
  f.message = "a message";
  f.line = line;
  f.column = column;
  f.span = span;
  // What the engine sets: the rule's severity.
  if (const fix::RuleInfo* r = fix::find_rule(f.rule)) f.severity = r->severity;
  return f;
}

TEST(FullLayout, CaretUnderTheSpanAndTheFixAsADiff) {
  const std::string text = "FROM debian:12\nRUN\tcurl -o x https://x\n";
  SourceLines src(text);
  fix::Finding f = finding("network-retry", 2, 5, {19, 23});
  f.fix = {edit(23, 23, " --retry 3")};
  f.will_fix = true;
  EXPECT_EQ(finding_text("Dockerfile", f, TextLayout{}, &src),
            "Dockerfile:2:5 network-retry a message [*] (info)\n"
            "  |\n"
            "2 | RUN     curl -o x https://x\n"
            "  |         ^~~~\n"
            "  = fix available: dockerfix apply\n"
            "2 - RUN     curl -o x https://x\n"
            "2 + RUN     curl --retry 3 -o x https://x\n"
            "\n");
  // Concise: the one line, as before.
  EXPECT_EQ(finding_text("Dockerfile", f, TextLayout{.full = false}, &src), finding_text("Dockerfile", f, false));
}

TEST(FullLayout, UnsafeAndLongFixesNameTheirCommand) {
  SourceLines src("FROM a\nRUN apt-get update\n");
  fix::Finding f = finding("healthcheck", 2, 1, {7, 10});
  f.applicability = fix::Applicability::Unsafe;
  f.fix = {edit(7, 7, "USER root\n"), edit(26, 26, "USER app\n")};
  std::string out = finding_text("D", f, TextLayout{}, &src);
  EXPECT_NE(out.find("  = unsafe fix available: dockerfix apply --unsafe-fixes (dockerfix diff --unsafe-fixes shows it)\n"),
            std::string::npos)
      << out;
  EXPECT_EQ(out.find(" + "), std::string::npos) << out;
  // Shown once other fixes are made, in a run with --unsafe-fixes: made by apply with that flag.
  fix::Finding later = finding("copy-chown", 2, 1, {7, 10});
  later.after_other_fixes = true;
  later.will_fix = true;
  out = finding_text("D", later, TextLayout{.unsafe_fixes = true}, &src);
  EXPECT_NE(out.find("  = fix available: dockerfix apply --unsafe-fixes (dockerfix diff --unsafe-fixes shows it)\n"),
            std::string::npos)
      << out;
  out = finding_text("D", later, TextLayout{}, &src);
  EXPECT_NE(out.find("  = fix available: dockerfix apply (dockerfix diff shows it)\n"), std::string::npos) << out;
}

TEST(FullLayout, NoLineOrNoTextMeansNoSourceLine) {
  SourceLines src("FROM a\n");
  fix::Finding whole_file = finding("nonroot-final-user", 0, 0, {0, 0});
  EXPECT_EQ(finding_text("D", whole_file, TextLayout{}, &src), "D:0:0 nonroot-final-user a message (warning)\n\n");
  fix::Finding past_end = finding("nonroot-final-user", 7, 1, {0, 0});
  EXPECT_EQ(finding_text("D", past_end, TextLayout{}, &src), "D:7:1 nonroot-final-user a message (warning)\n\n");
  // A Helm template's finding: its text is not at hand.
  fix::Finding in_template = finding("k8s-container-hardening", 1, 1, {0, 0});
  in_template.will_fix = true;
  EXPECT_EQ(finding_text("t.yaml", in_template, TextLayout{}, nullptr),
            "t.yaml:1:1 k8s-container-hardening a message [*] (warning)\n"
            "  = fix available: dockerfix apply (dockerfix diff shows it)\n\n");
}

TEST(FullLayout, LongLinesAreCutAroundTheCaret) {
  std::string line = "RUN " + std::string(200, 'a') + " && curl -o x https://x " + std::string(200, 'b');
  SourceLines src("FROM a\n" + line + "\n");
  const auto at = static_cast<uint32_t>(line.find("curl"));
  fix::Finding f = finding("network-retry", 2, static_cast<int>(at) + 1, {7 + at, 7 + at + 4});
  std::string out = finding_text("D", f, TextLayout{.width = 60}, &src);
  // "2 | ...aaaa && curl -o x https://x bbb...": 60 columns, the caret under curl.
  std::vector<std::string> lines;
  for (size_t pos = 0, nl; (nl = out.find('\n', pos)) != std::string::npos; pos = nl + 1) lines.push_back(out.substr(pos, nl - pos));
  ASSERT_GE(lines.size(), 4u) << out;
  const std::string& source_line = lines[2];
  const std::string& caret_line = lines[3];
  EXPECT_EQ(source_line.size(), 60u) << out;
  EXPECT_TRUE(source_line.starts_with("2 | ...a")) << out;
  EXPECT_TRUE(source_line.ends_with("b...")) << out;
  EXPECT_EQ(caret_line.find('^'), source_line.find("curl")) << out;
  EXPECT_EQ(caret_line.substr(caret_line.find('^')), "^~~~");
}

TEST(FullLayout, ColourPaintsButAddsNothingElse) {
  SourceLines src("FROM a\nRUN curl -o x https://x\n");
  fix::Finding f = finding("root-for-privileged-steps", 2, 1, {7, 10});
  f.fix = {edit(10, 10, " x")};
  f.will_fix = true;
  std::string plain = finding_text("D", f, TextLayout{}, &src);
  std::string painted = finding_text("D", f, TextLayout{.color = true}, &src);
  EXPECT_EQ(plain.find('\x1b'), std::string::npos);
  EXPECT_NE(painted.find("\x1b[1;31m^~~\x1b[0m"), std::string::npos) << painted;  // an error's caret: red
  EXPECT_NE(painted.find("\x1b[31m- RUN curl"), std::string::npos) << painted;
  EXPECT_NE(painted.find("\x1b[32m+ RUN x curl"), std::string::npos) << painted;
  std::string stripped;
  for (size_t i = 0; i < painted.size(); ++i) {
    if (painted[i] == '\x1b') {
      i = painted.find('m', i);
      continue;
    }
    stripped += painted[i];
  }
  EXPECT_EQ(stripped, plain);
  // The caret's colour is the finding's own severity (a config's override, `# check=error=true`).
  f.severity = fix::Severity::Warning;
  painted = finding_text("D", f, TextLayout{.color = true}, &src);
  EXPECT_NE(painted.find("\x1b[1;33m^~~\x1b[0m"), std::string::npos) << painted;
}

TEST(FullLayout, MessagesCannotDriveTheTerminal) {
  fix::Finding f = finding("copy-chown", 0, 0, {});
  f.message = "runs as app\x1b[2J";
  EXPECT_EQ(finding_text("D\x1b]0;x\x07", f, TextLayout{}, nullptr),
            "D<U+001B>]0;x<U+0007>:0:0 copy-chown runs as app<U+001B>[2J (warning)\n\n");
  // Nor in the concise form, which also stays one line a finding.
  f.message = "runs as app\x1b[2J";
  f.no_fix_reason = "no user\nnamed x";
  EXPECT_EQ(finding_text("dir\r\nD", f, TextLayout{.full = false}, nullptr),
            "dir<U+000D><U+000A>D:0:0 copy-chown runs as app<U+001B>[2J (no fix: no user<U+000A>named x) (warning)\n");
}

TEST(Summary, CountsFilesAndWhatMakesTheFixes) {
  TextLayout full;
  EXPECT_EQ(summary_text(full, 0, 0, 0, 0), "");
  EXPECT_EQ(summary_text(full, 1, 1, 1, 0), "Found 1 finding in 1 file (1 fixable with dockerfix apply)\n");
  EXPECT_EQ(summary_text(full, 5, 2, 2, 3),
            "Found 5 findings in 2 files (2 fixable with dockerfix apply; 3 more with dockerfix apply --unsafe-fixes)\n");
  EXPECT_EQ(summary_text(full, 4, 3, 0, 2), "Found 4 findings in 3 files (2 fixable with dockerfix apply --unsafe-fixes)\n");
  EXPECT_EQ(summary_text(full, 2, 1, 0, 0), "Found 2 findings in 1 file (none fixable)\n");
  EXPECT_EQ(summary_text(TextLayout{.unsafe_fixes = true}, 3, 1, 3, 0),
            "Found 3 findings in 1 file (3 fixable with dockerfix apply --unsafe-fixes)\n");
  EXPECT_EQ(summary_text(TextLayout{.full = false}, 5, 2, 2, 3), summary_text(5, 2, 3));
  EXPECT_EQ(summary_text(TextLayout{.full = false}, 0, 0, 0, 0), "");
}

}  // namespace
}  // namespace dockerfix::cli
