// DatasetCache: hit/miss accounting, LRU eviction, pins and pending copies.
#include <gtest/gtest.h>

#include "sim/engine/dataset_cache.hpp"

namespace suanwang::engine {
namespace {

constexpr double kGB = 1e9;
using State = DatasetCache::State;

// A job asking for `d` the way the data plane does: touch, then reserve and
// land a copy when absent. True when it was a hit.
bool ask(DatasetCache& c, int d, double size_B) {
  c.touch(d);
  if (c.state(d) == State::present) return true;
  if (c.state(d) == State::absent && c.reserve(d, size_B)) c.arrived(d);
  return false;
}

TEST(DatasetCache, LeastRecentlyUsedGoesFirst) {
  DatasetCache c(250 * kGB);
  // 1, 2 fill 200 GB; 1 again is a hit and becomes the most recent; 3 needs
  // room: 2 (least recent) goes; 2 again evicts 1; then 1 evicts 3.
  EXPECT_FALSE(ask(c, 1, 100 * kGB));
  EXPECT_FALSE(ask(c, 2, 100 * kGB));
  EXPECT_TRUE(ask(c, 1, 100 * kGB));
  EXPECT_FALSE(ask(c, 3, 100 * kGB));
  EXPECT_EQ(c.state(2), State::absent);
  EXPECT_EQ(c.present(), (std::vector<int>{3, 1}));
  EXPECT_FALSE(ask(c, 2, 100 * kGB));
  EXPECT_EQ(c.present(), (std::vector<int>{2, 3}));
  EXPECT_FALSE(ask(c, 1, 100 * kGB));
  EXPECT_EQ(c.present(), (std::vector<int>{1, 2}));
  EXPECT_EQ(c.hits(), 1u);
  EXPECT_EQ(c.misses(), 5u);
  EXPECT_EQ(c.evictions(), 3u);
  EXPECT_DOUBLE_EQ(c.used_B(), 200 * kGB);
}

TEST(DatasetCache, PinnedAndPendingDatasetsAreNeverEvicted) {
  DatasetCache c(150 * kGB);
  c.touch(1);
  ASSERT_TRUE(c.reserve(1, 100 * kGB));
  EXPECT_EQ(c.state(1), State::pending);
  // While 1 is on its way, 2 cannot take its room.
  EXPECT_FALSE(c.reserve(2, 100 * kGB));
  c.arrived(1);
  c.pin(1);  // a running job uses it
  EXPECT_FALSE(c.reserve(2, 100 * kGB));
  EXPECT_EQ(c.state(1), State::present);
  EXPECT_EQ(c.evictions(), 0u);
  c.unpin(1);
  EXPECT_TRUE(c.reserve(2, 100 * kGB));
  EXPECT_EQ(c.state(1), State::absent);
  EXPECT_EQ(c.evictions(), 1u);
}

TEST(DatasetCache, AnAbandonedCopyFreesItsRoom) {
  DatasetCache c(100 * kGB);
  ASSERT_TRUE(c.reserve(1, 60 * kGB));
  EXPECT_DOUBLE_EQ(c.free_B(), 40 * kGB);
  c.abandoned(1);
  EXPECT_EQ(c.state(1), State::absent);
  EXPECT_DOUBLE_EQ(c.used_B(), 0);
  EXPECT_TRUE(c.reserve(2, 100 * kGB));
}

TEST(DatasetCache, ADatasetLargerThanTheCacheIsNeverCached) {
  DatasetCache c(100 * kGB);
  ASSERT_TRUE(c.reserve(1, 50 * kGB));
  c.arrived(1);
  EXPECT_FALSE(c.reserve(2, 101 * kGB));
  EXPECT_EQ(c.state(1), State::present);  // nothing changed
  DatasetCache none(0);
  EXPECT_FALSE(none.reserve(1, 1));
}

}  // namespace
}  // namespace suanwang::engine
