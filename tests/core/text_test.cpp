// The one "did you mean" rule: Levenshtein without case, a third of the
// longer word (at least 2 edits) is still a typo, anything further is not.
#include <gtest/gtest.h>

#include "sim/core/text.hpp"

namespace suanwang {
namespace {

TEST(Text, EditDistanceIgnoresCase) {
  EXPECT_EQ(text::edit_distance("kitten", "sitting"), 3u);
  EXPECT_EQ(text::edit_distance("", "abc"), 3u);
  EXPECT_EQ(text::edit_distance("beijing", "Beijing"), 0u);
  EXPECT_EQ(text::edit_distance("XIAN", "Xian"), 0u);
}

TEST(Text, SuggestsOnlyPlausibleTypos) {
  const std::vector<std::string> keys = {"duration", "seed", "for", "rate"};
  EXPECT_EQ(text::suggest("duraton", keys), "duration");
  EXPECT_EQ(text::suggest("four", keys), "for");     // 1 edit
  EXPECT_EQ(text::suggest("sede", keys), "seed");     // 2 edits: the floor
  EXPECT_EQ(text::suggest("zzzzzzzzzz", keys), "");   // 8 edits of 10
  EXPECT_EQ(text::suggest("x", {}), "");
  // Ties go to the earlier candidate.
  EXPECT_EQ(text::suggest("ab", {"ax", "xb"}), "ax");
}

TEST(Text, DidYouMeanQuotesOrSaysNothing) {
  EXPECT_EQ(text::did_you_mean("Bejing", {"Beijing", "Shanghai"}), " (did you mean 'Beijing'?)");
  EXPECT_EQ(text::did_you_mean("Shangai", {"Beijing", "Shanghai"}, '"'), " (did you mean \"Shanghai\"?)");
  EXPECT_EQ(text::did_you_mean("Ulaanbaatar", {"Beijing", "Shanghai"}), "");
}

TEST(Text, Join) {
  EXPECT_EQ(text::join({"a", "b", "c"}), "a, b, c");
  EXPECT_EQ(text::join({"a"}, ","), "a");
  EXPECT_EQ(text::join({}), "");
}

}  // namespace
}  // namespace suanwang

namespace suanwang {
namespace {

// Result files say their strings are UTF-8: every byte that does not start a
// well-formed sequence becomes U+FFFD, valid text passes unchanged.
TEST(Text, ValidUtf8ReplacesWhatIsNot) {
  const std::string r = "\xEF\xBF\xBD";
  EXPECT_EQ(text::valid_utf8("plain, 算网, \xF0\x9F\x98\x80"), "plain, 算网, \xF0\x9F\x98\x80");
  EXPECT_EQ(text::valid_utf8("\xff"), r);
  EXPECT_EQ(text::valid_utf8("a\x80z"), "a" + r + "z");                // lone continuation
  EXPECT_EQ(text::valid_utf8("\xC0\xAF"), r + r);                     // overlong '/'
  EXPECT_EQ(text::valid_utf8("\xED\xA0\x80"), r + r + r);             // a surrogate
  EXPECT_EQ(text::valid_utf8("\xF4\x90\x80\x80"), r + r + r + r);     // above U+10FFFF
  EXPECT_EQ(text::valid_utf8("\xE7\xAE"), r + r);                     // cut short
  EXPECT_EQ(text::valid_utf8(std::string("a\0b", 3)), "a" + r + "b"); // NUL
  EXPECT_EQ(text::valid_utf8(""), "");
}

// The recorder's fast path: is_valid_utf8(s) exactly when valid_utf8 leaves s as it is.
TEST(Text, IsValidUtf8AgreesWithValidUtf8) {
  const std::string cases[] = {"plain, 算网, \xF0\x9F\x98\x80", "\xff", "a\x80z", "\xC0\xAF", "\xED\xA0\x80",
                               "\xF4\x90\x80\x80", "\xE7\xAE", std::string("a\0b", 3), "", "ascii only",
                               "\xE7\xAE\x97", "z\xE7"};
  for (const std::string& s : cases) EXPECT_EQ(text::is_valid_utf8(s), text::valid_utf8(s) == s) << text::one_line(s);
  std::string all;  // every byte value, alone and after an ASCII letter
  for (int b = 0; b < 256; ++b) {
    const std::string one(1, static_cast<char>(b));
    EXPECT_EQ(text::is_valid_utf8(one), text::valid_utf8(one) == one) << b;
    EXPECT_EQ(text::is_valid_utf8("a" + one), text::valid_utf8("a" + one) == "a" + one) << b;
  }
}

TEST(Text, Utf8PrefixNeverCutsACharacter) {
  EXPECT_EQ(text::utf8_prefix("算网", 6), "算网");
  EXPECT_EQ(text::utf8_prefix("算网", 5), "算");
  EXPECT_EQ(text::utf8_prefix("算网", 2), "");
  EXPECT_EQ(text::utf8_prefix("abc", 10), "abc");
}

}  // namespace
}  // namespace suanwang

namespace suanwang {
namespace {

// The CLI's promise is one line, whatever a Lua error or a file name holds.
TEST(Text, OneLineJoinsLinesAndShowsControlCharacters) {
  EXPECT_EQ(text::one_line("module 'm' not found:\n\tno file 'a'\n\tno file 'b'"),
            "module 'm' not found: no file 'a' no file 'b'");
  EXPECT_EQ(text::one_line("red\x1b[31m bell\a nul" + std::string(1, '\0') + "!"),
            "red\\x1b[31m bell\\x07 nul\\x00!");
  EXPECT_EQ(text::one_line("trailing\r\n"), "trailing");
  EXPECT_EQ(text::one_line("算网 ok"), "算网 ok");
}

}  // namespace
}  // namespace suanwang
