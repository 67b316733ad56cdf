// BuildKit's parseWords (ENV, LABEL, ARG), which the parser and the rules
// call on every such instruction: plain runs of bytes are taken at once
// (issue 19), and the quirks at quotes, escapes and the end must stay.
#include <gtest/gtest.h>

#include "grammar/buildkit_words.h"

namespace dockerfix::grammar {
namespace {

using Words = std::vector<std::string>;

TEST(ParseWords, QuotesAndEscapesStayInTheWords) {
  EXPECT_EQ(parse_words("a=1 b=2", '\\'), (Words{"a=1", "b=2"}));
  EXPECT_EQ(parse_words("  KEY=\"a b\"   c='d e'", '\\'), (Words{"KEY=\"a b\"", "c='d e'"}));
  EXPECT_EQ(parse_words("x=a\\ b y", '\\'), (Words{"x=a\\ b", "y"}));
  EXPECT_EQ(parse_words("u=\"\\\"q\\\"\" v", '\\'), (Words{"u=\"\\\"q\\\"\"", "v"}));
  EXPECT_EQ(parse_words("emq=\"\" x", '\\'), (Words{"emq=\"\"", "x"}));
  EXPECT_EQ(parse_words("lone\"open", '\\'), (Words{"lone\"open"}));
}

TEST(ParseWords, AnEscapeIsNothingInSingleQuotesAndAtTheEnd) {
  // In single quotes the escape char is a byte: the quote after it closes them.
  EXPECT_EQ(parse_words("s='it\\'s' t", '\\'), (Words{"s='it\\'s' t"}));
  EXPECT_EQ(parse_words("path=C:\\\\dir q=\\", '\\'), (Words{"path=C:\\\\dir", "q="}));
  EXPECT_EQ(parse_words("end\\", '\\'), (Words{"end"}));
}

TEST(ParseWords, TheEscapeCharIsTheFilesOwn) {
  EXPECT_EQ(parse_words("x=a\\ b y", '`'), (Words{"x=a\\", "b", "y"}));
  EXPECT_EQ(parse_words("path=C:\\\\dir q=\\", '`'), (Words{"path=C:\\\\dir", "q=\\"}));
  EXPECT_EQ(parse_words("x=a` b y", '`'), (Words{"x=a` b", "y"}));
  EXPECT_EQ(parse_words("end`", '`'), (Words{"end"}));
}

TEST(ParseWords, UnicodeSpacesSplitAndOtherRunesStay) {
  EXPECT_EQ(parse_words("tab\tsep\nnl", '\\'), (Words{"tab", "sep", "nl"}));
  EXPECT_EQ(parse_words("nb\xc2\xa0sp", '\\'), (Words{"nb", "sp"}));          // U+00A0
  EXPECT_EQ(parse_words("em\xe2\x80\x83sp", '\\'), (Words{"em", "sp"}));      // U+2003
  EXPECT_EQ(parse_words("caf\xc3\xa9=\xff x", '\\'), (Words{"caf\xc3\xa9=\xff", "x"}));  // é, an invalid byte
}

}  // namespace
}  // namespace dockerfix::grammar
