#include "replay_window.hpp"

namespace otc {

bool ReplayWindow::is_replay(std::uint64_t ctr) const {
  if (has_floor_ && ctr <= floor_) return true;
  if (empty_ || ctr > highest_) return false;
  if (highest_ - ctr >= kSize) return true;
  return bit(ctr);
}

void ReplayWindow::accept(std::uint64_t ctr) {
  if (empty_) {
    empty_ = false;
    highest_ = ctr;
    bits_.fill(0);
    set_bit(ctr);
    return;
  }
  if (ctr > highest_) {
    const std::uint64_t advance = ctr - highest_;
    if (advance >= kSize) {
      bits_.fill(0);
    } else {
      // The slots of the counters the window slides over are reused (indices are ctr mod kSize)
      // and must not keep the marks of counters kSize below them.
      for (std::uint64_t c = highest_ + 1; c != ctr; ++c) clear_bit(c);
    }
    highest_ = ctr;
  }
  set_bit(ctr);
}

}  // namespace otc
