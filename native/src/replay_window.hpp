// Sliding replay window of docs/FORMAT.md sec. 5.4: the highest accepted counter and a bitmap of
// the 1024 counters ending at it.
#ifndef OTC_SRC_REPLAY_WINDOW_HPP
#define OTC_SRC_REPLAY_WINDOW_HPP

#include <array>
#include <cstddef>
#include <cstdint>

#include "otc/frame_cryptor.h"

namespace otc {

class ReplayWindow {
 public:
  static constexpr std::uint64_t kSize = OTC_FRAME_CRYPTOR_REPLAY_WINDOW;
  static_assert(kSize % 64 == 0, "the bitmap is made of 64-bit words");

  // True when ctr was accepted before or lies more than kSize - 1 below the highest accepted one.
  bool is_replay(std::uint64_t ctr) const;

  // Records ctr as accepted; call only after the frame authenticated and is_replay was false.
  void accept(std::uint64_t ctr);

 private:
  bool bit(std::uint64_t ctr) const { return (bits_[(ctr % kSize) / 64] >> (ctr % 64)) & 1u; }
  void set_bit(std::uint64_t ctr) { bits_[(ctr % kSize) / 64] |= std::uint64_t{1} << (ctr % 64); }
  void clear_bit(std::uint64_t ctr) { bits_[(ctr % kSize) / 64] &= ~(std::uint64_t{1} << (ctr % 64)); }

  bool empty_ = true;
  std::uint64_t highest_ = 0;
  std::array<std::uint64_t, kSize / 64> bits_{};
};

}  // namespace otc

#endif
