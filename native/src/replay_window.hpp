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

  // Refuses every counter at or below `floor` from now on: the high-water mark this KID had when
  // its previous window was dropped (eviction, secret expiry), so no frame accepted then can be
  // accepted again (docs/FORMAT.md sec. 5).
  void set_floor(std::uint64_t floor) {
    has_floor_ = true;
    floor_ = floor;
  }

  // The highest counter accepted (the floor when none was accepted since it was set); only
  // meaningful when has_mark().
  bool has_mark() const { return !empty_ || has_floor_; }
  std::uint64_t mark() const { return empty_ ? floor_ : highest_; }

 private:
  bool bit(std::uint64_t ctr) const { return (bits_[(ctr % kSize) / 64] >> (ctr % 64)) & 1u; }
  void set_bit(std::uint64_t ctr) { bits_[(ctr % kSize) / 64] |= std::uint64_t{1} << (ctr % 64); }
  void clear_bit(std::uint64_t ctr) { bits_[(ctr % kSize) / 64] &= ~(std::uint64_t{1} << (ctr % 64)); }

  bool empty_ = true;
  bool has_floor_ = false;
  std::uint64_t floor_ = 0;
  std::uint64_t highest_ = 0;
  std::array<std::uint64_t, kSize / 64> bits_{};
};

}  // namespace otc

#endif
