// Error messages quote bad input back: what reaches the terminal is bounded
// and escaped.
#include "core/printable.hpp"

#include <gtest/gtest.h>

#include <string>

using namespace fedhpc;

TEST(TerminalSafe, ControlBytesAreEscapedNewlinesTabsAndUtf8Kept) {
  EXPECT_EQ(terminal_safe("name 'a\x1b[31mb'\tx\ny"), "name 'a\\x1b[31mb'\tx\ny");
  EXPECT_EQ(terminal_safe(std::string("a\0b", 3)), "a\\x00b");
  EXPECT_EQ(terminal_safe("\xc2\xb1 0.5"), "\xc2\xb1 0.5");  // a UTF-8 character passes
  EXPECT_EQ(terminal_safe("\x7f"), "\\x7f");
}

TEST(TerminalSafe, BytesOutsideValidUtf8AreEscaped) {
  EXPECT_EQ(terminal_safe("cp\xe6 x1"), "cp\\xe6 x1");              // a lead byte with no continuation
  EXPECT_EQ(terminal_safe("\xff\xfe"), "\\xff\\xfe");                // never valid
  EXPECT_EQ(terminal_safe("\xc0\xaf"), "\\xc0\\xaf");                // an overlong '/'
  EXPECT_EQ(terminal_safe("\xe2\x82\xac\x80"), "\xe2\x82\xac\\x80");  // the euro sign, then a stray byte
  // A character that would cross the limit is left out whole.
  EXPECT_EQ(terminal_safe("ab\xe2\x82\xac", 4), "ab... (3 more bytes)");
}

TEST(TerminalSafe, EachLineIsCutWithACountOfWhatWasLeftOut) {
  const std::string huge(10'000'000, 'x');
  const std::string out = terminal_safe("found '" + huge + "'\nnext line", 20);
  EXPECT_EQ(out, "found 'xxxxxxxxxxxxx... (9999988 more bytes)\nnext line");
  // An escape that would cross the limit is left out whole.
  EXPECT_EQ(terminal_safe("abc\x01", 5), "abc... (1 more bytes)");
}
