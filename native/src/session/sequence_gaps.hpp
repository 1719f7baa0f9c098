// Whether a stream lost a video frame, from the sequence numbers of what arrived. A stream's audio
// and video share one sequence (PROTOCOL.md sec. 4), and the router lets an audio frame overtake
// queued video (sec. 6), so "not the next number" is no evidence of loss: a video frame follows a
// gap only if some number between it and the previous video frame never arrived, before or after.
// Numbers are remembered for the last kWindow of them; anything farther apart counts as a gap.
// A lost audio frame in between looks the same as a lost video frame (the numbers cannot tell):
// one needless keyframe request, only when audio is being lost anyway. Not thread-safe.
#ifndef OTC_SRC_SESSION_SEQUENCE_GAPS_HPP
#define OTC_SRC_SESSION_SEQUENCE_GAPS_HPP

#include <bitset>
#include <cstdint>

namespace otc::client {

class SequenceGaps {
 public:
  static constexpr std::uint32_t kWindow = 1024;

  // Any frame of the stream, audio or video, as it arrives.
  void seen(std::uint32_t sequence);
  // A video frame that arrived (after seen()): true when a number since the previous video frame
  // is missing. The first video frame of the stream follows no gap.
  bool video_after_gap(std::uint32_t sequence);

 private:
  bool arrived(std::uint32_t sequence) const;

  bool any_ = false;
  std::uint32_t highest_ = 0;        // the newest number seen (modulo 2^32)
  std::bitset<kWindow> ring_;        // bit n % kWindow: n arrived, for n in (highest_ - kWindow, highest_]
  bool have_video_ = false;
  std::uint32_t last_video_ = 0;
};

}  // namespace otc::client

#endif
