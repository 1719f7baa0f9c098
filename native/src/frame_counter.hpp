// Sender frame counter of docs/FORMAT.md sec. 4: 0, 1, ... 2^64 - 1, then refused instead of
// wrapping, because a wrapped counter would reuse a (key, nonce) pair.
#ifndef OTC_SRC_FRAME_COUNTER_HPP
#define OTC_SRC_FRAME_COUNTER_HPP

#include <cstdint>
#include <optional>

namespace otc {

class FrameCounter {
 public:
  explicit FrameCounter(std::uint64_t first = 0) : next_(first) {}

  std::optional<std::uint64_t> take() {
    if (exhausted_) return std::nullopt;
    const std::uint64_t value = next_;
    if (next_ == UINT64_MAX) {
      exhausted_ = true;
    } else {
      ++next_;
    }
    return value;
  }

 private:
  std::uint64_t next_;
  bool exhausted_ = false;
};

}  // namespace otc

#endif
