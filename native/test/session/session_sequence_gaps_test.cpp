// Lost video frames told from the sequence numbers of what arrived (src/session/sequence_gaps.hpp):
// audio and video share a stream's sequence and audio may overtake queued video at the router
// (PROTOCOL.md sec. 6), so only a number that never arrives is a gap.
#include <gtest/gtest.h>

#include <cstdint>

#include "session/sequence_gaps.hpp"

namespace {

using otc::client::SequenceGaps;

struct Stream {
  SequenceGaps gaps;
  void audio(std::uint32_t n) { gaps.seen(n); }
  bool video(std::uint32_t n) {  // true: arrived after a gap
    gaps.seen(n);
    return gaps.video_after_gap(n);
  }
};

TEST(SessionSequenceGaps, InOrderAudioAndVideoHaveNoGap) {
  Stream s;
  EXPECT_FALSE(s.video(0));  // the first video frame follows nothing
  s.audio(1);
  EXPECT_FALSE(s.video(2));
  EXPECT_FALSE(s.video(3));
  s.audio(4);
  s.audio(5);
  EXPECT_FALSE(s.video(6));
}

TEST(SessionSequenceGaps, AudioThatOvertookVideoIsNoGap) {
  Stream s;
  s.audio(1);  // overtook video 0, before any video arrived
  EXPECT_FALSE(s.video(0));
  s.audio(3);
  s.audio(4);
  EXPECT_FALSE(s.video(2));  // 1 arrived before it
  EXPECT_FALSE(s.video(5));  // 3 and 4 arrived before video 2
}

TEST(SessionSequenceGaps, ANumberThatNeverArrivedIsAGapOnce) {
  Stream s;
  EXPECT_FALSE(s.video(10));
  s.audio(11);
  EXPECT_TRUE(s.video(13)) << "12 never arrived: video or audio, a video frame may be lost";
  EXPECT_FALSE(s.video(14)) << "the gap was reported with the frame after it";
  EXPECT_TRUE(s.video(16));
}

TEST(SessionSequenceGaps, ARepeatAStepBackOrAJumpBeyondTheWindowIsAGap) {
  Stream s;
  EXPECT_FALSE(s.video(100));
  EXPECT_TRUE(s.video(100));
  EXPECT_TRUE(s.video(99));
  EXPECT_FALSE(s.video(100));
  Stream far;
  EXPECT_FALSE(far.video(0));
  for (std::uint32_t n = 1; n <= SequenceGaps::kWindow; ++n) far.audio(n);
  EXPECT_TRUE(far.video(SequenceGaps::kWindow + 1)) << "too far apart to tell";
  Stream near;
  EXPECT_FALSE(near.video(0));
  for (std::uint32_t n = 1; n < SequenceGaps::kWindow; ++n) near.audio(n);
  EXPECT_FALSE(near.video(SequenceGaps::kWindow)) << "every number in between is still remembered";
}

TEST(SessionSequenceGaps, NumbersWrapAround) {
  Stream s;
  EXPECT_FALSE(s.video(0xFFFFFFFEu));
  s.audio(0);  // overtook video 0xFFFFFFFF
  EXPECT_FALSE(s.video(0xFFFFFFFFu));
  EXPECT_FALSE(s.video(1));
  EXPECT_TRUE(s.video(3));
}

TEST(SessionSequenceGaps, ANumberForgottenByTheWindowCountsAsMissing) {
  Stream s;
  EXPECT_FALSE(s.video(0));
  s.audio(1);
  s.audio(2 + SequenceGaps::kWindow);  // the window moves past 1
  EXPECT_TRUE(s.video(2)) << "1 is no longer remembered";
}

}  // namespace
