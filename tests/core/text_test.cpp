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
