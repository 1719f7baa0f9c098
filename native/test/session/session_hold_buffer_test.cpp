// The subscriber's hold buffer: frames leave in arrival order, and the head must leave when the
// buffer is over its count or byte bound or the head is older than the hold limit.
#include <gtest/gtest.h>

#include <chrono>

#include "session/hold_buffer.hpp"

using otc::client::HeldFrame;
using otc::client::HoldBuffer;
using Clock = std::chrono::steady_clock;

namespace {

HeldFrame frame(size_t bytes, Clock::time_point at, uint32_t seq) {
  HeldFrame f;
  f.message.assign(bytes, 0);
  f.header.sequence = seq;
  f.arrival = at;
  return f;
}

}  // namespace

TEST(SessionHoldBuffer, KeepsArrivalOrderAndCountsBytes) {
  HoldBuffer b(4, 1000, std::chrono::milliseconds(100));
  const auto t = Clock::now();
  b.push(frame(10, t, 1));
  b.push(frame(20, t, 2));
  EXPECT_EQ(b.size(), 2u);
  EXPECT_EQ(b.bytes(), 30u);
  EXPECT_EQ(b.pop().header.sequence, 1u);
  EXPECT_EQ(b.bytes(), 20u);
  EXPECT_EQ(b.pop().header.sequence, 2u);
  EXPECT_TRUE(b.empty());
  EXPECT_EQ(b.bytes(), 0u);
}

TEST(SessionHoldBuffer, HeadMustGoWhenTooOld) {
  HoldBuffer b(4, 1000, std::chrono::milliseconds(100));
  const auto t = Clock::now();
  b.push(frame(10, t, 1));
  EXPECT_FALSE(b.head_must_go(t + std::chrono::milliseconds(99)));
  EXPECT_TRUE(b.head_must_go(t + std::chrono::milliseconds(100)));
  EXPECT_EQ(b.head_deadline(), t + std::chrono::milliseconds(100));
}

TEST(SessionHoldBuffer, HeadMustGoWhenOverTheCountBound) {
  HoldBuffer b(2, 1000, std::chrono::milliseconds(100));
  const auto t = Clock::now();
  b.push(frame(1, t, 1));
  b.push(frame(1, t, 2));
  EXPECT_FALSE(b.head_must_go(t));
  b.push(frame(1, t, 3));
  EXPECT_TRUE(b.head_must_go(t));
  b.pop();
  EXPECT_FALSE(b.head_must_go(t));
}

TEST(SessionHoldBuffer, HeadMustGoWhenOverTheByteBound) {
  HoldBuffer b(100, 100, std::chrono::milliseconds(100));
  const auto t = Clock::now();
  b.push(frame(60, t, 1));
  EXPECT_FALSE(b.head_must_go(t));
  b.push(frame(41, t, 2));
  EXPECT_TRUE(b.head_must_go(t));
  b.pop();
  EXPECT_FALSE(b.head_must_go(t));
}

TEST(SessionHoldBuffer, AZeroHoldLimitReleasesAtOnce) {
  HoldBuffer b(100, 100, std::chrono::milliseconds(0));
  const auto t = Clock::now();
  b.push(frame(1, t, 1));
  EXPECT_TRUE(b.head_must_go(t));
  b.clear();
  EXPECT_TRUE(b.empty());
  EXPECT_FALSE(b.head_must_go(t));
}
