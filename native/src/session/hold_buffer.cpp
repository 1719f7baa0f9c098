#include "hold_buffer.hpp"

namespace otc::client {

void HoldBuffer::push(HeldFrame frame) {
  bytes_ += frame.message.size();
  frames_.push_back(std::move(frame));
}

HeldFrame HoldBuffer::pop() {
  HeldFrame f = std::move(frames_.front());
  frames_.pop_front();
  bytes_ -= f.message.size();
  return f;
}

void HoldBuffer::clear() {
  frames_.clear();
  bytes_ = 0;
}

bool HoldBuffer::head_must_go(std::chrono::steady_clock::time_point now) const {
  if (frames_.empty()) return false;
  return frames_.size() > max_frames_ || bytes_ > max_bytes_ || now >= head_deadline();
}

}  // namespace otc::client
