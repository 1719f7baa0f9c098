// Internal building blocks whose edge cases the C API cannot reach in reasonable time: counter
// exhaustion at 2^64 - 1, window arithmetic near the top of the counter range, LRU eviction.
#include <gtest/gtest.h>

#include "cipher_suite.hpp"
#include "evicted_marks.hpp"
#include "frame_counter.hpp"
#include "otc/cipher_suite.h"
#include "receive_table.hpp"
#include "replay_window.hpp"
#include "sframe_key.hpp"

namespace {

TEST(FrameCounter, CountsFromZeroAndRefusesToWrap) {
  otc::FrameCounter fresh;
  EXPECT_EQ(fresh.take(), 0u);
  EXPECT_EQ(fresh.take(), 1u);
  otc::FrameCounter near_end(UINT64_MAX - 1);
  EXPECT_EQ(near_end.take(), UINT64_MAX - 1);
  EXPECT_EQ(near_end.take(), UINT64_MAX);
  EXPECT_FALSE(near_end.take().has_value());
  EXPECT_FALSE(near_end.take().has_value());
}

TEST(ReplayWindow, SlidesAndRemembers) {
  otc::ReplayWindow w;
  EXPECT_FALSE(w.is_replay(0));
  w.accept(0);
  EXPECT_TRUE(w.is_replay(0));
  w.accept(2000);
  EXPECT_FALSE(w.is_replay(977));   // 2000 - 1023
  EXPECT_TRUE(w.is_replay(976));    // 2000 - 1024
  // Slot 2000 % 1024 was 976's: the slide cleared it, so 977..1999 are all fresh.
  for (std::uint64_t c = 977; c < 2000; ++c) ASSERT_FALSE(w.is_replay(c)) << c;
  w.accept(1500);
  w.accept(2001);
  EXPECT_TRUE(w.is_replay(1500));
  EXPECT_TRUE(w.is_replay(2001));
  EXPECT_FALSE(w.is_replay(1499));
}

TEST(ReplayWindow, StepByOneKeepsOnlyTheLastWindow) {
  otc::ReplayWindow w;
  for (std::uint64_t c = 0; c < 3000; ++c) {
    ASSERT_FALSE(w.is_replay(c));
    w.accept(c);
  }
  for (std::uint64_t c = 0; c < 3000; ++c) ASSERT_TRUE(w.is_replay(c)) << c;
  EXPECT_FALSE(w.is_replay(3000));
}

TEST(ReplayWindow, WorksAtTheTopOfTheCounterRange) {
  otc::ReplayWindow w;
  w.accept(UINT64_MAX - 5);
  w.accept(UINT64_MAX);
  EXPECT_TRUE(w.is_replay(UINT64_MAX));
  EXPECT_TRUE(w.is_replay(UINT64_MAX - 5));
  EXPECT_FALSE(w.is_replay(UINT64_MAX - 4));
  EXPECT_TRUE(w.is_replay(UINT64_MAX - 1024));
  EXPECT_FALSE(w.is_replay(UINT64_MAX - 1023));
}

std::unique_ptr<otc::ReceiveEntry> entry(std::uint64_t kid) {
  const std::uint8_t base[16] = {1};
  auto key = otc::SframeKey::derive(*otc::find_cipher_suite(OTC_CIPHER_SUITE_AES_128_GCM_SHA256_128), kid, base, 16);
  return std::make_unique<otc::ReceiveEntry>(std::move(key), 1);
}

TEST(ReceiveTable, EvictsTheLeastRecentlyUsedSenderWhenFull) {
  otc::ReceiveTable table;
  for (std::uint64_t kid = 0; kid < otc::ReceiveTable::kMaxEntries; ++kid) table.insert(kid, entry(kid));
  EXPECT_EQ(table.size(), otc::ReceiveTable::kMaxEntries);
  // Touch 0, so 1 becomes the least recently used.
  EXPECT_TRUE(table.with_entry(0, [](otc::ReceiveEntry&) {}));
  table.insert(5000, entry(5000));
  EXPECT_EQ(table.size(), otc::ReceiveTable::kMaxEntries);
  EXPECT_TRUE(table.contains(0));
  EXPECT_FALSE(table.contains(1));
  EXPECT_TRUE(table.contains(5000));
  EXPECT_FALSE(table.with_entry(1, [](otc::ReceiveEntry&) {}));
}

TEST(ReceiveTable, RetainOnlyDropsEntriesOfForgottenSecrets) {
  otc::ReceiveTable table;
  const std::uint8_t base[16] = {1};
  const auto& suite = *otc::find_cipher_suite(OTC_CIPHER_SUITE_AES_128_GCM_SHA256_128);
  table.insert(1, std::make_unique<otc::ReceiveEntry>(otc::SframeKey::derive(suite, 1, base, 16), 7));
  table.insert(2, std::make_unique<otc::ReceiveEntry>(otc::SframeKey::derive(suite, 2, base, 16), 8));
  std::array<std::uint64_t, otc::kMaxCandidates> held{};
  held[0] = 8;
  table.retain_only(held, 1);
  EXPECT_FALSE(table.contains(1));
  EXPECT_TRUE(table.contains(2));
}

TEST(ReceiveTable, EvictionAndPurgeRememberTheHighWaterMark) {
  otc::ReceiveTable table;
  auto first = entry(1);
  first->window.accept(41);
  first->window.accept(40);
  table.insert(1, std::move(first));
  for (std::uint64_t kid = 2; kid <= otc::ReceiveTable::kMaxEntries + 1; ++kid) table.insert(kid, entry(kid));
  EXPECT_FALSE(table.contains(1));
  EXPECT_EQ(table.evicted_mark(1), std::optional<std::uint64_t>(41));
  // Back in the table: the mark becomes the window's floor.
  auto again = entry(1);
  again->window.accept(50);
  table.insert(1, std::move(again));
  EXPECT_FALSE(table.evicted_mark(1).has_value());
  EXPECT_TRUE(table.with_entry(1, [](otc::ReceiveEntry& e) {
    EXPECT_TRUE(e.window.is_replay(41));
    EXPECT_TRUE(e.window.is_replay(30));
    EXPECT_FALSE(e.window.is_replay(45));
  }));
}

TEST(EvictedMarks, ForgetsTheOldestBeyondItsBoundAndRaisesMarks) {
  otc::EvictedMarks marks;
  marks.remember(7, 10);
  marks.remember(7, 5);
  EXPECT_EQ(marks.find(7), std::optional<std::uint64_t>(10));
  for (std::uint64_t kid = 100; kid < 100 + otc::EvictedMarks::kMaxMarks; ++kid) marks.remember(kid, kid);
  EXPECT_EQ(marks.size(), otc::EvictedMarks::kMaxMarks);
  EXPECT_FALSE(marks.find(7).has_value());
  EXPECT_EQ(marks.forgotten(), 1u);
  // Taking and re-remembering churns without growing.
  for (int round = 0; round < 5; ++round) {
    for (std::uint64_t kid = 100; kid < 100 + otc::EvictedMarks::kMaxMarks; ++kid) {
      ASSERT_TRUE(marks.take(kid).has_value());
      marks.remember(kid, kid + 1);
    }
  }
  EXPECT_EQ(marks.size(), otc::EvictedMarks::kMaxMarks);
  EXPECT_EQ(marks.forgotten(), 1u);
}

}  // namespace
