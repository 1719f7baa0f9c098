// The bounded hold buffer of a subscriber (see the header comment of otc/subscriber.h): frames
// that could not be decrypted at arrival wait here, in arrival order, bounded in count, bytes
// and age, to be retried when the secret changes. A plain data structure; the subscriber
// decides what to do with what it pops.
#ifndef OTC_SRC_SESSION_HOLD_BUFFER_HPP
#define OTC_SRC_SESSION_HOLD_BUFFER_HPP

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <vector>

#include "protocol.hpp"

namespace otc::client {

struct HeldFrame {
  std::vector<std::uint8_t> message;  // type byte first
  wire::MediaFrame header;
  std::chrono::steady_clock::time_point arrival;
  bool counted_as_held = false;
  // Already decrypted by a decryption worker (docs/ARCHITECTURE.md, "Receive path"): it waits
  // here only to keep arrival order behind undecryptable frames held before it.
  bool decrypted = false;
  std::vector<std::uint8_t> plain;
  std::size_t plain_len = 0;
};

class HoldBuffer {
 public:
  HoldBuffer(std::size_t max_frames, std::size_t max_bytes, std::chrono::milliseconds max_age)
      : max_frames_(max_frames), max_bytes_(max_bytes), max_age_(max_age) {}

  void push(HeldFrame frame);
  bool empty() const { return frames_.empty(); }
  std::size_t size() const { return frames_.size(); }
  std::size_t bytes() const { return bytes_; }
  HeldFrame& front() { return frames_.front(); }
  HeldFrame pop();
  void clear();

  // Whether the head must leave even if it cannot be decrypted: too old, or the buffer over a bound.
  bool head_must_go(std::chrono::steady_clock::time_point now) const;
  // When the head becomes too old.
  std::chrono::steady_clock::time_point head_deadline() const { return frames_.front().arrival + max_age_; }
  std::chrono::milliseconds max_age() const { return max_age_; }

 private:
  std::size_t max_frames_;
  std::size_t max_bytes_;
  std::chrono::milliseconds max_age_;
  std::deque<HeldFrame> frames_;
  std::size_t bytes_ = 0;
};

}  // namespace otc::client

#endif
