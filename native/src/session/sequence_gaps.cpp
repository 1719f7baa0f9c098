#include "sequence_gaps.hpp"

namespace otc::client {

namespace {
// a - b as a signed distance on the 2^32 circle.
std::int64_t ahead(std::uint32_t a, std::uint32_t b) { return static_cast<std::int32_t>(a - b); }
}  // namespace

void SequenceGaps::seen(std::uint32_t sequence) {
  const std::int64_t d = any_ ? ahead(sequence, highest_) : 0;
  if (!any_ || d >= static_cast<std::int64_t>(kWindow)) {
    ring_.reset();
    highest_ = sequence;
    any_ = true;
  } else if (d > 0) {
    // The window moves forward: the numbers it now covers have not arrived (yet).
    for (std::uint32_t n = highest_ + 1; n != sequence; ++n) ring_.reset(n % kWindow);
    highest_ = sequence;
  } else if (-d >= static_cast<std::int64_t>(kWindow)) {
    return;  // older than the window remembers
  }
  ring_.set(sequence % kWindow);
}

bool SequenceGaps::arrived(std::uint32_t sequence) const {
  const std::int64_t behind = ahead(highest_, sequence);
  return any_ && behind >= 0 && behind < static_cast<std::int64_t>(kWindow) && ring_.test(sequence % kWindow);
}

bool SequenceGaps::video_after_gap(std::uint32_t sequence) {
  bool gap = false;
  if (have_video_) {
    const std::int64_t d = ahead(sequence, last_video_);
    if (d <= 0 || d > static_cast<std::int64_t>(kWindow)) {
      gap = true;  // a repeat, a step back, or too far to tell
    } else {
      for (std::uint32_t n = last_video_ + 1; n != sequence; ++n) {
        if (!arrived(n)) {
          gap = true;
          break;
        }
      }
    }
  }
  have_video_ = true;
  last_video_ = sequence;
  return gap;
}

}  // namespace otc::client
